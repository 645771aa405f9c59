import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AdminAuth } from '../../auth/admin-auth';
import { AuthError } from '../../auth/errors';
import type { AdminSession, ClientInfo } from '../../auth/sessions';
import type { AuthCheck, CsrfToken, Ok } from '../contract';
import { authNames, loginRequestSchema, routes, setupRequestSchema } from '../contract';
import { parseInput } from '../http-errors';
import { hasValidCsrf, sessionOf } from './admin-guard';

const cookieMaxAgeSeconds = 30 * 24 * 60 * 60;

function clientOf(request: FastifyRequest): ClientInfo {
  return { ip: request.ip, userAgent: request.headers['user-agent'] };
}

function setSessionCookie(reply: FastifyReply, session: AdminSession): void {
  // The cookie may outlive the session: the server's expiry (24 h after last use) decides.
  reply.setCookie(authNames.sessionCookie, session.token, {
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    maxAge: cookieMaxAgeSeconds,
  });
}

const ok: Ok = { ok: true };

/** Sign-in, sign-out, first-run setup, session check and CSRF token. */
export function registerAuthRoutes(app: FastifyInstance, auth: AdminAuth): void {
  const paths = routes.studio.auth;

  app.post(paths.login, async (request, reply) => {
    const { password } = parseInput(loginRequestSchema, request.body);
    setSessionCookie(reply, await auth.login(password, clientOf(request)));
    return ok;
  });

  app.post(paths.setup, async (request, reply) => {
    const { token, password } = parseInput(setupRequestSchema, request.body);
    setSessionCookie(reply, await auth.completeSetup(token, password, clientOf(request)));
    return ok;
  });

  app.post(paths.logout, async (request, reply) => {
    const session = await sessionOf(request, auth);
    if (session) {
      if (!hasValidCsrf(request, auth, session)) {
        throw new AuthError('CSRF_MISSING', 'Signing out needs the X-CSRF-Token header.');
      }
      await auth.logout(session);
    }
    reply.clearCookie(authNames.sessionCookie, { path: '/' });
    return ok;
  });

  app.get(paths.check, async (request, reply): Promise<AuthCheck> => {
    reply.header('cache-control', 'no-store');
    const session = await sessionOf(request, auth);
    return { authenticated: session !== undefined, setup_required: !(await auth.isPasswordSet()) };
  });

  app.get(paths.csrfToken, async (request, reply): Promise<CsrfToken> => {
    const session = await sessionOf(request, auth);
    if (!session) throw new AuthError('UNAUTHENTICATED', 'Sign in to the studio first.');
    reply.header('cache-control', 'no-store');
    return { csrf_token: auth.csrfTokenFor(session) };
  });
}
