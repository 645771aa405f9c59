// A stand-in for the studio process in crash tests: starts the embedded cluster in the data
// folder given as the first argument, reports it, then waits to be killed.
import { EmbeddedCluster } from '../../db/embedded-cluster';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: embedded-cluster-child <dataDir>');

const cluster = await EmbeddedCluster.start({ dataDir });
process.stdout.write(`READY ${JSON.stringify({ pid: cluster.pid, port: cluster.port })}\n`);
setInterval(() => undefined, 60_000);
