import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AdminAuth } from '../../auth/admin-auth';
import { AuthError } from '../../auth/errors';
import type { AdminSession } from '../../auth/sessions';
import { authNames } from '../contract';

declare module 'fastify' {
  interface FastifyRequest {
    /** The cookie session that signed this request in; null when the admin secret did. */
    adminSession: AdminSession | null;
  }
}

const mutatingMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function headerValue(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The live session named by the request's cookie, if any. */
export function sessionOf(request: FastifyRequest, auth: AdminAuth) {
  return auth.sessionFor(request.cookies[authNames.sessionCookie]);
}

/** Whether the request carries a CSRF token matching its session. */
export function hasValidCsrf(request: FastifyRequest, auth: AdminAuth, session: AdminSession) {
  return auth.isCsrfTokenValid(session, headerValue(request, authNames.csrfHeader));
}

/**
 * An onRequest hook for admin routes: signed in by X-Admin-Secret (scripts), or by the session
 * cookie plus, on anything that changes state, an X-CSRF-Token derived from that session.
 */
export function requireAdmin(auth: AdminAuth) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    request.adminSession = null;
    const secret = headerValue(request, authNames.adminSecretHeader);
    if (secret !== undefined) {
      if (await auth.verifyAdminSecret(secret, request.ip)) return;
      throw new AuthError('UNAUTHENTICATED', 'The X-Admin-Secret header is not the password.');
    }
    const session = await sessionOf(request, auth);
    if (!session) {
      throw new AuthError('UNAUTHENTICATED', 'Sign in to the studio first.');
    }
    if (mutatingMethods.has(request.method) && !hasValidCsrf(request, auth, session)) {
      throw new AuthError(
        'CSRF_MISSING',
        'This change needs the X-CSRF-Token header from GET /api/auth/csrf-token.',
      );
    }
    request.adminSession = session;
  };
}
