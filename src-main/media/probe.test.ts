import { describe, expect, it } from 'vitest';
import { fileUrlArg, isHdrTransfer, parseRatio, rotationOf } from './probe';

describe('rotationOf', () => {
  it('reads the display matrix (counter-clockwise) as a clockwise turn', () => {
    expect(
      rotationOf({ side_data_list: [{ side_data_type: 'Display Matrix', rotation: -90 }] }),
    ).toBe(90);
    expect(rotationOf({ side_data_list: [{ rotation: 90 }] })).toBe(270);
    expect(rotationOf({ side_data_list: [{ rotation: 180 }] })).toBe(180);
    expect(rotationOf({ side_data_list: [{ rotation: -180 }] })).toBe(180);
  });

  it('falls back to the legacy rotate tag, and to 0', () => {
    expect(rotationOf({ tags: { rotate: '90' } })).toBe(90);
    expect(rotationOf({ tags: { rotate: '270' } })).toBe(270);
    expect(rotationOf({})).toBe(0);
  });
});

describe('small parsers', () => {
  it('parses frame rates and aspect ratios', () => {
    expect(parseRatio('30000/1001')).toBeCloseTo(29.97, 2);
    expect(parseRatio('4:3')).toBeCloseTo(1.333, 3);
    expect(parseRatio('0/0')).toBeNull();
    expect(parseRatio(undefined)).toBeNull();
  });

  it('knows the HDR transfer functions', () => {
    expect([
      isHdrTransfer('smpte2084'),
      isHdrTransfer('arib-std-b67'),
      isHdrTransfer('bt709'),
    ]).toEqual([true, true, false]);
  });

  it('prefixes absolute paths with file: and refuses relative ones', () => {
    expect(fileUrlArg('/data/-x.mp4')).toBe('file:/data/-x.mp4');
    expect(() => fileUrlArg('-x.mp4')).toThrow(/absolute/);
  });
});
