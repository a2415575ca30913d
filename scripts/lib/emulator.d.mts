// Types for the constants tests read from emulator.mjs (the rest is used by scripts only).
export declare const SANDBOX_SPEED: number;
export declare const DEMO_DRAIN_SECONDS: number;
