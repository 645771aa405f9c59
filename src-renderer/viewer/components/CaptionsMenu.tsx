import { Button, Menu } from '@mantine/core';

/** Turns the captions on or off; shown only when the video has captions. */
export function CaptionsMenu(props: {
  language: string;
  showing: boolean;
  onChange(on: boolean): void;
}) {
  const name = languageName(props.language);
  return (
    <Menu position="top-end" shadow="md" width={180}>
      <Menu.Target>
        <Button
          variant={props.showing ? 'filled' : 'subtle'}
          color="gray"
          size="xs"
          data-testid="captions-menu"
          aria-label="Captions"
        >
          CC
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Captions</Menu.Label>
        <Menu.Item
          data-testid="captions-option"
          data-language="off"
          onClick={() => props.onChange(false)}
          rightSection={props.showing ? null : '✓'}
        >
          Off
        </Menu.Item>
        <Menu.Item
          data-testid="captions-option"
          data-language={props.language}
          onClick={() => props.onChange(true)}
          rightSection={props.showing ? '✓' : null}
        >
          {name}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

/** "English" for "en", falling back to the code where the browser knows no name. */
export function languageName(code: string): string {
  try {
    return (
      new Intl.DisplayNames([navigator.language || 'en'], { type: 'language' }).of(code) ?? code
    );
  } catch {
    return code;
  }
}
