import { useState } from 'react';
import type { FormEvent } from 'react';
import { Alert, Button, PasswordInput, Stack } from '@mantine/core';
import { useSession } from '../stores/session';
import { AuthLayout } from './AuthLayout';

/** Asks for the studio password. */
export function SignInPage() {
  const [password, setPassword] = useState('');
  const { busy, error, signIn } = useSession();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (password) void signIn(password);
  };

  return (
    <AuthLayout title="Sign in" subtitle="Enter the studio password to manage your library.">
      <form onSubmit={submit}>
        <Stack>
          <PasswordInput
            label="Password"
            autoFocus
            autoComplete="current-password"
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
            data-testid="password-input"
          />
          {error && <Alert color="red">{error}</Alert>}
          <Button type="submit" loading={busy} disabled={!password} data-testid="sign-in">
            Sign in
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
