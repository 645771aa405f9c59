import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema';

/** A session lasts this long after its last use. */
export const sessionLifetimeMs = 24 * 60 * 60_000;
/** Sliding the expiry is a write; once a minute per session is enough. */
const slideEveryMs = 60_000;

export interface ClientInfo {
  ip: string;
  userAgent: string | undefined;
}

export interface AdminSession {
  id: number;
  token: string;
  expiresAt: Date;
}

/** A new random token of 64 URL-safe characters. */
export function newSessionToken(): string {
  return randomBytes(48).toString('base64url');
}

/** Starts a signed-in session for a client and returns its token (the cookie's value). */
export async function createAdminSession(
  db: Kysely<Database>,
  client: ClientInfo,
): Promise<AdminSession> {
  const token = newSessionToken();
  const expiresAt = new Date(Date.now() + sessionLifetimeMs);
  const row = await db
    .insertInto('admin_sessions')
    .values({
      session_token: token,
      created_at: new Date(),
      expires_at: expiresAt,
      last_used_at: new Date(),
      ip_address: client.ip.slice(0, 45),
      user_agent: client.userAgent?.slice(0, 512) ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, token, expiresAt };
}

/** The live session with this token, its expiry pushed 24 h ahead; undefined if none. */
export async function findAdminSession(
  db: Kysely<Database>,
  token: string,
): Promise<AdminSession | undefined> {
  const row = await db
    .selectFrom('admin_sessions')
    .select(['id', 'expires_at', 'last_used_at'])
    .where('session_token', '=', token)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  if (!row) return undefined;
  const lastUsed = row.last_used_at?.getTime() ?? 0;
  if (Date.now() - lastUsed < slideEveryMs) {
    return { id: row.id, token, expiresAt: row.expires_at };
  }
  const expiresAt = new Date(Date.now() + sessionLifetimeMs);
  await db
    .updateTable('admin_sessions')
    .set({ expires_at: expiresAt, last_used_at: new Date() })
    .where('id', '=', row.id)
    .execute();
  return { id: row.id, token, expiresAt };
}

/** Ends a session (sign-out). */
export async function deleteAdminSession(db: Kysely<Database>, token: string): Promise<void> {
  await db.deleteFrom('admin_sessions').where('session_token', '=', token).execute();
}

/** Removes sessions past their expiry; returns how many. */
export async function deleteExpiredAdminSessions(db: Kysely<Database>): Promise<number> {
  const result = await db
    .deleteFrom('admin_sessions')
    .where('expires_at', '<=', sql<Date>`now()`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The CSRF token of a session: an HMAC of its token, so nothing more is stored. */
export function csrfTokenFor(secret: string, sessionToken: string): string {
  return createHmac('sha256', secret).update(`csrf:${sessionToken}`).digest('base64url');
}

/** Compares two secrets in constant time. */
export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
