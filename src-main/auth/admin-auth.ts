import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import type { Logger } from '../log';
import { readSetting, writeSetting, type SettingDefinition } from '../library/settings';
import { AuthError } from './errors';
import { hashPassword, verifyPassword } from './passwords';
import {
  createAdminSession,
  csrfTokenFor,
  deleteAdminSession,
  deleteExpiredAdminSessions,
  findAdminSession,
  sameSecret,
  type AdminSession,
  type ClientInfo,
} from './sessions';
import { FailureThrottle } from './throttle';

const passwordHashSetting: SettingDefinition = {
  key: 'auth.admin_password_hash',
  category: 'auth',
  valueType: 'string',
  description: 'argon2id hash of the studio password',
};

const sessionSecretSetting: SettingDefinition = {
  key: 'auth.session_secret',
  category: 'auth',
  valueType: 'string',
  description: 'Key deriving CSRF tokens from admin sessions',
};

export interface AdminAuthOptions {
  /** VLOG_ADMIN_PASSWORD: when given, it becomes the studio password. */
  passwordFromEnv: string | undefined;
  log: Logger;
  throttle?: FailureThrottle;
}

async function storedPasswordHash(db: Kysely<Database>): Promise<string | undefined> {
  const value = await readSetting(db, passwordHashSetting.key);
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

async function loadOrCreateSessionSecret(db: Kysely<Database>): Promise<string> {
  const stored = await readSetting(db, sessionSecretSetting.key);
  if (typeof stored === 'string' && stored.length >= 32) return stored;
  const secret = randomBytes(32).toString('base64url');
  await writeSetting(db, sessionSecretSetting, secret, 'system');
  return secret;
}

function fingerprint(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** The studio's sign-in rules: password, setup token, sessions, CSRF and the admin secret. */
export class AdminAuth {
  /** Set while no password exists: the one-time token of the setup link. */
  setupToken: string | undefined;
  /** Admin secrets already verified against a given hash, so argon2 runs once per secret. */
  private readonly verifiedSecrets = new Map<string, string>();

  private constructor(
    private readonly db: Kysely<Database>,
    private readonly sessionSecret: string,
    private readonly log: Logger,
    private readonly throttle: FailureThrottle,
  ) {}

  /** Applies VLOG_ADMIN_PASSWORD, loads the CSRF key and makes a setup token if needed. */
  static async prepare(db: Kysely<Database>, options: AdminAuthOptions): Promise<AdminAuth> {
    const secret = await loadOrCreateSessionSecret(db);
    const auth = new AdminAuth(db, secret, options.log, options.throttle ?? new FailureThrottle());
    if (options.passwordFromEnv) await auth.applyPasswordFromEnv(options.passwordFromEnv);
    await auth.removeExpiredSessions();
    if (!(await storedPasswordHash(db))) {
      auth.setupToken = randomBytes(32).toString('base64url');
      options.log.warn('no studio password is set: open the setup link to choose one');
    }
    return auth;
  }

  private async applyPasswordFromEnv(password: string): Promise<void> {
    const current = await storedPasswordHash(this.db);
    if (current && (await verifyPassword(current, password))) return;
    await writeSetting(this.db, passwordHashSetting, await hashPassword(password), 'env');
    this.log.info('studio password set from VLOG_ADMIN_PASSWORD');
  }

  /** Whether a studio password exists (false until the setup page has been used). */
  async isPasswordSet(): Promise<boolean> {
    return (await storedPasswordHash(this.db)) !== undefined;
  }

  private assertNotThrottled(ip: string): void {
    const waitMs = this.throttle.retryAfterMs(ip);
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      throw new AuthError(
        'TOO_MANY_REQUESTS',
        `Too many failed attempts from this address. Try again in ${seconds} seconds.`,
        seconds,
      );
    }
  }

  /** Checks the password and starts a session; throttles repeated failures per address. */
  async login(password: string, client: ClientInfo): Promise<AdminSession> {
    this.assertNotThrottled(client.ip);
    const hash = await storedPasswordHash(this.db);
    if (!hash) {
      throw new AuthError('UNAUTHENTICATED', 'No password is set yet: use the setup link.');
    }
    if (!(await verifyPassword(hash, password))) {
      this.throttle.recordFailure(client.ip);
      this.log.warn({ ip: client.ip }, 'failed studio sign-in');
      throw new AuthError('INVALID_PASSWORD', 'That password is not right.');
    }
    this.throttle.recordSuccess(client.ip);
    return createAdminSession(this.db, client);
  }

  /** Uses the one-time setup token to choose the first password, and signs the client in. */
  async completeSetup(token: string, password: string, client: ClientInfo) {
    this.assertNotThrottled(client.ip);
    if (!this.setupToken || (await this.isPasswordSet())) {
      throw new AuthError('SETUP_NOT_NEEDED', 'A password is already set: sign in instead.');
    }
    if (!sameSecret(token, this.setupToken)) {
      this.throttle.recordFailure(client.ip);
      throw new AuthError(
        'SETUP_TOKEN_INVALID',
        'This setup link is not valid. Use the link the studio printed when it started.',
      );
    }
    this.setupToken = undefined;
    await writeSetting(this.db, passwordHashSetting, await hashPassword(password), 'setup');
    this.log.info('studio password chosen on the setup page');
    return createAdminSession(this.db, client);
  }

  /** The live session a cookie names, if any. */
  sessionFor(token: string | undefined): Promise<AdminSession | undefined> {
    if (!token || token.length > 128) return Promise.resolve(undefined);
    return findAdminSession(this.db, token);
  }

  /** Whether an X-Admin-Secret header carries the studio password (throttled like sign-in). */
  async verifyAdminSecret(secret: string, ip: string): Promise<boolean> {
    this.assertNotThrottled(ip);
    const hash = await storedPasswordHash(this.db);
    if (!hash) return false;
    const key = fingerprint(secret);
    if (this.verifiedSecrets.get(key) === hash) return true;
    if (!(await verifyPassword(hash, secret))) {
      this.throttle.recordFailure(ip);
      return false;
    }
    this.verifiedSecrets.clear();
    this.verifiedSecrets.set(key, hash);
    return true;
  }

  csrfTokenFor(session: AdminSession): string {
    return csrfTokenFor(this.sessionSecret, session.token);
  }

  /** Whether a request's X-CSRF-Token belongs to its session. */
  isCsrfTokenValid(session: AdminSession, header: string | undefined): boolean {
    return header !== undefined && sameSecret(header, this.csrfTokenFor(session));
  }

  /** Deletes sessions past their expiry, so the table does not grow without end. */
  async removeExpiredSessions(): Promise<void> {
    const removed = await deleteExpiredAdminSessions(this.db);
    if (removed > 0) this.log.info({ removed }, 'expired studio sessions removed');
  }

  logout(session: AdminSession): Promise<void> {
    return deleteAdminSession(this.db, session.token);
  }
}
