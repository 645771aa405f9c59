import { describe, expect, it } from 'vitest';
import { qualityButtonLabel, qualityLabel, qualityOptions } from './quality';

describe('qualityOptions', () => {
  it('offers Auto, then each rendition tallest first', () => {
    const options = qualityOptions([
      { index: 0, height: 360, bitrate: 800_000 },
      { index: 1, height: 540, bitrate: 1_800_000 },
      { index: 2, height: 480, bitrate: 1_200_000 },
    ]);
    expect(options).toEqual([
      { value: 'auto', label: 'Auto' },
      { value: 1, label: '540p' },
      { value: 2, label: '480p' },
      { value: 0, label: '360p' },
    ]);
  });

  it('lists one entry per height, the higher bitrate', () => {
    const options = qualityOptions([
      { index: 0, height: 720, bitrate: 2_000_000 },
      { index: 1, height: 720, bitrate: 3_000_000 },
    ]);
    expect(options.map((option) => option.value)).toEqual(['auto', 1]);
  });

  it('offers Auto alone before the master playlist is parsed', () => {
    expect(qualityOptions([])).toEqual([{ value: 'auto', label: 'Auto' }]);
  });
});

describe('quality labels', () => {
  it('names renditions by height and shows what Auto picked', () => {
    expect(qualityLabel(1080)).toBe('1080p');
    expect(qualityLabel(0)).toBe('Audio');
    const playing = { index: 1, height: 540, bitrate: 1 };
    expect(qualityButtonLabel('auto', playing)).toBe('Auto (540p)');
    expect(qualityButtonLabel('auto', undefined)).toBe('Auto');
    expect(qualityButtonLabel(1, playing)).toBe('540p');
  });
});
