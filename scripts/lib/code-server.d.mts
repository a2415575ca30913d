export function writeUserSettings(userDataDir: string, settings: Record<string, unknown>): void;
export const QUIET_SETTINGS: Record<string, unknown>;
export function installVsix(vsix: string, o: { extensionsDir: string; userDataDir: string }): void;
export function startCodeServer(o: {
  dir: string;
  userDataDir: string;
  extensionsDir: string;
  smokeTestDriver?: boolean;
  workspaceTrust?: boolean;
  env?: Record<string, string>;
  logFile?: string;
  port?: number;
  folder?: string;
}): Promise<{ port: number; url: string; stop(): Promise<void> }>;
