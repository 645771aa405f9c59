import { Button, Menu } from '@mantine/core';
import { qualityButtonLabel, qualityOptions } from '../../shared/player/quality';
import type { PlayerLevel } from '../../shared/player/quality';

interface QualityMenuProps {
  levels: PlayerLevel[];
  selected: 'auto' | number;
  playing: PlayerLevel | undefined;
  onSelect(choice: 'auto' | number): void;
}

/** Lets the viewer pin one rendition or go back to automatic quality. */
export function QualityMenu({ levels, selected, playing, onSelect }: QualityMenuProps) {
  const options = qualityOptions(levels);
  return (
    <Menu position="bottom-end" shadow="md" width={160}>
      <Menu.Target>
        <Button
          variant="default"
          size="xs"
          data-testid="quality-menu"
          disabled={levels.length === 0}
          aria-label="Video quality"
        >
          {qualityButtonLabel(selected, playing)}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Quality</Menu.Label>
        {options.map((option) => (
          <Menu.Item
            key={option.label}
            onClick={() => onSelect(option.value)}
            data-testid="quality-option"
            data-quality={option.label}
            rightSection={option.value === selected ? '✓' : null}
          >
            {option.label}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
