/**
 * The data channel's reliability settings and its retransmission timeout, as aws/session-manager-plugin has them
 * (src/config/config.go; src/datachannel/streaming.go CalculateRetransmissionTimeout).
 */

/** config.go */
export const DEFAULT_RTT_MS = 100;
export const DEFAULT_RTO_MS = 200;
export const CLOCK_GRANULARITY_MS = 10;
export const MAX_RTO_MS = 1000;
export const RESEND_INTERVAL_MS = 100;
export const RESEND_MAX_ATTEMPTS = 3000;
export const INCOMING_BUFFER_CAPACITY = 10000;
export const OUTGOING_BUFFER_CAPACITY = 10000;

/**
 * The retransmission timeout estimated from round trips: RTT ← 7/8 RTT + 1/8 sample,
 * RTTVAR ← 3/4 RTTVAR + 1/4 |RTT − sample|, RTO = RTT + max(10 ms, 4 RTTVAR), at most 1 s.
 */
export class RetransmissionTimeout {
  private rtt = DEFAULT_RTT_MS;
  private rttVar = 0;
  private value = DEFAULT_RTO_MS;

  get ms(): number {
    return this.value;
  }

  /** One round trip of a message that was not resent (a resent one's round trip is ambiguous). */
  sample(roundTripMs: number): void {
    const sample = Math.max(0, roundTripMs);
    this.rtt = this.rtt * (1 - 1 / 8) + sample / 8;
    this.rttVar = this.rttVar * (1 - 1 / 4) + Math.abs(this.rtt - sample) / 4;
    this.value = Math.min(MAX_RTO_MS, this.rtt + Math.max(CLOCK_GRANULARITY_MS, 4 * this.rttVar));
  }
}
