// Starts the local AWS emulator (test/emulator/main.ts, demo world) as a child process on a free port.
import { join } from 'node:path';
import { ROOT } from './paths.mjs';
import { freePort, waitForHttp } from './net.mjs';
import { startProcess, stopProcess } from './processes.mjs';

/** Fake static credentials the extension uses against the emulator (env vars reach the extension host). */
export const EMULATOR_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'AKIATESTEMULATOR',
  AWS_SECRET_ACCESS_KEY: 'test-secret',
  AWS_REGION: 'eu-west-1',
};

/**
 * The environment of a VS Code (code-server, extension host) that talks to the emulator: its fake credentials, and
 * none of the developer's own (~/.aws files in `dir` that do not exist, no profile, no instance role).
 */
export function emulatorEnv(dir) {
  return {
    ...EMULATOR_CREDENTIALS,
    AWS_PROFILE: '',
    AWS_CONFIG_FILE: join(dir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/** The extension's settings that point it at an emulator: every AWS service, and the OpenVidu templates it serves. */
export function emulatorSettings(endpoint, regions = ['eu-west-1']) {
  return {
    'openviduHa.endpoint': endpoint,
    'openviduHa.regions': regions,
    'openviduHa.profile': '',
    // path-style S3 on the emulator's endpoint (bucket get.openvidu.io): the only non-AWS form CloudFormation (the
    // emulator) and the extension's templateBaseUrl check accept, because it is the configured endpoint
    'openviduHa.templateBaseUrl': `${endpoint}/get.openvidu.io/pro/ha`,
  };
}

/**
 * The sandbox's default time speed (`npm start -- --speed N` changes it): fast enough that the demo cluster's
 * media drain (DEMO_DRAIN_SECONDS simulated) ends in 24 s, slow enough that a deploy's progress can be followed.
 */
export const SANDBOX_SPEED = 10;
/** = test/emulator/seed.ts DEMO_DRAIN_SECONDS (test/emulator/tests/sandbox-demo.test.ts checks they agree) */
export const DEMO_DRAIN_SECONDS = 240;

/** @returns {Promise<{endpoint: string, port: number, proc, stop(): Promise<void>}>} */
export async function startEmulator({ speed = SANDBOX_SPEED, port, logFile } = {}) {
  port ??= await freePort();
  const proc = startProcess('emulator', process.execPath, ['--import', 'tsx', join(ROOT, 'test/emulator/main.ts'), '--port', String(port), '--speed', String(speed)], {
    cwd: ROOT,
    logFile,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${endpoint}/_emulator/health`, { timeoutMs: 30000, proc, what: 'emulator' });
  } catch (e) {
    await stopProcess(proc);
    throw e;
  }
  return { endpoint, port, proc, stop: () => stopProcess(proc) };
}
