// Compares the two ladder strategies (one ffmpeg decoding once for every rendition, or one
// ffmpeg per rendition) with each available ffmpeg, on a 20 s 1080p input made from
// flower.mp4. Usage: npx tsx scripts/bench-ladder.ts [ffmpeg paths...]
// The machine is shared: compare ratios within one run, not absolute times.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../src-main/log';
import { planLadder } from '../src-main/media/ladder';
import { probeSource } from '../src-main/media/probe';
import { locateMediaTools } from '../src-main/media/tools';
import { transcodeLadder, type LadderStrategy } from '../src-main/media/transcode';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const strategies: LadderStrategy[] = ['single-process', 'per-rendition'];

async function runOnce(ffmpegPath: string, strategy: LadderStrategy, input: string) {
  const log = createLogger('bench');
  const tools = await locateMediaTools({ ffmpegPath });
  const source = await probeSource(tools, input, { log });
  const outputDir = mkdtempSync(path.join(os.tmpdir(), 'vlog-bench-out-'));
  const started = Date.now();
  const outputs = await transcodeLadder({
    tools,
    input,
    source,
    renditions: planLadder(source.video!),
    outputDir,
    log,
    strategy,
  });
  const wall = (Date.now() - started) / 1000;
  rmSync(outputDir, { recursive: true, force: true });
  console.log(`ladder ${outputs.map((o) => o.name).join(',')} encoded in ${wall.toFixed(1)} s`);
}

function makeInput(ffmpegPath: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vlog-bench-'));
  const input = path.join(dir, 'flower-20s-1080p.mp4');
  const flower = path.join(root, '..', 'shared', 'fixtures', 'media', 'flower.mp4');
  execFileSync(ffmpegPath, [
    '-nostdin',
    '-v',
    'error',
    '-y',
    '-stream_loop',
    '3',
    '-i',
    `file:${flower}`,
    '-vf',
    'scale=1920:1080',
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-b:v',
    '6000k',
    '-c:a',
    'aac',
    input,
  ]);
  return input;
}

function main(): void {
  const installer = path.join(root, 'node_modules/@ffmpeg-installer/linux-x64/ffmpeg');
  const candidates = process.argv.slice(2);
  const ffmpegs = candidates.length > 0 ? candidates : ['/usr/bin/ffmpeg', installer];
  const available = ffmpegs.filter((file) => existsSync(file));
  const input = makeInput(available[0] ?? 'ffmpeg');
  for (const ffmpegPath of available) {
    for (const strategy of strategies) {
      // GNU time measures the CPU of the run and of every ffmpeg it started.
      const result = spawnSync(
        '/usr/bin/time',
        [
          '-f',
          '%e s wall, %U s user, %S s system',
          'npx',
          'tsx',
          __filenameOf(),
          '--run',
          ffmpegPath,
          strategy,
          input,
        ],
        { encoding: 'utf8', env: { ...process.env, VLOG_LOG_LEVEL: 'warn' } },
      );
      const timing = result.stderr.trim().split('\n').at(-1);
      console.log(`${ffmpegPath} ${strategy}: ${timing}`);
    }
  }
  rmSync(path.dirname(input), { recursive: true, force: true });
}

function __filenameOf(): string {
  return fileURLToPath(import.meta.url);
}

if (process.argv[2] === '--run') {
  const [ffmpegPath, strategy, input] = process.argv.slice(3);
  await runOnce(ffmpegPath!, strategy as LadderStrategy, input!);
} else {
  main();
}
