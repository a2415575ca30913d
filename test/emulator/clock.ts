/**
 * The emulator's simulated clock. Simulated time runs at `speed` × real time from a start instant and can be
 * pushed forward by tests (`advance`). Everything time-dependent in the world (stack events, instance boots,
 * SSM invocations, drains, growing logs) is computed from `now()`, lazily, whenever a request arrives.
 */
export class SimClock {
  private realStart = Date.now();
  private simStart: number;
  private offset = 0;
  constructor(
    start: number = Date.now(),
    private speed = 1,
  ) {
    this.simStart = start;
  }
  now(): number {
    return this.simStart + (Date.now() - this.realStart) * this.speed + this.offset;
  }
  /** Jump simulated time forward by `ms`. */
  advance(ms: number): void {
    this.offset += ms;
  }
  /** Change how fast simulated time runs relative to real time (e.g. 60 = one simulated minute per second). */
  setSpeed(speed: number): void {
    const now = this.now();
    this.realStart = Date.now();
    this.simStart = now;
    this.offset = 0;
    this.speed = speed;
  }
  getSpeed(): number {
    return this.speed;
  }
}

/** Small deterministic PRNG (mulberry32) so a seeded world always gets the same ids. */
export class SeededRandom {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    let t = (this.state += 0x6d2b79f5);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }
  hex(length: number): string {
    let s = '';
    for (let i = 0; i < length; i++) s += '0123456789abcdef'[this.int(16)];
    return s;
  }
  alnum(length: number): string {
    const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    let s = '';
    for (let i = 0; i < length; i++) s += chars[this.int(chars.length)];
    return s;
  }
  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}
