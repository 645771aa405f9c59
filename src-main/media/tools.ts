import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { MediaError } from './errors';

const execFileAsync = promisify(execFile);
// Not named `require`: the bundled main process already declares one in the same scope.
const requirePackage = createRequire(import.meta.url);

/** Encoders the studio cannot publish without: H.264 video and AAC audio. */
export const REQUIRED_ENCODERS = ['libx264', 'aac'] as const;

/** Where the ffmpeg binary came from, shown on the system page so a person knows what runs. */
export type MediaToolsOrigin = 'env' | 'ffmpeg-static' | 'installer' | 'system';

/** The ffmpeg and ffprobe binaries the studio runs, checked once at start. */
export interface MediaTools {
  ffmpegPath: string;
  ffprobePath: string;
  ffmpegVersion: string;
  ffprobeVersion: string;
  encoders: Set<string>;
  origin: MediaToolsOrigin;
}

interface Candidate {
  ffmpegPath: string;
  ffprobePath: string;
  origin: MediaToolsOrigin;
}

/**
 * Finds a working ffmpeg/ffprobe pair: explicit paths, then ffmpeg-static, then the
 * @ffmpeg-installer packages, then the PATH. Throws TOOLS_MISSING saying how to fix it.
 */
export async function locateMediaTools(
  options: { ffmpegPath?: string | undefined; ffprobePath?: string | undefined } = {},
): Promise<MediaTools> {
  if (options.ffmpegPath !== undefined || options.ffprobePath !== undefined) {
    return checkCandidate(explicitCandidate(options));
  }
  const candidates = automaticCandidates();
  const problems: string[] = [];
  for (const candidate of candidates) {
    try {
      return await checkCandidate(candidate);
    } catch (error) {
      problems.push(`${candidate.origin} (${candidate.ffmpegPath}): ${String(error)}`);
    }
  }
  throw new MediaError(
    'TOOLS_MISSING',
    'No usable ffmpeg with libx264 and aac was found. Install ffmpeg or set VLOG_FFMPEG_PATH ' +
      'and VLOG_FFPROBE_PATH to an ffmpeg built with libx264.',
    { detail: { tried: problems } },
  );
}

function explicitCandidate(options: { ffmpegPath?: string; ffprobePath?: string }): Candidate {
  const ffmpegPath = options.ffmpegPath ?? findOnPath('ffmpeg') ?? 'ffmpeg';
  const sibling = path.join(path.dirname(ffmpegPath), 'ffprobe');
  const ffprobePath =
    options.ffprobePath ??
    (options.ffmpegPath !== undefined && isExecutable(sibling) ? sibling : undefined) ??
    findOnPath('ffprobe') ??
    installerBinary('@ffprobe-installer/ffprobe') ??
    'ffprobe';
  return { ffmpegPath, ffprobePath, origin: 'env' };
}

function automaticCandidates(): Candidate[] {
  // The @ffprobe-installer build crashes (SIGSEGV) on every MPEG-TS file, so a system
  // ffprobe, when there is one, is preferred to it whichever ffmpeg is chosen.
  const probeFallback =
    findOnPath('ffprobe') ?? installerBinary('@ffprobe-installer/ffprobe') ?? 'ffprobe';
  const candidates: Candidate[] = [];
  const fromStatic = ffmpegStaticBinary();
  if (fromStatic !== undefined) {
    candidates.push({
      ffmpegPath: fromStatic,
      ffprobePath: probeFallback,
      origin: 'ffmpeg-static',
    });
  }
  const fromInstaller = installerBinary('@ffmpeg-installer/ffmpeg');
  if (fromInstaller !== undefined) {
    candidates.push({ ffmpegPath: fromInstaller, ffprobePath: probeFallback, origin: 'installer' });
  }
  const fromPath = findOnPath('ffmpeg');
  if (fromPath !== undefined) {
    candidates.push({ ffmpegPath: fromPath, ffprobePath: probeFallback, origin: 'system' });
  }
  return candidates;
}

/** ffmpeg-static exports the binary's path, but its download fails offline: check the file. */
function ffmpegStaticBinary(): string | undefined {
  try {
    const exported: unknown = requirePackage('ffmpeg-static');
    return typeof exported === 'string' && isExecutable(exported) ? exported : undefined;
  } catch {
    return undefined;
  }
}

/** The installer packages throw (a string) when their platform binary is absent. */
function installerBinary(pkg: string): string | undefined {
  try {
    const exported = requirePackage(pkg) as { path?: unknown };
    return typeof exported.path === 'string' && isExecutable(exported.path)
      ? exported.path
      : undefined;
  } catch {
    return undefined;
  }
}

function findOnPath(name: string): string | undefined {
  const dirs = (process.env['PATH'] ?? '').split(path.delimiter).filter(Boolean);
  return dirs.map((dir) => path.join(dir, name)).find(isExecutable);
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return existsSync(file);
  } catch {
    return false;
  }
}

async function checkCandidate(candidate: Candidate): Promise<MediaTools> {
  const ffmpegVersion = await readVersion(candidate.ffmpegPath, 'ffmpeg');
  const ffprobeVersion = await readVersion(candidate.ffprobePath, 'ffprobe');
  const encoders = await readEncoders(candidate.ffmpegPath);
  const missing = REQUIRED_ENCODERS.filter((name) => !encoders.has(name));
  if (missing.length > 0) {
    throw new MediaError(
      'TOOLS_MISSING',
      `ffmpeg at ${candidate.ffmpegPath} lacks the ${missing.join(' and ')} encoder. ` +
        'Set VLOG_FFMPEG_PATH to an ffmpeg built with libx264 and aac.',
      { detail: { ffmpegPath: candidate.ffmpegPath, missing } },
    );
  }
  return { ...candidate, ffmpegVersion, ffprobeVersion, encoders };
}

async function readVersion(file: string, tool: 'ffmpeg' | 'ffprobe'): Promise<string> {
  try {
    const { stdout } = await execFileAsync(file, ['-hide_banner', '-version'], {
      timeout: 15_000,
    });
    return parseVersion(stdout);
  } catch (error) {
    const variable = tool === 'ffmpeg' ? 'VLOG_FFMPEG_PATH' : 'VLOG_FFPROBE_PATH';
    throw new MediaError(
      'TOOLS_MISSING',
      `${tool} at ${file} could not be run. Install ${tool} or set ${variable} to its path.`,
      { detail: { path: file }, cause: error },
    );
  }
}

/** ffmpeg release series by the major version of the libavutil it ships. */
const RELEASE_BY_LIBAVUTIL: Record<string, string> = {
  '55': '3.x',
  '56': '4.x',
  '57': '5.x',
  '58': '6.x',
  '59': '7.x',
  '60': '8.x',
};

/**
 * Reads "ffmpeg version 5.1.9-0+deb12u1 ..." → "5.1.9-0+deb12u1". A build from a git snapshot
 * ("N-47683-g0e8eb07980-static") names no release, so its series is read from libavutil's
 * version instead: "4.x (N-47683-g0e8eb07980-static)".
 */
export function parseVersion(versionOutput: string): string {
  const version = /version\s+(\S+)/.exec(versionOutput)?.[1];
  if (version === undefined) return 'unknown';
  if (!/^(N-|git)/.test(version)) return version;
  const libavutil = /libavutil\s+(\d+)\./.exec(versionOutput)?.[1];
  const release = libavutil === undefined ? undefined : RELEASE_BY_LIBAVUTIL[libavutil];
  return release === undefined ? version : `${release} (${version})`;
}

async function readEncoders(ffmpegPath: string): Promise<Set<string>> {
  const { stdout } = await execFileAsync(ffmpegPath, ['-hide_banner', '-encoders'], {
    timeout: 15_000,
    maxBuffer: 4 * 1024 * 1024,
  });
  return parseEncoders(stdout);
}

/** Parses `ffmpeg -encoders`: after the "------" line, each line is " FLAGS name  description". */
export function parseEncoders(encodersOutput: string): Set<string> {
  const lines = encodersOutput.split(/\r?\n/);
  const start = lines.findIndex((line) => line.trim().startsWith('---'));
  const names = lines
    .slice(start + 1)
    .map((line) => /^\s*[VASDFXB.]{6}\s+(\S+)/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined);
  return new Set(names);
}
