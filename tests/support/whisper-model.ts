import { writeFile } from 'node:fs/promises';

/**
 * Writes a whisper.cpp ggml model file with seeded random weights of the right shapes.
 *
 * The layout follows whisper.cpp's loader: magic, hyper-parameters, mel filter bank, vocabulary,
 * then every tensor as (n_dims, name length, type, dims, name, data). The weights are noise, so
 * the model transcribes nothing meaningful, but the real engine loads it and runs inference on
 * it exactly as it would a downloaded model.
 */

const GGML_MAGIC = 0x67676d6c;
const TYPE_F32 = 0;
const TYPE_F16 = 1;
/** Ordinary (byte-pair) tokens of the English-only vocabulary; specials are added by the loader. */
const PLAIN_TOKENS = 50256;

export interface TinyWhisperConfig {
  nVocab: number;
  nAudioCtx: number;
  nAudioState: number;
  nAudioHead: number;
  nAudioLayer: number;
  nTextCtx: number;
  nTextState: number;
  nTextHead: number;
  nTextLayer: number;
  nMels: number;
  ftype: 'f32' | 'f16';
  seed: number;
}

/** The smallest configuration the loader accepts with the English-only vocabulary size. */
export const tinyWhisperConfig: TinyWhisperConfig = {
  nVocab: 51864,
  nAudioCtx: 1500,
  nAudioState: 64,
  nAudioHead: 2,
  nAudioLayer: 1,
  nTextCtx: 448,
  nTextState: 64,
  nTextHead: 2,
  nTextLayer: 1,
  nMels: 80,
  ftype: 'f16',
  seed: 20241203,
};

interface TensorSpec {
  name: string;
  dims: number[];
  /** Stored in the model's weight type (f16 for an f16 model) rather than always f32. */
  weight: boolean;
  fill: 'random' | 'ones' | 'zeros';
}

/** Generates the model and writes it to `file`; returns the file's byte length. */
export async function writeTinyWhisperModel(
  file: string,
  overrides: Partial<TinyWhisperConfig> = {},
): Promise<number> {
  const config = { ...tinyWhisperConfig, ...overrides };
  const data = buildTinyWhisperModel(config);
  await writeFile(file, data);
  return data.length;
}

/** The model file's bytes for one configuration (same seed, same bytes). */
export function buildTinyWhisperModel(config: TinyWhisperConfig): Buffer {
  const random = seededRandom(config.seed);
  const chunks: Buffer[] = [header(config), melFilters(config.nMels, random), vocabulary()];
  for (const spec of tensorSpecs(config)) chunks.push(tensor(spec, config, random));
  return Buffer.concat(chunks);
}

function header(config: TinyWhisperConfig): Buffer {
  const values = [
    GGML_MAGIC,
    config.nVocab,
    config.nAudioCtx,
    config.nAudioState,
    config.nAudioHead,
    config.nAudioLayer,
    config.nTextCtx,
    config.nTextState,
    config.nTextHead,
    config.nTextLayer,
    config.nMels,
    config.ftype === 'f16' ? 1 : 0,
  ];
  const buffer = Buffer.alloc(values.length * 4);
  values.forEach((value, index) => buffer.writeUInt32LE(value, index * 4));
  return buffer;
}

function melFilters(nMels: number, random: () => number): Buffer {
  const nFft = 201;
  const buffer = Buffer.alloc(8 + nMels * nFft * 4);
  buffer.writeInt32LE(nMels, 0);
  buffer.writeInt32LE(nFft, 4);
  for (let i = 0; i < nMels * nFft; i++) buffer.writeFloatLE(random() * 0.01, 8 + i * 4);
  return buffer;
}

function vocabulary(): Buffer {
  const parts: Buffer[] = [int32(PLAIN_TOKENS)];
  for (let id = 0; id < PLAIN_TOKENS; id++) {
    const bytes = Buffer.from(tokenText(id), 'utf8');
    parts.push(int32(bytes.length), bytes);
  }
  return Buffer.concat(parts);
}

/**
 * Token strings shaped like GPT-2's: the decoder looks up " " (id 220 there) by text, so the
 * single characters must exist; the rest are made-up syllable words.
 */
function tokenText(id: number): string {
  if (id === 220) return ' ';
  if (id < 256) return id >= 33 && id < 127 ? String.fromCharCode(id) : `<0x${id.toString(16)}>`;
  const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'ze', 'pa', 'do', 'gu'];
  return ` ${syllables[id % 12]}${syllables[Math.floor(id / 12) % 12]}${id}`;
}

function tensorSpecs(config: TinyWhisperConfig): TensorSpec[] {
  const a = config.nAudioState;
  const t = config.nTextState;
  const specs: TensorSpec[] = [
    random('encoder.positional_embedding', [a, config.nAudioCtx], false),
    random('encoder.conv1.weight', [3, config.nMels, a], true),
    zeros('encoder.conv1.bias', [1, a]),
    random('encoder.conv2.weight', [3, a, a], true),
    zeros('encoder.conv2.bias', [1, a]),
    ...layerNorm('encoder.ln_post', a),
  ];
  for (let i = 0; i < config.nAudioLayer; i++) {
    specs.push(...blockTensors(`encoder.blocks.${i}`, 'attn', a));
  }
  specs.push(
    random('decoder.positional_embedding', [t, config.nTextCtx], false),
    random('decoder.token_embedding.weight', [t, config.nVocab], true),
    ...layerNorm('decoder.ln', t),
  );
  for (let i = 0; i < config.nTextLayer; i++) {
    specs.push(...blockTensors(`decoder.blocks.${i}`, 'attn', t));
    specs.push(...attentionTensors(`decoder.blocks.${i}`, 'cross_attn', t));
  }
  return specs;
}

function blockTensors(prefix: string, attention: string, n: number): TensorSpec[] {
  return [
    ...layerNorm(`${prefix}.mlp_ln`, n),
    random(`${prefix}.mlp.0.weight`, [n, 4 * n], true),
    zeros(`${prefix}.mlp.0.bias`, [4 * n]),
    random(`${prefix}.mlp.2.weight`, [4 * n, n], true),
    zeros(`${prefix}.mlp.2.bias`, [n]),
    ...attentionTensors(prefix, attention, n),
  ];
}

function attentionTensors(prefix: string, attention: string, n: number): TensorSpec[] {
  const at = `${prefix}.${attention}`;
  return [
    ...layerNorm(`${prefix}.${attention}_ln`, n),
    random(`${at}.query.weight`, [n, n], true),
    zeros(`${at}.query.bias`, [n]),
    random(`${at}.key.weight`, [n, n], true),
    random(`${at}.value.weight`, [n, n], true),
    zeros(`${at}.value.bias`, [n]),
    random(`${at}.out.weight`, [n, n], true),
    zeros(`${at}.out.bias`, [n]),
  ];
}

function layerNorm(prefix: string, n: number): TensorSpec[] {
  return [
    { name: `${prefix}.weight`, dims: [n], weight: false, fill: 'ones' },
    zeros(`${prefix}.bias`, [n]),
  ];
}

function random(name: string, dims: number[], weight: boolean): TensorSpec {
  return { name, dims, weight, fill: 'random' };
}

function zeros(name: string, dims: number[]): TensorSpec {
  return { name, dims, weight: false, fill: 'zeros' };
}

function tensor(spec: TensorSpec, config: TinyWhisperConfig, random: () => number): Buffer {
  const half = spec.weight && config.ftype === 'f16';
  const name = Buffer.from(spec.name, 'utf8');
  const head = Buffer.alloc(12 + spec.dims.length * 4);
  head.writeInt32LE(spec.dims.length, 0);
  head.writeInt32LE(name.length, 4);
  head.writeInt32LE(half ? TYPE_F16 : TYPE_F32, 8);
  spec.dims.forEach((dim, index) => head.writeInt32LE(dim, 12 + index * 4));

  const count = spec.dims.reduce((product, dim) => product * dim, 1);
  const body = Buffer.alloc(count * (half ? 2 : 4));
  for (let i = 0; i < count; i++) {
    const value = spec.fill === 'random' ? (random() - 0.5) * 0.2 : spec.fill === 'ones' ? 1 : 0;
    if (half) body.writeUInt16LE(toHalf(value), i * 2);
    else body.writeFloatLE(value, i * 4);
  }
  return Buffer.concat([head, name, body]);
}

function int32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeInt32LE(value, 0);
  return buffer;
}

/** IEEE 754 half precision for the small normal values used here (no NaN or infinity). */
function toHalf(value: number): number {
  if (value === 0) return 0;
  const sign = value < 0 ? 0x8000 : 0;
  const magnitude = Math.abs(value);
  const exponent = Math.floor(Math.log2(magnitude));
  if (exponent < -14) return sign; // flush values below the normal range to zero
  const mantissa = Math.round((magnitude / 2 ** exponent - 1) * 1024);
  if (mantissa === 1024) return sign | ((exponent + 16) << 10);
  return sign | ((exponent + 15) << 10) | mantissa;
}

/** mulberry32: a small seeded generator so the same seed always gives the same file. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}
