/**
 * A small MPEG-TS reader for our own HLS segments: which streams a segment carries and the
 * H.264 profile/level from its first SPS. It exists because the @ffprobe-installer build
 * crashes (SIGSEGV) on every MPEG-TS file, and CODECS must come from the real output.
 */

const PACKET_SIZE = 188;
const SYNC_BYTE = 0x47;
const STREAM_TYPE_H264 = 0x1b;
const AUDIO_STREAM_TYPES = new Set([0x03, 0x04, 0x0f, 0x11, 0x81, 0x87]);

/** The H.264 sequence parameters that name the codec in RFC 6381 ("avc1.PPCCLL"). */
export interface AvcParameters {
  profileIdc: number;
  constraintFlags: number;
  levelIdc: number;
}

export interface TransportStreamSummary {
  streamTypes: number[];
  hasH264: boolean;
  hasAudio: boolean;
  avc: AvcParameters | null;
}

export interface Packet {
  pid: number;
  unitStart: boolean;
  payload: Uint8Array;
}

/** Reads the PAT, PMT and first video access unit of an MPEG-TS buffer. */
export function inspectTransportStream(data: Uint8Array): TransportStreamSummary {
  const packets = [...readPackets(data)];
  const pmtPid = firstPmtPid(packets);
  const streams = pmtPid === null ? [] : pmtStreams(packets, pmtPid);
  const video = streams.find((s) => s.type === STREAM_TYPE_H264);
  const avc = video === undefined ? null : findSps(videoBytes(packets, video.pid));
  return {
    streamTypes: streams.map((s) => s.type),
    hasH264: video !== undefined,
    hasAudio: streams.some((s) => AUDIO_STREAM_TYPES.has(s.type)),
    avc,
  };
}

/** "avc1.PPCCLL" in lower-case hex, e.g. High (100), flags 0, level 31 → "avc1.64001f". */
export function avcCodecName(avc: AvcParameters): string {
  const hex = (n: number): string => n.toString(16).padStart(2, '0');
  return `avc1.${hex(avc.profileIdc)}${hex(avc.constraintFlags)}${hex(avc.levelIdc)}`;
}

/** The payload-carrying packets of an MPEG-TS buffer. */
export function* readPackets(data: Uint8Array): Generator<Packet> {
  for (let offset = 0; offset + PACKET_SIZE <= data.length; offset += PACKET_SIZE) {
    if (data[offset] !== SYNC_BYTE) continue;
    const b1 = data[offset + 1] ?? 0;
    const b3 = data[offset + 3] ?? 0;
    const adaptation = (b3 >> 4) & 0x3;
    let start = offset + 4;
    if (adaptation & 0x2) start += 1 + (data[offset + 4] ?? 0);
    if (!(adaptation & 0x1) || start >= offset + PACKET_SIZE) continue;
    yield {
      pid: ((b1 & 0x1f) << 8) | (data[offset + 2] ?? 0),
      unitStart: (b1 & 0x40) !== 0,
      payload: data.subarray(start, offset + PACKET_SIZE),
    };
  }
}

/** A PSI section starts after the pointer field; returns it with its declared length. */
function section(payload: Uint8Array): Uint8Array | null {
  const pointer = payload[0] ?? 0;
  const body = payload.subarray(1 + pointer);
  if (body.length < 3) return null;
  const length = (((body[1] ?? 0) & 0x0f) << 8) | (body[2] ?? 0);
  return body.subarray(0, Math.min(body.length, 3 + length));
}

/** The PID of the first program map table the PAT names. */
export function firstPmtPid(packets: Packet[]): number | null {
  const pat = packets.find((p) => p.pid === 0 && p.unitStart);
  const table = pat === undefined ? null : section(pat.payload);
  if (table === null || table[0] !== 0x00) return null;
  for (let i = 8; i + 4 <= table.length - 4; i += 4) {
    const program = ((table[i] ?? 0) << 8) | (table[i + 1] ?? 0);
    if (program !== 0) return (((table[i + 2] ?? 0) & 0x1f) << 8) | (table[i + 3] ?? 0);
  }
  return null;
}

/** The elementary streams (type and PID) a program map table lists. */
export function pmtStreams(
  packets: Packet[],
  pmtPid: number,
): Array<{ type: number; pid: number }> {
  const pmt = packets.find((p) => p.pid === pmtPid && p.unitStart);
  const table = pmt === undefined ? null : section(pmt.payload);
  if (table === null || table[0] !== 0x02) return [];
  const programInfoLength = (((table[10] ?? 0) & 0x0f) << 8) | (table[11] ?? 0);
  const streams: Array<{ type: number; pid: number }> = [];
  let i = 12 + programInfoLength;
  while (i + 5 <= table.length - 4) {
    const type = table[i] ?? 0;
    const pid = (((table[i + 1] ?? 0) & 0x1f) << 8) | (table[i + 2] ?? 0);
    const infoLength = (((table[i + 3] ?? 0) & 0x0f) << 8) | (table[i + 4] ?? 0);
    streams.push({ type, pid });
    i += 5 + infoLength;
  }
  return streams;
}

/** The start of the first video PES: enough to hold the SPS that opens every segment. */
function videoBytes(packets: Packet[], pid: number, limit = 64 * 1024): Uint8Array {
  const first = packets.findIndex((p) => p.pid === pid && p.unitStart);
  if (first === -1) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (const packet of packets.slice(first)) {
    if (packet.pid !== pid) continue;
    chunks.push(packet.payload);
    size += packet.payload.length;
    if (size >= limit) break;
  }
  return Buffer.concat(chunks);
}

const KNOWN_PROFILES = new Set([66, 77, 88, 100, 110, 122, 144, 244]);

/** Finds the first NAL unit of type 7 (SPS) after a 00 00 01 start code. */
export function findSps(bytes: Uint8Array): AvcParameters | null {
  for (let i = 0; i + 6 < bytes.length; i += 1) {
    if (bytes[i] !== 0 || bytes[i + 1] !== 0 || bytes[i + 2] !== 1) continue;
    if (((bytes[i + 3] ?? 0) & 0x1f) !== 7) continue;
    const profileIdc = bytes[i + 4] ?? 0;
    if (!KNOWN_PROFILES.has(profileIdc)) continue;
    return { profileIdc, constraintFlags: bytes[i + 5] ?? 0, levelIdc: bytes[i + 6] ?? 0 };
  }
  return null;
}
