// `npx tsx scripts/bench-transcription.ts`: transcribes friday.mp4 through the studio's own
// pipeline parts (explicit audio stream, 16 kHz mono WAV, whisper.cpp engine) and prints the
// real-time factor (processing time / audio duration, lower is faster). With a real model in
// VLOG_WHISPER_MODEL it also prints the word error rate against friday.vtt; without one it runs
// the generated random-weight test model, whose words mean nothing, so no WER is given.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fixturePath } from '../tests/support/fixtures';
import { writeTinyWhisperModel } from '../tests/support/whisper-model';
import { parseCaptions, transcriptText } from '../src-main/library/captions-format';
import { createLogger } from '../src-main/log';
import {
  chooseSpeechStream,
  extractSpeechAudio,
  listAudioStreams,
  SPEECH_SAMPLE_RATE,
} from '../src-main/media/speech';
import { locateMediaTools } from '../src-main/media/tools';
import { createWhisperEngine } from '../src-main/transcription/engine';
import { segmentsToCues } from '../src-main/transcription/transcribe-video';
import { wordErrorRate } from '../src-main/transcription/wer';

const log = createLogger('bench.transcription');
log.level = 'warn';

async function main(): Promise<void> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'vlog-bench-speech-'));
  try {
    const media = await locateMediaTools({ ffmpegPath: process.env['VLOG_FFMPEG_PATH'] });
    const source = fixturePath('friday.mp4');
    const realModel = process.env['VLOG_WHISPER_MODEL'];
    const modelPath = realModel ?? path.join(scratch, 'ggml-tiny-test.bin');
    if (!realModel) await writeTinyWhisperModel(modelPath);

    const extractStart = performance.now();
    const stream = chooseSpeechStream(await listAudioStreams(media, source, { log }));
    if (!stream) throw new Error('friday.mp4 has no audio stream');
    const wav = path.join(scratch, 'speech.wav');
    await extractSpeechAudio(media, { path: source, streamIndex: stream.index }, wav, { log });
    const extractMs = performance.now() - extractStart;
    const audioSeconds = ((await stat(wav)).size - 44) / 2 / SPEECH_SAMPLE_RATE;

    const engine = createWhisperEngine(log);
    const request = { modelPath, audioPath: wav, language: 'en', threads: 2 };
    const loadStart = performance.now();
    await engine.transcribe(request); // first run loads the model; it is timed on its own
    const firstMs = performance.now() - loadStart;
    const runStart = performance.now();
    const result = await engine.transcribe(request);
    const inferenceMs = performance.now() - runStart;
    await engine.close();

    const cues = segmentsToCues(result.segments, audioSeconds);
    const hypothesis = transcriptText(cues);
    console.log(`engine: ${engine.name}`);
    console.log(`model: ${realModel ?? 'generated random-weight test model (tiny dims)'}`);
    console.log(`audio: stream #${stream.index}, ${audioSeconds.toFixed(2)} s at 16 kHz mono`);
    console.log(`audio extraction: ${extractMs.toFixed(0)} ms`);
    console.log(`first run (model load + inference): ${firstMs.toFixed(0)} ms`);
    console.log(`inference (model loaded): ${inferenceMs.toFixed(0)} ms`);
    const rtf = (extractMs + inferenceMs) / 1000 / audioSeconds;
    console.log(`real-time factor (extraction + inference) / audio: ${rtf.toFixed(3)}`);
    console.log(`transcript: ${JSON.stringify(hypothesis)}`);
    if (!realModel) {
      console.log('word error rate: not meaningful with the generated model (random weights);');
      console.log('  set VLOG_WHISPER_MODEL to a ggml model (e.g. ggml-base.en.bin) to measure it');
      return;
    }
    const reference = parseCaptions(await readFile(fixturePath('friday.vtt'), 'utf8')).cues;
    const wer = wordErrorRate(transcriptText(reference), hypothesis);
    console.log(`word error rate against friday.vtt: ${(wer * 100).toFixed(1)} %`);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
