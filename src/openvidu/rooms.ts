/**
 * What is live on a cluster, in the user's terms: room rows, participant rows, and the sentence the
 * disruptive operations' confirmations carry. Pure: no vscode, no network.
 */

export interface LiveRoom {
  sid: string;
  name: string;
  /** ms since epoch */
  createdAt?: number;
  participants: number;
  publishers: number;
  recording: boolean;
}

export interface LiveParticipant {
  sid: string;
  identity: string;
  name?: string;
  joinedAt?: number;
  /** published tracks */
  tracks: number;
  /** sources of the published tracks (MICROPHONE, CAMERA…) */
  publishing: string[];
}

/** "45 s", "12 min", "3 h 5 min", "2 d 4 h" */
export function formatAge(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h${m % 60 ? ` ${m % 60} min` : ''}`;
  const d = Math.floor(h / 24);
  return `${d} d${h % 24 ? ` ${h % 24} h` : ''}`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The row of a room: "4 participants · 3 publishing · 12 min · recording" */
export function roomDescription(room: LiveRoom, now: number): string {
  return [
    plural(room.participants, 'participant'),
    room.publishers ? `${room.publishers} publishing` : undefined,
    room.createdAt ? formatAge(now - room.createdAt) || undefined : undefined,
    room.recording ? 'recording' : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** The row of a participant: "camera, microphone · joined 5 min ago" */
export function participantDescription(p: LiveParticipant, now: number): string {
  const tracks = p.publishing.length ? [...new Set(p.publishing.map((s) => s.toLowerCase().replace(/_/g, ' ')))].join(', ') : 'not publishing';
  const age = p.joinedAt ? formatAge(now - p.joinedAt) : '';
  return [tracks, age ? `joined ${age} ago` : undefined].filter(Boolean).join(' · ');
}

/** The "Rooms" row: "3 rooms · 12 participants" */
export function roomsSummary(rooms: LiveRoom[]): string {
  if (!rooms.length) return 'no live rooms';
  const people = rooms.reduce((n, r) => n + r.participants, 0);
  const recording = rooms.filter((r) => r.recording).length;
  return [plural(rooms.length, 'room'), plural(people, 'participant'), recording ? `${recording} recording` : undefined].filter(Boolean).join(' · ');
}

/** What a confirmation says about live traffic: the rooms (or that they could not be checked). */
export type LiveTraffic = { ok: true; rooms: LiveRoom[] } | { ok: false; reason: string };

/**
 * One sentence for a disruptive operation's confirmation: "Live now: 2 rooms with 6 participants
 * (daily-standup 4, support 2); they will be disconnected." — or that nothing is live, or that it could not
 * check (with why). LiveKit's API does not say which media node hosts a room, so no node is named.
 */
export function liveTrafficSentence(t: LiveTraffic, consequence = 'they will be disconnected'): string {
  if (!t.ok) return `Could not check for live rooms (${t.reason.replace(/\.$/, '')}), so participants may be connected.`;
  const rooms = t.rooms.filter((r) => r.participants > 0 || r.recording);
  if (!rooms.length) return 'No rooms are live on the cluster now.';
  const people = rooms.reduce((n, r) => n + r.participants, 0);
  const sorted = [...rooms].sort((a, b) => b.participants - a.participants);
  const shown = sorted.slice(0, 5).map((r) => `${r.name} ${r.participants}${r.recording ? ', recording' : ''}`);
  const more = sorted.length > 5 ? `, and ${sorted.length - 5} more` : '';
  return `Live now: ${plural(rooms.length, 'room')} with ${plural(people, 'participant')} (${shown.join('; ')}${more}); ${consequence}.`;
}

/** A participant identity for a join token: letters, digits and `._@-`, 1–128 characters. */
export function validateIdentity(v: string): string | undefined {
  if (!v.trim()) return 'Enter an identity (the name the token joins as).';
  if (!/^[A-Za-z0-9._@-]{1,128}$/.test(v.trim())) return 'Use 1–128 letters, digits, ".", "_", "@" or "-".';
  return undefined;
}
