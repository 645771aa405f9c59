import { useEffect } from 'react';
import { Center, Loader } from '@mantine/core';
import { routes } from '../../src-main/server/contract';
import { navigate, useLocationPath } from '../shared/router';
import { LibraryPage } from './components/LibraryPage';
import { SetupPage } from './components/SetupPage';
import { SignInPage } from './components/SignInPage';
import { useSession } from './stores/session';

const pages = routes.studio.pages;

/** The studio: first-run setup, sign-in, then the library. */
export function StudioApp() {
  const status = useSession((session) => session.status);
  const check = useSession((session) => session.check);
  const { path, search } = useLocationPath();

  useEffect(() => {
    void check();
  }, [check]);

  useEffect(() => {
    // Once signed in, the setup and sign-in addresses have nothing left to show.
    if (status === 'signed-in' && path !== pages.root) navigate(pages.root, { replace: true });
  }, [status, path]);

  if (status === 'checking') {
    return (
      <Center h="100vh">
        <Loader />
      </Center>
    );
  }
  if (status === 'signed-in') return <LibraryPage />;
  if (status === 'setup-required' || path === pages.setup) {
    return <SetupPage token={search.get('token') ?? ''} />;
  }
  return <SignInPage />;
}
