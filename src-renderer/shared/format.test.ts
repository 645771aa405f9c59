import { describe, expect, it } from 'vitest';
import { clampPercent, compareQualityDescending, formatBytes, formatDuration } from './format';

describe('formatDuration', () => {
  it('writes minutes and zero-padded seconds', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(5)).toBe('0:05');
    expect(formatDuration(65.9)).toBe('1:05');
    expect(formatDuration(599)).toBe('9:59');
  });

  it('adds hours from one hour on', () => {
    expect(formatDuration(3600)).toBe('1:00:00');
    expect(formatDuration(3725)).toBe('1:02:05');
  });

  it('shows a placeholder for an unknown duration', () => {
    expect(formatDuration(null)).toBe('–:––');
    expect(formatDuration(undefined)).toBe('–:––');
    expect(formatDuration(Number.NaN)).toBe('–:––');
    expect(formatDuration(-1)).toBe('–:––');
  });
});

describe('formatBytes', () => {
  it('picks a readable unit', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(20 * 1024 * 1024)).toBe('20 MB');
  });
});

describe('clampPercent', () => {
  it('keeps progress within 0..100 and whole', () => {
    expect(clampPercent(-3)).toBe(0);
    expect(clampPercent(42.6)).toBe(43);
    expect(clampPercent(250)).toBe(100);
    expect(clampPercent(null)).toBe(0);
  });
});

describe('compareQualityDescending', () => {
  it('orders renditions tallest first', () => {
    expect(['360p', '1080p', '540p'].sort(compareQualityDescending)).toEqual([
      '1080p',
      '540p',
      '360p',
    ]);
  });
});
