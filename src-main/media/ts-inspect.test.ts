import { describe, expect, it } from 'vitest';
import { avcCodecName, findSps, inspectTransportStream } from './ts-inspect';

describe('findSps', () => {
  it('reads profile, constraint flags and level after an SPS start code', () => {
    const bytes = Uint8Array.from([0, 0, 0, 1, 0x09, 0xf0, 0, 0, 1, 0x67, 0x64, 0x00, 0x1f, 0xac]);
    const sps = findSps(bytes);
    expect(sps).toEqual({ profileIdc: 100, constraintFlags: 0, levelIdc: 31 });
    expect(avcCodecName(sps!)).toBe('avc1.64001f');
  });

  it('skips start codes of other NAL units and unknown profiles', () => {
    expect(
      findSps(Uint8Array.from([0, 0, 1, 0x68, 0x64, 0, 0x1f, 0, 0, 1, 0x67, 0x07, 0, 0])),
    ).toBe(null);
  });
});

describe('inspectTransportStream', () => {
  it('finds nothing in bytes that are not MPEG-TS', () => {
    expect(inspectTransportStream(new Uint8Array(1000))).toEqual({
      streamTypes: [],
      hasH264: false,
      hasAudio: false,
      avc: null,
    });
  });
});
