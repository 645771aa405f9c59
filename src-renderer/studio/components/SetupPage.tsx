import { useState } from 'react';
import type { FormEvent } from 'react';
import { Alert, Button, PasswordInput, Stack, Text } from '@mantine/core';
import { minimumPasswordLength } from '../../../src-main/server/contract';
import { useSession } from '../stores/session';
import { AuthLayout } from './AuthLayout';

/** First run: choose the studio password with the one-time token from the setup link. */
export function SetupPage({ token }: { token: string }) {
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const { busy, error, setUp } = useSession();
  const tooShort = password.length > 0 && password.length < minimumPasswordLength;
  const mismatch = repeat.length > 0 && repeat !== password;
  const ready = password.length >= minimumPasswordLength && repeat === password;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (ready) void setUp(token, password);
  };

  if (!token) {
    return (
      <AuthLayout title="Set up the studio" subtitle="No password has been chosen yet.">
        <Text fz="sm">
          Open the one-time setup link that VLog Studio printed when it started (it looks like
          http://127.0.0.1:9001/setup?token=…), or start it with VLOG_ADMIN_PASSWORD set.
        </Text>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title="Choose a password" subtitle="It protects the studio on this computer.">
      <form onSubmit={submit}>
        <Stack>
          <PasswordInput
            label="New password"
            description={`At least ${minimumPasswordLength} characters`}
            autoFocus
            autoComplete="new-password"
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
            error={tooShort ? 'Too short' : null}
            data-testid="password-input"
          />
          <PasswordInput
            label="Repeat the password"
            autoComplete="new-password"
            value={repeat}
            onChange={(event) => setRepeat(event.currentTarget.value)}
            error={mismatch ? 'The passwords differ' : null}
            data-testid="password-repeat-input"
          />
          {error && <Alert color="red">{error}</Alert>}
          <Button type="submit" loading={busy} disabled={!ready} data-testid="set-password">
            Save and open the studio
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
