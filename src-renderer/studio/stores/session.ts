import { create } from 'zustand';
import { adminClient } from '../client';
import { messageOf } from '../../shared/errors';

export type SessionStatus = 'checking' | 'setup-required' | 'signed-out' | 'signed-in';

interface SessionStore {
  status: SessionStatus;
  error: string | null;
  busy: boolean;
  /** Asks the server whether this browser is signed in, or whether no password exists yet. */
  check(): Promise<void>;
  signIn(password: string): Promise<boolean>;
  setUp(token: string, password: string): Promise<boolean>;
  signOut(): Promise<void>;
  /** Called when any request answers 401: the session expired. */
  expired(): void;
}

/** Whether the studio user is signed in, and the sign-in and setup actions. */
export const useSession = create<SessionStore>()((set) => {
  async function attempt(action: () => Promise<unknown>): Promise<boolean> {
    set({ busy: true, error: null });
    try {
      await action();
      set({ status: 'signed-in', busy: false });
      return true;
    } catch (error) {
      set({ busy: false, error: messageOf(error) });
      return false;
    }
  }

  return {
    status: 'checking',
    error: null,
    busy: false,

    async check() {
      try {
        const auth = await adminClient.checkAuth();
        const status = auth.authenticated
          ? 'signed-in'
          : auth.setup_required
            ? 'setup-required'
            : 'signed-out';
        set({ status, error: null });
      } catch (error) {
        set({ status: 'signed-out', error: messageOf(error) });
      }
    },

    signIn: (password) => attempt(() => adminClient.login(password)),
    setUp: (token, password) => attempt(() => adminClient.setup(token, password)),

    async signOut() {
      await adminClient.logout().catch(() => {});
      set({ status: 'signed-out', error: null });
    },

    expired() {
      set((state) =>
        state.status === 'signed-in'
          ? { status: 'signed-out', error: 'Your session ended. Sign in again.' }
          : state,
      );
    },
  };
});

adminClient.onSessionEnded(() => useSession.getState().expired());
