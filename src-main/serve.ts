import { fileURLToPath } from 'node:url';
import { createLogger } from './log';
import { startStudio, type RunningStudio } from './main';
import { describeStartupError } from './startup-errors';

const log = createLogger('serve');

/** How long a shutdown may take before the process exits anyway. */
const SHUTDOWN_DEADLINE_MS = 30_000;

function handleSignals(studio: RunningStudio): void {
  let stoppingSince: number | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stoppingSince !== undefined) {
      // A terminal's Ctrl-C and a launcher forwarding it arrive together: not a second ask.
      if (Date.now() - stoppingSince < 2000) return;
      log.warn({ signal }, 'second signal: exiting without a clean shutdown');
      process.exit(1);
    }
    stoppingSince = Date.now();
    log.info({ signal }, 'shutting down');
    setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    studio.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/** The headless studio: `npm run serve`. */
async function serve(): Promise<void> {
  try {
    const studio = await startStudio({
      env: process.env,
      rendererDir: fileURLToPath(new URL('../renderer', import.meta.url)),
    });
    handleSignals(studio);
  } catch (error) {
    log.debug({ err: error }, 'start failed');
    process.stderr.write(`${describeStartupError(error, process.env)}\n`);
    process.exit(1);
  }
}

void serve();
