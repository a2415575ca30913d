/**
 * The sentence disruptive operations (scale in, shut down, restart, update with replacement, delete) add to
 * their confirmation: how many rooms and participants are live, or that it could not check. Asked of the
 * cluster's LiveKit API once, before the confirmation shows, for at most `timeoutMs`.
 */
import { liveTrafficSentence, type LiveTraffic } from '../../openvidu/rooms';
import type { StackRef } from '../credentials';
import type { RoomsFeature } from './feature';

let source: RoomsFeature | undefined;
const DEFAULT_TIMEOUT_MS = 5000;

/** The Rooms feature answers the confirmations' question (set by registerRooms; tests set their own). */
export function answerConfirmationsWith(feature: RoomsFeature | undefined): { dispose(): void } {
  source = feature;
  return { dispose: () => void (source === feature && (source = undefined)) };
}

/** What is live on the stack, or why it could not be checked; within `timeoutMs`. */
export async function liveTrafficOf(stack: StackRef, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<LiveTraffic | undefined> {
  if (!source) return undefined;
  // A cluster that never generated its credentials (failed, still installing) has no rooms to warn about.
  const cluster = (stack as { cluster?: { secret: { generated: boolean } } }).cluster;
  if (cluster && !cluster.secret.generated) return undefined;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<LiveTraffic>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: `the LiveKit API did not answer in ${Math.round(timeoutMs / 1000)} s` }), timeoutMs);
  });
  try {
    return await Promise.race([source.liveTraffic(stack), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The confirmation's sentence ('' when no Rooms feature runs). */
export async function liveTrafficNote(stack: StackRef, consequence?: string): Promise<string> {
  const t = await liveTrafficOf(stack);
  return t ? liveTrafficSentence(t, consequence) : '';
}
