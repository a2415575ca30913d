/**
 * Do the cluster's credentials work? Two read-only calls an application would make:
 * - LiveKit: Twirp `RoomService/ListRooms` with a 1-minute access token (grant `roomList`) signed with the
 *   API key/secret (livekit-server-sdk's AccessToken);
 * - OpenVidu v2 compatibility: `GET /openvidu/api/config` with Basic auth `OPENVIDUAPP:<secret>`.
 * Each gives `reachable` (credentials accepted), `rejected` (the server answered 401/403) or `unreachable`
 * (DNS, connection, TLS, timeout, or an unexpected answer) with the reason. No vscode import; the reason never
 * contains a credential or the response body.
 */
import { AccessToken } from 'livekit-server-sdk';
import type { LiveKitProfile, OpenViduV2Profile } from './credentials';

export type CheckStatus = 'reachable' | 'rejected' | 'unreachable';

export interface CheckOutcome {
  api: 'LiveKit API' | 'OpenVidu v2 API';
  status: CheckStatus;
  /** one sentence: what happened and, when useful, what to do */
  reason: string;
  httpStatus?: number;
  /** the URL called (no credentials in it) */
  url: string;
}

export interface CheckOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
  signal?: AbortSignal;
}

function endpoint(base: string, path: string): string {
  return new URL(path, base.endsWith('/') ? base : `${base}/`).toString();
}

/** A network failure in the user's terms (Node's fetch wraps the system error in `cause`). */
export function describeNetworkError(error: unknown, host: string): string {
  const e = error as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e.cause?.code ?? e.code ?? '';
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') return `no answer from ${host} in time.`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `${host} does not resolve: point the domain (CNAME/alias) at the stack's load balancer.`;
  if (code === 'ECONNREFUSED') return `${host} refused the connection.`;
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return `the connection to ${host} was reset.`;
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(code)) return `the TLS certificate of ${host} was not accepted (${code}): check the ACM certificate matches the domain.`;
  return `${host} could not be reached${code ? ` (${code})` : ''}.`;
}

async function call(url: string, init: RequestInit, options: CheckOptions): Promise<{ response?: Response; error?: string }> {
  const doFetch = options.fetch ?? fetch;
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 10_000);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    return { response: await doFetch(url, { ...init, signal, redirect: 'manual' }) };
  } catch (e) {
    return { error: describeNetworkError(e, new URL(url).host) };
  }
}

function classify(api: CheckOutcome['api'], url: string, r: Response, okReason: string): CheckOutcome {
  if (r.ok) return { api, url, status: 'reachable', httpStatus: r.status, reason: okReason };
  if (r.status === 401 || r.status === 403) return { api, url, status: 'rejected', httpStatus: r.status, reason: `the server rejected the credentials (HTTP ${r.status}).` };
  return { api, url, status: 'unreachable', httpStatus: r.status, reason: `unexpected answer HTTP ${r.status}${r.status === 404 ? ': is this an OpenVidu deployment, with the v2 compatibility module for /openvidu/api?' : '.'}` };
}

export async function checkLiveKit(profile: LiveKitProfile, options: CheckOptions = {}): Promise<CheckOutcome> {
  const url = endpoint(profile.httpsUrl, 'twirp/livekit.RoomService/ListRooms');
  const token = new AccessToken(profile.apiKey, profile.apiSecret, { ttl: 60 });
  token.addGrant({ roomList: true });
  const jwt = await token.toJwt();
  const { response, error } = await call(url, { method: 'POST', headers: { Authorization: `Bearer ${jwt}`, 'Content-Type': 'application/json' }, body: '{}' }, options);
  if (!response) return { api: 'LiveKit API', url, status: 'unreachable', reason: error ?? 'no answer.' };
  let rooms: number | undefined;
  if (response.ok) {
    try {
      const body = (await response.json()) as { rooms?: unknown[] };
      rooms = Array.isArray(body.rooms) ? body.rooms.length : 0;
    } catch {
      return { api: 'LiveKit API', url, status: 'unreachable', httpStatus: response.status, reason: 'the answer was not LiveKit JSON: is the domain pointed at this cluster?' };
    }
  } else await response.body?.cancel().catch(() => undefined);
  return classify('LiveKit API', url, response, `API key and secret accepted; ${rooms ?? 0} room${rooms === 1 ? '' : 's'} open.`);
}

export async function checkOpenViduV2(profile: OpenViduV2Profile, options: CheckOptions = {}): Promise<CheckOutcome> {
  const url = endpoint(profile.url, 'openvidu/api/config');
  const basic = Buffer.from(`${profile.username}:${profile.password}`).toString('base64');
  const { response, error } = await call(url, { method: 'GET', headers: { Authorization: `Basic ${basic}`, Accept: 'application/json' } }, options);
  if (!response) return { api: 'OpenVidu v2 API', url, status: 'unreachable', reason: error ?? 'no answer.' };
  let version: string | undefined;
  if (response.ok) {
    try {
      const body = (await response.json()) as { VERSION?: unknown };
      version = typeof body.VERSION === 'string' ? body.VERSION : undefined;
    } catch {
      return { api: 'OpenVidu v2 API', url, status: 'unreachable', httpStatus: response.status, reason: 'the answer was not OpenVidu JSON: is the domain pointed at this cluster?' };
    }
  } else await response.body?.cancel().catch(() => undefined);
  return classify('OpenVidu v2 API', url, response, `credentials accepted${version ? ` (OpenVidu ${version})` : ''}.`);
}

/** "LiveKit API: reachable — API key and secret accepted; 2 rooms open." */
export function formatOutcome(o: CheckOutcome): string {
  return `${o.api}: ${o.status}: ${o.reason}`;
}
