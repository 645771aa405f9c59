import { LibraryError } from './errors';

/** One caption cue: seconds from the start of the video, and its text (may span lines). */
export interface CaptionCue {
  start: number;
  end: number;
  text: string;
  /** WebVTT cue settings such as "line:80%", kept as written. */
  settings?: string | undefined;
}

/** The text encodings a caption file may come in; all are stored as UTF-8. */
export type CaptionEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

function badFile(message: string, context: Record<string, unknown> = {}): LibraryError {
  return new LibraryError('VALIDATION_FAILED', message, context);
}

function swapBytePairs(bytes: Uint8Array): Uint8Array {
  const swapped = new Uint8Array(bytes.length - (bytes.length % 2));
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    swapped[i] = bytes[i + 1]!;
    swapped[i + 1] = bytes[i]!;
  }
  return swapped;
}

/** Without a BOM, UTF-16 text of mostly Latin characters has a zero in every other byte. */
function guessUtf16(bytes: Uint8Array): CaptionEncoding | undefined {
  const sample = bytes.subarray(0, Math.min(bytes.length, 4096));
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < sample.length; i += 1) {
    if (sample[i] === 0) {
      if (i % 2 === 0) evenZeros += 1;
      else oddZeros += 1;
    }
  }
  const half = sample.length / 2;
  if (oddZeros > half * 0.3 && evenZeros < oddZeros / 4) return 'utf-16le';
  if (evenZeros > half * 0.3 && oddZeros < evenZeros / 4) return 'utf-16be';
  return undefined;
}

/** Decides a caption file's encoding from its bytes: BOM, then UTF-16 shape, then UTF-8. */
export function detectEncoding(bytes: Uint8Array): { encoding: CaptionEncoding; bom: number } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { encoding: 'utf-8', bom: 3 };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', bom: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', bom: 2 };
  const utf16 = guessUtf16(bytes);
  if (utf16) return { encoding: utf16, bom: 0 };
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { encoding: 'utf-8', bom: 0 };
  } catch {
    // Not valid UTF-8: the usual other encoding of subtitle files on Windows.
    return { encoding: 'windows-1252', bom: 0 };
  }
}

// Windows-1252 differs from Latin-1 only in 0x80-0x9F; Node's decoder treats both as Latin-1.
const cp1252High =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function decodeWindows1252(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) {
    text += byte >= 0x80 && byte <= 0x9f ? cp1252High[byte - 0x80] : String.fromCharCode(byte);
  }
  return text;
}

function decodeAs(encoding: CaptionEncoding, body: Uint8Array): string {
  if (encoding === 'windows-1252') return decodeWindows1252(body);
  if (encoding === 'utf-16be') return new TextDecoder('utf-16le').decode(swapBytePairs(body));
  return new TextDecoder(encoding).decode(body);
}

/** Decodes a caption file to text, whatever common encoding it was saved in. */
export function decodeCaptionBytes(bytes: Uint8Array): { text: string; encoding: CaptionEncoding } {
  const { encoding, bom } = detectEncoding(bytes);
  const body = bytes.subarray(bom);
  const text = decodeAs(encoding, body);
  if (text.includes('\u0000')) {
    throw badFile('This file is not a text caption file. Upload a .vtt or .srt file.');
  }
  return { text: text.replace(/^\uFEFF/, ''), encoding };
}

const timePattern = /^(?:(\d+):)?([0-5]?\d):([0-5]\d)[.,](\d{1,3})$/;
const timingLine = /^\s*(\S+)\s+-->\s+(\S+)(?:\s+(.*?))?\s*$/;

/** "01:02:03.450" or "02:03,45" → seconds; undefined when it is no timestamp. */
export function parseCueTime(text: string): number | undefined {
  const match = timePattern.exec(text.trim());
  if (!match) return undefined;
  const [, h, m, s, frac] = match;
  const millis = Number(frac!.padEnd(3, '0'));
  return Number(h ?? 0) * 3600 + Number(m) * 60 + Number(s) + millis / 1000;
}

/** Seconds as a WebVTT timestamp, "00:01:02.345". */
export function formatVttTime(seconds: number): string {
  const totalMs = Math.max(0, Math.round(seconds * 1000));
  const ms = totalMs % 1000;
  const totalS = Math.floor(totalMs / 1000);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const h = Math.floor(totalS / 3600);
  return `${pad(h)}:${pad(Math.floor((totalS % 3600) / 60))}:${pad(totalS % 60)}.${pad(ms, 3)}`;
}

interface Block {
  lines: string[];
  firstLine: number;
}

function splitBlocks(text: string): Block[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let current: Block | undefined;
  lines.forEach((line, index) => {
    if (line.trim() === '') {
      current = undefined;
      return;
    }
    if (!current) {
      current = { lines: [], firstLine: index + 1 };
      blocks.push(current);
    }
    current.lines.push(line);
  });
  return blocks;
}

function parseBlock(block: Block, cueNumber: number): CaptionCue {
  const timingIndex = block.lines.findIndex((line) => line.includes('-->'));
  if (timingIndex === -1 || timingIndex > 1) {
    throw badFile(
      `Cue ${cueNumber} (line ${block.firstLine}) has no timing line like ` +
        `"00:00:01.000 --> 00:00:02.500".`,
      { line: block.firstLine },
    );
  }
  const lineNumber = block.firstLine + timingIndex;
  const match = timingLine.exec(block.lines[timingIndex]!);
  const start = match ? parseCueTime(match[1]!) : undefined;
  const end = match ? parseCueTime(match[2]!) : undefined;
  if (start === undefined || end === undefined) {
    throw badFile(
      `Line ${lineNumber} has a timing that cannot be read: "${block.lines[timingIndex]}". ` +
        'Write times as 00:00:01.000 (or 00:00:01,000 in SRT).',
      { line: lineNumber },
    );
  }
  const text = block.lines
    .slice(timingIndex + 1)
    .join('\n')
    .trim();
  const settings = match?.[3]?.trim() || undefined;
  return { start, end, text, settings };
}

/** Reads WebVTT or SubRip text into cues; a file that is neither gets a clear error. */
export function parseCaptions(text: string): { cues: CaptionCue[]; format: 'vtt' | 'srt' } {
  const isVtt = /^WEBVTT(?:[ \t].*)?$/m.test(text.split(/\r?\n/, 1)[0] ?? '');
  const blocks = splitBlocks(text);
  const cueBlocks = isVtt
    ? blocks.slice(1).filter((b) => !/^(NOTE|STYLE|REGION)(\s|$)/.test(b.lines[0]!))
    : blocks;
  if (!isVtt && !cueBlocks.some((b) => b.lines.some((l) => l.includes('-->')))) {
    throw badFile(
      'This is neither a WebVTT file (it would start with "WEBVTT") nor an SRT file ' +
        '(numbered cues with "00:00:01,000 --> 00:00:02,000" lines).',
    );
  }
  const cues = cueBlocks.map((block, index) => parseBlock(block, index + 1));
  checkCues(cues);
  return { cues, format: isVtt ? 'vtt' : 'srt' };
}

/** The rules every stored cue follows: times in order, text present, at least one cue. */
export function checkCues(cues: readonly CaptionCue[]): void {
  if (cues.length === 0) throw badFile('The captions have no cues. Add at least one.');
  cues.forEach((cue, index) => {
    const which = `Cue ${index + 1}`;
    if (!Number.isFinite(cue.start) || cue.start < 0) {
      throw badFile(`${which} starts before 0 seconds.`, { cue: index + 1 });
    }
    if (!Number.isFinite(cue.end) || cue.end <= cue.start) {
      throw badFile(
        `${which} ends (${formatVttTime(cue.end)}) at or before it starts ` +
          `(${formatVttTime(cue.start)}).`,
        { cue: index + 1 },
      );
    }
    if (cue.text.trim() === '') throw badFile(`${which} has no text.`, { cue: index + 1 });
  });
}

function cueText(text: string): string {
  // A blank line would end the cue and "-->" would read as a timing line.
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join('\n')
    .replace(/-->/g, '→');
}

/** Writes cues as a WebVTT file, in time order. */
export function cuesToVtt(cues: readonly CaptionCue[]): string {
  const sorted = [...cues].sort((a, b) => a.start - b.start || a.end - b.end);
  const blocks = sorted.map((cue, index) => {
    const settings = cue.settings ? ` ${cue.settings}` : '';
    const timing = `${formatVttTime(cue.start)} --> ${formatVttTime(cue.end)}${settings}`;
    return `${index + 1}\n${timing}\n${cueText(cue.text)}\n`;
  });
  return ['WEBVTT', '', ...blocks].join('\n');
}

/** The words of the captions as plain text: markup tags removed, one space between cues. */
export function transcriptText(cues: readonly CaptionCue[]): string {
  return cues
    .map((cue) =>
      cue.text
        .replace(/<[^>]*>/g, '')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter(Boolean)
    .join(' ');
}

/** How many words the transcript has. */
export function countWords(text: string): number {
  return text.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
}
