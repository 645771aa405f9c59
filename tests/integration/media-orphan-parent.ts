// A studio stand-in for media-runner.test.ts: starts a long ffmpeg through the runner,
// prints its pid, then dies by SIGKILL as a crashed studio would.
import { createLogger } from '../../src-main/log';
import { runFfmpeg } from '../../src-main/media/runner';
import { mediaToolsForTests } from '../../src-main/media/testing';

const tools = await mediaToolsForTests();
const pidDir = process.argv[2];
const args = ['-re', '-f', 'lavfi', '-i', 'testsrc=d=120:s=160x120', '-f', 'null', '-'];
runFfmpeg(tools, args, { log: createLogger('orphan-parent'), pidDir }).catch(() => undefined);
setTimeout(() => process.kill(process.pid, 'SIGKILL'), 1500);
