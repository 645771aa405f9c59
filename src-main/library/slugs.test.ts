import { describe, expect, it } from 'vitest';
import { firstFreeSlug, isSlug, safeExtension, slugify, titleFromFileName } from './slugs';

describe('slugs', () => {
  it('makes URL-safe slugs from any title', () => {
    expect(slugify('Flowers in Spring!')).toBe('flowers-in-spring');
    expect(slugify('  Crème Brûlée -- à la maison ')).toBe('creme-brulee-a-la-maison');
    expect(slugify('$(touch PWNED); rm -rf /')).toBe('touch-pwned-rm-rf');
    expect(slugify('日本語')).toBe('video');
    expect(slugify('a'.repeat(300))).toHaveLength(200);
    expect(isSlug(slugify('--x--'))).toBe(true);
  });

  it('adds -2, -3... to a taken slug', () => {
    expect(firstFreeSlug('clip', new Set())).toBe('clip');
    expect(firstFreeSlug('clip', new Set(['clip']))).toBe('clip-2');
    expect(firstFreeSlug('clip', new Set(['clip', 'clip-2', 'clip-3']))).toBe('clip-4');
  });

  it('titles a video after its file name', () => {
    expect(titleFromFileName('/home/me/My_Holiday.2024.mp4')).toBe('My Holiday 2024');
    expect(titleFromFileName('.mp4')).toBe('mp4');
    expect(titleFromFileName('___.mov')).toBe('Untitled video');
  });

  it('keeps only plain extensions and recognises slugs', () => {
    expect(safeExtension('a.MP4')).toBe('mp4');
    expect(safeExtension('a.m$p4')).toBe('bin');
    expect(safeExtension('noext')).toBe('bin');
    expect(isSlug('my-clip-2')).toBe(true);
    for (const bad of ['..', 'a/b', 'A', '-a', 'a--b', '']) expect(isSlug(bad)).toBe(false);
  });
});
