import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../src-main/server/contract';
import {
  errorBody,
  sessionCookieFrom,
  signIn,
  startTestStudio,
  testPassword,
  type TestStudio,
} from './server-harness';

const auth = routes.studio.auth;
const json = { 'content-type': 'application/json' };

function post(url: string, body: unknown, headers: Record<string, string> = json) {
  return fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
}

describe('studio sign-in with VLOG_ADMIN_PASSWORD', () => {
  let studio: TestStudio;
  let url: string;

  beforeAll(async () => {
    studio = await startTestStudio();
    url = studio.servers.studioUrl;
  });
  afterAll(() => studio.stop());

  it('answers /health on both listeners with the real ports', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(url).not.toMatch(/:0$/);
    for (const base of [studio.servers.studioUrl, studio.servers.publicUrl]) {
      const response = await fetch(base + routes.health);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        status: 'ok',
        database: 'ok',
        media: { ffmpeg: expect.any(String), encoders: { h264: true, aac: true } },
      });
    }
    expect(studio.servers.setupUrl).toBeUndefined();
  });

  it('stores the password as an argon2id hash in the settings table', async () => {
    const row = await studio.database.db
      .selectFrom('settings')
      .select(['value', 'category', 'value_type'])
      .where('key', '=', 'auth.admin_password_hash')
      .executeTakeFirstOrThrow();
    expect(row.category).toBe('auth');
    expect(row.value_type).toBe('string');
    const hash = JSON.parse(row.value) as string;
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(row.value).not.toContain(testPassword);
  });

  it('refuses admin routes without a session', async () => {
    const response = await fetch(url + routes.studio.videos);
    expect(response.status).toBe(401);
    expect((await errorBody(response)).error).toBe('UNAUTHENTICATED');
    const check = await fetch(url + auth.check);
    expect(await check.json()).toEqual({ authenticated: false, setup_required: false });
  });

  it('refuses a wrong password and validates the body', async () => {
    const wrong = await post(url + auth.login, { password: 'not it' });
    expect(wrong.status).toBe(401);
    expect((await errorBody(wrong)).error).toBe('INVALID_PASSWORD');
    expect(wrong.headers.getSetCookie()).toEqual([]);

    const missing = await post(url + auth.login, { pass: 'x' });
    expect(missing.status).toBe(400);
    const body = await errorBody(missing);
    expect(body.error).toBe('VALIDATION_FAILED');
    expect(body.message).toContain('password');
  });

  it('signs in with a strict HttpOnly cookie backed by admin_sessions', async () => {
    const response = await post(
      url + auth.login,
      { password: testPassword },
      {
        ...json,
        'user-agent': 'vitest-agent',
      },
    );
    expect(response.status).toBe(200);
    const setCookie = response.headers.getSetCookie().join('\n');
    expect(setCookie).toMatch(/vlog_admin_session=[^;]{64,}/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toMatch(/Path=\//);

    const token = sessionCookieFrom(response).split('=')[1] as string;
    const row = await studio.database.db
      .selectFrom('admin_sessions')
      .selectAll()
      .where('session_token', '=', token)
      .executeTakeFirstOrThrow();
    expect(row.user_agent).toBe('vitest-agent');
    expect(row.ip_address).toMatch(/127\.0\.0\.1/);
    const hoursLeft = (row.expires_at.getTime() - Date.now()) / 3_600_000;
    expect(hoursLeft).toBeGreaterThan(23.9);
    expect(hoursLeft).toBeLessThanOrEqual(24);

    const check = await fetch(url + auth.check, {
      headers: { cookie: sessionCookieFrom(response) },
    });
    expect(await check.json()).toEqual({ authenticated: true, setup_required: false });
  });

  it('requires the session CSRF token on changes made by cookie', async () => {
    const client = await signIn(url);
    const list = await fetch(url + routes.studio.videos, { headers: { cookie: client.cookie } });
    expect(list.status).toBe(200);

    const category = { name: 'Travel' };
    const noToken = await post(url + routes.studio.categories, category, {
      ...json,
      cookie: client.cookie,
    });
    expect(noToken.status).toBe(403);
    expect((await errorBody(noToken)).error).toBe('CSRF_MISSING');

    const other = await signIn(url);
    const foreignToken = await post(url + routes.studio.categories, category, {
      ...json,
      cookie: client.cookie,
      'x-csrf-token': other.csrf,
    });
    expect(foreignToken.status).toBe(403);

    const good = await post(url + routes.studio.categories, category, client.mutating());
    expect(good.status).toBe(201);
  });

  it('accepts X-Admin-Secret for scripts without CSRF, and refuses a wrong one', async () => {
    const good = await post(
      url + routes.studio.categories,
      { name: 'Scripts' },
      {
        ...json,
        'x-admin-secret': testPassword,
      },
    );
    expect(good.status).toBe(201);
    const list = await fetch(url + routes.studio.categories, {
      headers: { 'x-admin-secret': testPassword },
    });
    expect(list.status).toBe(200);

    const wrong = await fetch(url + routes.studio.videos, {
      headers: { 'x-admin-secret': 'nope' },
    });
    expect(wrong.status).toBe(401);
    expect((await errorBody(wrong)).error).toBe('UNAUTHENTICATED');
  });

  it('signs out: the session row goes and the cookie stops working', async () => {
    const client = await signIn(url);
    const noToken = await post(url + auth.logout, {}, { ...json, cookie: client.cookie });
    expect(noToken.status).toBe(403);

    const out = await post(url + auth.logout, {}, client.mutating());
    expect(out.status).toBe(200);
    expect(out.headers.getSetCookie().join()).toMatch(/vlog_admin_session=;/);
    const after = await fetch(url + routes.studio.videos, { headers: { cookie: client.cookie } });
    expect(after.status).toBe(401);
    const csrf = await fetch(url + auth.csrfToken, { headers: { cookie: client.cookie } });
    expect(csrf.status).toBe(401);
  });

  it('refuses an expired session', async () => {
    const client = await signIn(url);
    const token = client.cookie.split('=')[1] as string;
    await studio.database.db
      .updateTable('admin_sessions')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('session_token', '=', token)
      .execute();
    const response = await fetch(url + routes.studio.videos, {
      headers: { cookie: client.cookie },
    });
    expect(response.status).toBe(401);
  });
});

describe('failed sign-ins are throttled', () => {
  let studio: TestStudio;
  beforeAll(async () => (studio = await startTestStudio()));
  afterAll(() => studio.stop());

  it('answers 429 with Retry-After after ten failures, even for the right password', async () => {
    const url = studio.servers.studioUrl + auth.login;
    for (let i = 0; i < 10; i += 1) {
      expect((await post(url, { password: `guess ${i}` })).status).toBe(401);
    }
    const blocked = await post(url, { password: testPassword });
    expect(blocked.status).toBe(429);
    expect((await errorBody(blocked)).error).toBe('TOO_MANY_REQUESTS');
    const wait = Number(blocked.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
  });
});

describe('first run without a password', () => {
  let studio: TestStudio;
  let url: string;
  beforeAll(async () => {
    studio = await startTestStudio({});
    url = studio.servers.studioUrl;
  });
  afterAll(() => studio.stop());

  it('offers a one-time setup link and lets the creator choose the password', async () => {
    const setupUrl = studio.servers.setupUrl;
    expect(setupUrl).toMatch(new RegExp(`^${url}/setup\\?token=[A-Za-z0-9_-]{40,}$`));
    const token = new URL(setupUrl as string).searchParams.get('token') as string;

    const check = await fetch(url + auth.check);
    expect(await check.json()).toEqual({ authenticated: false, setup_required: true });
    const page = await fetch(setupUrl as string);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('studio-root');
    expect((await post(url + auth.login, { password: testPassword })).status).toBe(401);

    const badToken = await post(url + auth.setup, {
      token: 'x'.repeat(43),
      password: testPassword,
    });
    expect(badToken.status).toBe(403);
    expect((await errorBody(badToken)).error).toBe('SETUP_TOKEN_INVALID');
    const shortPassword = await post(url + auth.setup, { token, password: 'short' });
    expect(shortPassword.status).toBe(400);

    const done = await post(url + auth.setup, { token, password: testPassword });
    expect(done.status).toBe(200);
    const cookie = sessionCookieFrom(done);
    const after = await fetch(url + auth.check, { headers: { cookie } });
    expect(await after.json()).toEqual({ authenticated: true, setup_required: false });

    const again = await post(url + auth.setup, { token, password: 'another password' });
    expect(again.status).toBe(409);
    expect((await signIn(url)).csrf.length).toBeGreaterThan(20);
  });
});

describe('health when the database is gone', () => {
  it('answers 503 naming the database', async () => {
    const studio = await startTestStudio();
    try {
      await studio.database.db.destroy();
      for (const base of [studio.servers.studioUrl, studio.servers.publicUrl]) {
        const response = await fetch(base + routes.health);
        expect(response.status).toBe(503);
        expect(await response.json()).toMatchObject({ status: 'error', database: 'error' });
      }
    } finally {
      await studio.stop();
    }
  });
});
