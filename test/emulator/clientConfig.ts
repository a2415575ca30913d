import type { Emulator } from './server';

/** SDK client settings that point a real AWS SDK v3 client at the emulator with fake static credentials. */
export function clientConfig(emu: Emulator, region = 'eu-west-1') {
  return {
    region,
    endpoint: emu.endpoint,
    credentials: { accessKeyId: 'AKIATESTEMULATOR', secretAccessKey: 'test-secret' },
    maxAttempts: 3,
    retryMode: 'standard' as const,
  };
}
