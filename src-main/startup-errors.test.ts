import { describe, expect, it } from 'vitest';
import { ConfigError } from './config';
import { formatAddressBlock } from './main';
import { describeStartupError } from './startup-errors';

const env = { VLOG_PUBLIC_PORT: '9100', VLOG_ADMIN_PORT: '9101' };

function addressInUse(port: number): Error {
  return Object.assign(new Error(`listen EADDRINUSE: address already in use 0.0.0.0:${port}`), {
    code: 'EADDRINUSE',
    address: '0.0.0.0',
    port,
  });
}

describe('describeStartupError', () => {
  it('names the variable of the listener whose port is taken', () => {
    expect(describeStartupError(addressInUse(9101), env)).toBe(
      'Port 0.0.0.0:9101 is already in use by another program: set VLOG_ADMIN_PORT to a free ' +
        'port and start again.',
    );
    expect(describeStartupError(addressInUse(9100), env)).toContain('set VLOG_PUBLIC_PORT');
  });

  it('falls back to plain advice for a port no variable names', () => {
    expect(describeStartupError(addressInUse(5432), env)).toContain('choose a free port');
  });

  it('passes configuration problems and other errors through as one line', () => {
    const config = new ConfigError('Invalid configuration: VLOG_ADMIN_PORT: too big');
    expect(describeStartupError(config, env)).toBe(
      'Invalid configuration: VLOG_ADMIN_PORT: too big. Fix the variable and start again.',
    );
    expect(describeStartupError(new Error('disk on fire'), env)).toBe(
      'VLog Studio could not start: disk on fire',
    );
  });
});

describe('formatAddressBlock', () => {
  const addresses = {
    studioUrl: 'http://127.0.0.1:9001',
    publicUrl: 'http://127.0.0.1:9000',
    viewerUrl: 'http://192.168.1.20:9000',
    setupUrl: undefined,
  };

  it('shows the studio and viewer addresses', () => {
    const block = formatAddressBlock(addresses);
    expect(block).toContain('Studio (this machine only): http://127.0.0.1:9001');
    expect(block).toContain('Viewer site (your network): http://192.168.1.20:9000');
    expect(block).not.toContain('setup');
  });

  it('adds the one-time setup link when there is one', () => {
    const setupUrl = 'http://127.0.0.1:9001/setup?token=abc';
    expect(formatAddressBlock({ ...addresses, setupUrl })).toContain(setupUrl);
  });
});
