import net from 'node:net';

function listenOnce(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(undefined));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : undefined;
      server.close(() => resolve(bound));
    });
  });
}

/** True when nothing listens on 127.0.0.1:port. */
export async function isPortFree(port: number): Promise<boolean> {
  return (await listenOnce(port)) === port;
}

/** A port the OS reports free on 127.0.0.1 right now. */
export async function pickFreePort(): Promise<number> {
  const port = await listenOnce(0);
  if (port === undefined) throw new Error('The OS gave no free TCP port on 127.0.0.1.');
  return port;
}
