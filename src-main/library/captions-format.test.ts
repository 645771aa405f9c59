import { describe, expect, it } from 'vitest';
import { LibraryError } from './errors';
import {
  cuesToVtt,
  decodeCaptionBytes,
  detectEncoding,
  formatVttTime,
  parseCaptions,
  parseCueTime,
} from './captions-format';

describe('caption files', () => {
  it('reads cue times in WebVTT and SRT forms', () => {
    expect(parseCueTime('00:01:02.345')).toBe(62.345);
    expect(parseCueTime('01:02,5')).toBe(62.5);
    expect(parseCueTime('1:00:00,000')).toBe(3600);
    expect(parseCueTime('00:61:00.000')).toBeUndefined();
    expect(formatVttTime(3723.4567)).toBe('01:02:03.457');
  });

  it('detects encodings from BOMs and byte shapes', () => {
    expect(detectEncoding(Buffer.from('WEBVTT'))).toEqual({ encoding: 'utf-8', bom: 0 });
    expect(detectEncoding(Buffer.from([0xff, 0xfe, 0x57, 0]))).toEqual({
      encoding: 'utf-16le',
      bom: 2,
    });
    expect(detectEncoding(Buffer.from('WEBVTT\n', 'utf16le')).encoding).toBe('utf-16le');
    expect(detectEncoding(Buffer.from([0x63, 0x61, 0x66, 0xe9])).encoding).toBe('windows-1252');
    expect(decodeCaptionBytes(Buffer.from([0x93, 0x48, 0x69, 0x94, 0x80])).text).toBe('“Hi”€');
  });

  it('keeps WebVTT headers, notes and styles out of the cues', () => {
    const text =
      'WEBVTT - a title\nKind: captions\n\nNOTE written by hand\n\nSTYLE\n::cue { color: red }\n\n' +
      'intro\n00:00.500 --> 00:02.000 align:start\nHello\nthere\n';
    const { cues, format } = parseCaptions(text);
    expect(format).toBe('vtt');
    expect(cues).toEqual([{ start: 0.5, end: 2, text: 'Hello\nthere', settings: 'align:start' }]);
    expect(cuesToVtt(cues)).toBe(
      'WEBVTT\n\n1\n00:00:00.500 --> 00:00:02.000 align:start\nHello\nthere\n',
    );
  });

  it('refuses binary data with a clear error', () => {
    const binary = Buffer.from([0x00, 0x00, 0x00, 0x18, 0x66, 0x74, 0x79, 0x70, 0x00, 0x01]);
    expect(() => parseCaptions(decodeCaptionBytes(binary).text)).toThrow(LibraryError);
  });
});
