import { describe, expect, it } from 'vitest';
import { chooseSpeechStream, parseMaxVolume, speechExtractionArgs } from './speech';

describe('speech audio', () => {
  it('chooses the default audio stream, else the first by index', () => {
    const french = { index: 1, isDefault: false, language: 'fre' };
    const english = { index: 2, isDefault: true, language: 'eng' };
    expect(chooseSpeechStream([french, english])).toBe(english);
    expect(chooseSpeechStream([{ ...english, isDefault: false }, french])).toBe(french);
    expect(chooseSpeechStream([])).toBeNull();
  });

  it('maps the chosen stream by index and writes 16 kHz mono s16le WAV', () => {
    const args = speechExtractionArgs('/in/-clip.mp4', 0, '/work/speech.wav');
    expect(args).toEqual([
      ...['-i', 'file:/in/-clip.mp4', '-map', '0:0', '-vn', '-sn', '-dn'],
      ...['-ac', '1', '-ar', '16000', '-c:a', 'pcm_s16le', '-f', 'wav', 'file:/work/speech.wav'],
    ]);
  });

  it('reads the peak level from volumedetect, silence as -Infinity', () => {
    expect(parseMaxVolume('[Parsed_volumedetect_0 @ 0x1] max_volume: -3.5 dB')).toBe(-3.5);
    expect(parseMaxVolume('[Parsed_volumedetect_0 @ 0x1] max_volume: -inf dB')).toBe(-Infinity);
    expect(parseMaxVolume('no report')).toBeNull();
  });
});
