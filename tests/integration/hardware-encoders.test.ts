import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src-main/log';
import { selectEncoder, withCpuFallback } from '../../src-main/media/hardware';
import { runFfmpeg } from '../../src-main/media/runner';
import { locateMediaTools, type MediaTools } from '../../src-main/media/tools';

const log = createLogger('test.hardware');
const realFfmpeg = process.env['VLOG_FFMPEG_PATH'] ?? '/usr/bin/ffmpeg';
let scratch: string;

/**
 * A fake ffmpeg for a machine with an NVIDIA card: it lists h264_nvenc among the real
 * encoders, answers (or fails) encodes through it as told, and runs everything else on
 * the real ffmpeg. The GPU is the only fake part: no GPU exists here.
 */
async function fakeFfmpeg(nvenc: 'answers' | 'fails'): Promise<MediaTools> {
  const file = path.join(scratch, `ffmpeg-nvenc-${nvenc}`);
  const script = `#!/bin/bash
case " $* " in
  *" -encoders "*) "${realFfmpeg}" "$@"; echo " V....D h264_nvenc           NVIDIA NVENC H.264 encoder (fake)"; exit 0 ;;
  *" h264_nvenc "*)
    echo "h264_nvenc called" >> "${scratch}/nvenc-calls-${nvenc}"
    ${nvenc === 'answers' ? 'exit 0' : 'echo "[h264_nvenc] Cannot load libcuda.so.1" >&2; exit 1'} ;;
esac
exec "${realFfmpeg}" "$@"
`;
  await writeFile(file, script);
  await chmod(file, 0o755);
  return locateMediaTools({ ffmpegPath: file, ffprobePath: '/usr/bin/ffprobe' });
}

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'vlog-hardware-'));
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('hardware encoder selection', () => {
  it('uses the CPU encoder when this ffmpeg lists no hardware encoder', async () => {
    const tools = await locateMediaTools({ ffmpegPath: realFfmpeg });
    const choice = await selectEncoder(tools, 'h264', { log });
    expect(choice).toMatchObject({ encoder: 'libx264', family: 'cpu' });
    expect(choice.reason).toMatch(/no hardware encoder/);
  });

  it('uses NVENC when ffmpeg lists it and the probe encode answers', async () => {
    const tools = await fakeFfmpeg('answers');
    expect(tools.encoders.has('h264_nvenc')).toBe(true);
    const choice = await selectEncoder(tools, 'h264', { log });
    expect(choice).toEqual({ codec: 'h264', encoder: 'h264_nvenc', family: 'nvenc', reason: null });
  });

  it('falls back to the CPU when NVENC is listed but the device does not answer', async () => {
    const tools = await fakeFfmpeg('fails');
    const choice = await selectEncoder(tools, 'h264', { log });
    expect(choice).toMatchObject({ encoder: 'libx264', family: 'cpu' });
    expect(choice.reason).toMatch(/h264_nvenc/);
  });

  it('honours a setting that turns hardware encoding off', async () => {
    const tools = await fakeFfmpeg('answers');
    const choice = await selectEncoder(tools, 'h264', { log, disabled: true });
    expect(choice.encoder).toBe('libx264');
  });

  it('re-encodes on the CPU when the hardware encoder fails during a real encode', async () => {
    const tools = await fakeFfmpeg('fails');
    const output = path.join(scratch, 'fallback.mp4');
    const notes: string[] = [];
    const encode = async (encoder: string) => {
      await runFfmpeg(
        tools,
        [
          ...['-f', 'lavfi', '-i', 'testsrc2=size=160x90:rate=10:duration=0.5'],
          ...['-c:v', encoder, '-pix_fmt', 'yuv420p', output],
        ],
        { log },
      );
      return output;
    };
    const selection = {
      codec: 'h264' as const,
      encoder: 'h264_nvenc',
      family: 'nvenc' as const,
      reason: null,
    };
    const outcome = await withCpuFallback(selection, encode, {
      log,
      onFallback: (message) => void notes.push(message),
    });
    expect(outcome).toMatchObject({ encoder: 'libx264', fellBack: true });
    expect((await stat(output)).size).toBeGreaterThan(0);
    expect(notes).toEqual([expect.stringMatching(/h264_nvenc failed.*libx264/)]);
  });
});
