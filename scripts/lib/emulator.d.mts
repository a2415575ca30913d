export const EMULATOR_CREDENTIALS: Record<string, string>;
export function emulatorEnv(dir: string): Record<string, string>;
export function emulatorSettings(endpoint: string, regions?: string[]): Record<string, unknown>;
export function startEmulator(o?: { speed?: number; port?: number; logFile?: string }): Promise<{ endpoint: string; port: number; stop(): Promise<void> }>;
export declare const SANDBOX_SPEED: number;
export declare const DEMO_DRAIN_SECONDS: number;
