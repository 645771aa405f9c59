/**
 * A small ISO-BMFF reader for our own fMP4 init segments: which sample entries the tracks
 * carry and the RFC 6381 codec names read from their configuration boxes (avcC, hvcC, av1C),
 * so the master playlist's CODECS describe the real output rather than what was asked for.
 */

interface Box {
  type: string;
  /** The box's payload (after its header). */
  body: Uint8Array;
}

/** What one init segment carries. */
export interface InitSegmentSummary {
  /** RFC 6381 name of the video track, e.g. "hvc1.1.6.L60.90"; null without video. */
  videoCodec: string | null;
  /** Sample entry type of the video track: avc1, hvc1, hev1, av01. */
  videoSampleEntry: string | null;
  /** RFC 6381 name of the audio track ("mp4a.40.2" for AAC-LC); null without audio. */
  audioCodec: string | null;
}

const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl']);
/** Bytes of fixed fields in a visual sample entry before its child boxes. */
const VISUAL_ENTRY_FIELDS = 78;
/** Bytes of fixed fields in an audio sample entry before its child boxes. */
const AUDIO_ENTRY_FIELDS = 28;

/** Reads the sample entries of every track of an fMP4 init segment. */
export function inspectInitSegment(data: Uint8Array): InitSegmentSummary {
  const summary: InitSegmentSummary = {
    videoCodec: null,
    videoSampleEntry: null,
    audioCodec: null,
  };
  for (const entry of sampleEntries(data)) {
    if (['avc1', 'avc3', 'hvc1', 'hev1', 'av01'].includes(entry.type)) {
      const children = [...readBoxes(entry.body.subarray(VISUAL_ENTRY_FIELDS))];
      summary.videoSampleEntry = entry.type;
      summary.videoCodec = videoCodecName(entry.type, children);
    } else if (entry.type === 'mp4a') {
      const children = [...readBoxes(entry.body.subarray(AUDIO_ENTRY_FIELDS))];
      summary.audioCodec = aacCodecName(children);
    }
  }
  return summary;
}

function* sampleEntries(data: Uint8Array): Generator<Box> {
  for (const box of walk(data)) {
    if (box.type !== 'stsd') continue;
    // version + flags (4) and entry_count (4) precede the entries.
    yield* readBoxes(box.body.subarray(8));
  }
}

function* walk(data: Uint8Array): Generator<Box> {
  for (const box of readBoxes(data)) {
    yield box;
    if (CONTAINERS.has(box.type)) yield* walk(box.body);
  }
}

function* readBoxes(data: Uint8Array): Generator<Box> {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let offset = 0;
  while (offset + 8 <= data.length) {
    let size = view.getUint32(offset);
    const type = String.fromCharCode(...data.subarray(offset + 4, offset + 8));
    let header = 8;
    if (size === 1 && offset + 16 <= data.length) {
      size = Number(view.getBigUint64(offset + 8));
      header = 16;
    } else if (size === 0) {
      size = data.length - offset;
    }
    if (size < header || offset + size > data.length) return;
    yield { type, body: data.subarray(offset + header, offset + size) };
    offset += size;
  }
}

function videoCodecName(entryType: string, children: Box[]): string | null {
  const find = (type: string): Uint8Array | undefined =>
    children.find((box) => box.type === type)?.body;
  const avcC = find('avcC');
  if (avcC !== undefined && (entryType === 'avc1' || entryType === 'avc3')) {
    return avcNameFromConfig(entryType, avcC);
  }
  const hvcC = find('hvcC');
  if (hvcC !== undefined) return hevcNameFromConfig(entryType, hvcC);
  const av1C = find('av1C');
  if (av1C !== undefined) return av1NameFromConfig(av1C);
  return null;
}

const hex2 = (n: number): string => n.toString(16).padStart(2, '0');

/** avcC: profile, compatibility flags and level, as "avc1.PPCCLL". */
export function avcNameFromConfig(entryType: string, avcC: Uint8Array): string | null {
  if (avcC.length < 4) return null;
  return `${entryType}.${hex2(avcC[1] ?? 0)}${hex2(avcC[2] ?? 0)}${hex2(avcC[3] ?? 0)}`;
}

/**
 * hvcC → ISO/IEC 14496-15 Annex E: hvc1.[space]profile.compat(bit-reversed hex).
 * (L|H)level[.constraint bytes, trailing zero bytes left out].
 */
export function hevcNameFromConfig(entryType: string, hvcC: Uint8Array): string | null {
  if (hvcC.length < 13) return null;
  const view = new DataView(hvcC.buffer, hvcC.byteOffset, hvcC.byteLength);
  const first = hvcC[1] ?? 0;
  const space = ['', 'A', 'B', 'C'][first >> 6] ?? '';
  const tier = (first >> 5) & 1 ? 'H' : 'L';
  const profile = first & 0x1f;
  const compat = reverseBits32(view.getUint32(2)).toString(16).toUpperCase();
  const constraints = [...hvcC.subarray(6, 12)];
  while (constraints.length > 0 && constraints.at(-1) === 0) constraints.pop();
  const level = hvcC[12] ?? 0;
  const parts = [
    `${entryType}.${space}${profile}`,
    compat,
    `${tier}${level}`,
    ...constraints.map((b) => b.toString(16).toUpperCase().padStart(2, '0')),
  ];
  return parts.join('.');
}

function reverseBits32(value: number): number {
  let result = 0;
  for (let i = 0; i < 32; i++) result = (result << 1) | ((value >>> i) & 1);
  return result >>> 0;
}

/** av1C → "av01.P.LLT.DD" (profile, level index and tier, bit depth). */
export function av1NameFromConfig(av1C: Uint8Array): string | null {
  if (av1C.length < 4) return null;
  const profile = (av1C[1] ?? 0) >> 5;
  const level = (av1C[1] ?? 0) & 0x1f;
  const flags = av1C[2] ?? 0;
  const tier = flags & 0x80 ? 'H' : 'M';
  const highBitDepth = (flags & 0x40) !== 0;
  const twelveBit = (flags & 0x20) !== 0;
  const depth = highBitDepth ? (twelveBit ? 12 : 10) : 8;
  return `av01.${profile}.${String(level).padStart(2, '0')}${tier}.${String(depth).padStart(2, '0')}`;
}

/** mp4a + esds: the MPEG-4 audio object type ("mp4a.40.2" for AAC-LC). */
function aacCodecName(children: Box[]): string {
  const esds = children.find((box) => box.type === 'esds')?.body;
  const objectType = esds === undefined ? null : audioObjectType(esds);
  return `mp4a.40.${objectType ?? 2}`;
}

/** Walks ES_Descriptor → DecoderConfigDescriptor → DecoderSpecificInfo; its first 5 bits. */
function audioObjectType(esds: Uint8Array): number | null {
  let offset = 4; // version + flags
  const es = readDescriptor(esds, offset);
  if (es?.tag !== 0x03) return null;
  const esFlags = esds[es.body + 2] ?? 0;
  offset = es.body + 3;
  if (esFlags & 0x80) offset += 2; // dependsOn_ES_ID
  if (esFlags & 0x40) offset += 1 + (esds[offset] ?? 0); // URL
  if (esFlags & 0x20) offset += 2; // OCR_ES_Id
  const config = readDescriptor(esds, offset);
  if (config?.tag !== 0x04) return null;
  const specific = readDescriptor(esds, config.body + 13);
  if (specific?.tag !== 0x05 || specific.body >= esds.length) return null;
  return (esds[specific.body] ?? 0) >> 3;
}

function readDescriptor(data: Uint8Array, offset: number): { tag: number; body: number } | null {
  if (offset >= data.length) return null;
  const tag = data[offset] ?? 0;
  let position = offset + 1;
  for (let k = 0; k < 4 && position < data.length; k++) {
    const b = data[position] ?? 0;
    position += 1;
    if (!(b & 0x80)) break;
  }
  return { tag, body: position };
}
