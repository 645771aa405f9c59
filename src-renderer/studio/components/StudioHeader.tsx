import { Anchor, Badge, Box, Button, Group, Text, Tooltip } from '@mantine/core';
import { mediaUrl } from '../../shared/media-url';
import { useSession } from '../stores/session';
import { useSystem } from '../stores/system';

/** The studio bar: name, ffmpeg and video encoder in use, a link to the viewer site, and sign-out. */
export function StudioHeader() {
  const info = useSystem((state) => state.info);
  const signOut = useSession((state) => state.signOut);

  return (
    <Group h="100%" px="lg" justify="space-between" wrap="nowrap">
      <Group gap={10} wrap="nowrap">
        <Box className="studio-logo" aria-hidden>
          ▶
        </Box>
        <Text fw={700} fz="lg">
          VLog Studio
        </Text>
      </Group>
      <Group gap="md" wrap="nowrap">
        {info && (
          <Tooltip label={`ffprobe ${info.ffprobe_version} · ${info.encoders.count} encoders`}>
            <Badge variant="light" color="gray" size="lg" tt="none" data-testid="ffmpeg-badge">
              ffmpeg {shortVersion(info.ffmpeg_version)} · {info.origin}
            </Badge>
          </Tooltip>
        )}
        {info && (
          <Tooltip label={info.video_encoder.reason} multiline maw={360}>
            <Badge
              variant="light"
              color={info.video_encoder.hardware ? 'teal' : 'gray'}
              size="lg"
              tt="none"
              data-testid="encoder-badge"
            >
              {info.video_encoder.hardware ? 'GPU' : 'CPU'} · {info.video_encoder.name}
            </Badge>
          </Tooltip>
        )}
        {info && (
          <Anchor href={mediaUrl('/', info.public_url)} target="_blank" fz="sm">
            Open viewer site
          </Anchor>
        )}
        <Button variant="subtle" color="gray" size="xs" onClick={() => void signOut()}>
          Sign out
        </Button>
      </Group>
    </Group>
  );
}

/** The release number alone: distribution suffixes such as "-0+deb12u1" crowd the badge. */
function shortVersion(version: string): string {
  return version.split(/[-+ ]/)[0] || version;
}
