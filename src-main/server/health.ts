import type { FastifyInstance } from 'fastify';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import type { Logger } from '../log';
import type { Health } from './contract';
import { routes } from './contract';

/** GET /health: 200 when the database answers, 503 naming the failing part otherwise. */
export function registerHealthRoute(app: FastifyInstance, db: Kysely<Database>, log: Logger): void {
  app.get(routes.health, async (_request, reply) => {
    try {
      await sql`select 1`.execute(db);
      const body: Health = { status: 'ok', database: 'ok' };
      return reply.header('cache-control', 'no-store').send(body);
    } catch (error) {
      log.warn({ err: error }, 'health check: database unreachable');
      const body: Health = { status: 'error', database: 'error' };
      return reply.code(503).header('cache-control', 'no-store').send(body);
    }
  });
}
