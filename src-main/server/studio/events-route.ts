import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { routes, sseEventNames } from '../contract';
import type { StudioRouteDeps } from './deps';

/** GET /api/events: relays the bus's job and video events as server-sent events. */
export function registerEventsRoute(app: FastifyInstance, deps: StudioRouteDeps): void {
  const open = new Set<ServerResponse>();

  // A stream never goes idle, so closing the listener would wait for it forever.
  app.addHook('preClose', async () => {
    for (const response of open) response.end();
    open.clear();
  });

  app.get(routes.studio.events, async (request, reply) => {
    reply.hijack();
    const response = reply.raw;
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    response.write('retry: 3000\n: connected\n\n');
    open.add(response);

    const unsubscribers = sseEventNames.map((name) =>
      deps.ctx.bus.on(name, (payload) => {
        response.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`);
      }),
    );
    const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), deps.sseHeartbeatMs);

    request.raw.on('close', () => {
      clearInterval(heartbeat);
      for (const unsubscribe of unsubscribers) unsubscribe();
      open.delete(response);
    });
  });
}
