/**
 * The cluster secret (`openvidu-ha-<region>-<stack>`, JSON) → what an application or an operator needs:
 * LiveKit and OpenVidu v2 connection profiles, the admin logins of the dashboard, Grafana, OpenVidu Meet
 * (3.4+) or the default OpenVidu Call app (3.2–3.3), and presets of environment variable names.
 * Pure: no vscode import. Nothing here logs or formats a secret value into a message.
 *
 * Readiness: every value is the string `none` (and ALL_SECRETS_GENERATED is `false`) until master node 1
 * fills the secret. Some keys legitimately stay `none` for good (LIVEKIT_TURN_DOMAIN_NAME without a TURN
 * domain, MEET_INITIAL_API_KEY when none was given, MASTER_NODE_n_PRIVATE_IP until master n exists), so
 * credentials are ready when ALL_SECRETS_GENERATED is "true" AND none of the values a profile is built from
 * is `none`. `noneKeys` lists every key still at `none` (names only), `allGenerated` is the strict reading
 * (flag true and no `none` anywhere). A `none` value is never turned into a credential.
 */
import { quoteInput } from './inputText';

export type SecretValues = Record<string, string>;

export const NONE = 'none';
export const OPENVIDU_V2_USERNAME = 'OPENVIDUAPP';

/** Keys every connection profile is built from (URLs can also come from DOMAIN_NAME). */
const REQUIRED_KEYS = ['LIVEKIT_API_KEY', 'LIVEKIT_API_SECRET'] as const;

export interface CredentialReadiness {
  /** ALL_SECRETS_GENERATED is "true" and the profiles' values are generated */
  ready: boolean;
  /** ALL_SECRETS_GENERATED === "true" */
  flag: boolean;
  /** ready, and no value anywhere in the secret is `none` */
  allGenerated: boolean;
  /** names of keys whose value is still `none` */
  noneKeys: string[];
  /** why not ready, in the user's terms (never a value) */
  reason?: string;
}

export interface LiveKitProfile {
  /** `wss://<domain>/` */
  url: string;
  /** `https://<domain>/` (some server SDKs want it) */
  httpsUrl: string;
  apiKey: string;
  apiSecret: string;
}

export interface OpenViduV2Profile {
  /** `https://<domain>/` */
  url: string;
  /** always OPENVIDUAPP */
  username: string;
  /** LIVEKIT_API_SECRET */
  password: string;
}

export type AdminService = 'dashboard' | 'grafana' | 'meet' | 'defaultApp' | 'minio';

export interface AdminLogin {
  service: AdminService;
  label: string;
  url?: string;
  username?: string;
  password?: string;
  /** e.g. OpenVidu Meet's initial API key */
  apiKey?: string;
  /** caveat shown to the user (never a value) */
  note?: string;
}

export interface ClusterCredentials {
  readiness: CredentialReadiness;
  /** OPENVIDU_VERSION when generated */
  version?: string;
  domain?: string;
  livekit?: LiveKitProfile;
  openviduV2?: OpenViduV2Profile;
  admin: AdminLogin[];
}

/** Parses the secret's JSON. The error message never contains the text (it holds secrets). */
export function parseSecretString(secretString: string | undefined): SecretValues {
  if (secretString === undefined) throw new Error('The cluster secret has no string value.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    throw new Error('The cluster secret is not JSON.');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('The cluster secret is not a JSON object.');
  const out: SecretValues = {};
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  }
  return out;
}

/** A usable value: present, not empty, not `none`. */
export function usable(values: SecretValues, key: string): string | undefined {
  const v = values[key]?.trim();
  return v && v !== NONE ? v : undefined;
}

/** `openvidu.example.com` from DOMAIN_NAME, else from OPENVIDU_URL / LIVEKIT_URL. */
export function domainOf(values: SecretValues): string | undefined {
  const d = usable(values, 'DOMAIN_NAME');
  if (d) return d.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '');
  for (const k of ['OPENVIDU_URL', 'LIVEKIT_URL']) {
    const u = usable(values, k);
    if (!u) continue;
    try {
      return new URL(u).host;
    } catch {
      // ignore: not a URL
    }
  }
  return undefined;
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

export function credentialReadiness(values: SecretValues): CredentialReadiness {
  const flag = values.ALL_SECRETS_GENERATED === 'true';
  const noneKeys = Object.keys(values).filter((k) => values[k] === NONE);
  const missing = REQUIRED_KEYS.filter((k) => !usable(values, k));
  const noUrl = !domainOf(values);
  const ready = flag && !missing.length && !noUrl;
  let reason: string | undefined;
  if (!flag) reason = 'The cluster is still generating its credentials (master node 1 has not filled the secret yet).';
  else if (missing.length || noUrl) reason = `The cluster secret has no value yet for ${[...missing, ...(noUrl ? ['DOMAIN_NAME'] : [])].join(', ')}.`;
  return { ready, flag, allGenerated: flag && noneKeys.length === 0, noneKeys, reason };
}

/** LiveKit and OpenVidu v2 profiles plus admin logins; profiles are present only when ready. */
export function credentialsFromSecret(values: SecretValues): ClusterCredentials {
  const readiness = credentialReadiness(values);
  const domain = domainOf(values);
  const out: ClusterCredentials = { readiness, domain, version: usable(values, 'OPENVIDU_VERSION'), admin: [] };
  if (!readiness.flag) return out;
  const https = withSlash(usable(values, 'OPENVIDU_URL') ?? (domain ? `https://${domain}/` : ''));
  const wss = withSlash(usable(values, 'LIVEKIT_URL') ?? (domain ? `wss://${domain}/` : ''));
  const apiKey = usable(values, 'LIVEKIT_API_KEY');
  const apiSecret = usable(values, 'LIVEKIT_API_SECRET');
  if (readiness.ready && apiKey && apiSecret && domain) {
    // LIVEKIT_URL may be given as wss://; its https:// twin is the same host (derive when OPENVIDU_URL lacks).
    out.livekit = { url: wss, httpsUrl: https, apiKey, apiSecret };
    out.openviduV2 = { url: https, username: OPENVIDU_V2_USERNAME, password: apiSecret };
  }
  out.admin = adminLogins(values, domain);
  return out;
}

function login(values: SecretValues, base: Omit<AdminLogin, 'url' | 'username' | 'password'>, keys: { url?: string; user?: string; password?: string; apiKey?: string }, fallbackUrl?: string): AdminLogin | undefined {
  const url = (keys.url && usable(values, keys.url)) || fallbackUrl;
  const username = keys.user ? usable(values, keys.user) : undefined;
  const password = keys.password ? usable(values, keys.password) : undefined;
  const apiKey = keys.apiKey ? usable(values, keys.apiKey) : undefined;
  if (!username && !password && !apiKey) return undefined;
  return { ...base, url: url ? withSlash(url) : undefined, username, password, apiKey };
}

/** Only services whose keys this version's secret has. */
function adminLogins(values: SecretValues, domain: string | undefined): AdminLogin[] {
  const has = (k: string) => k in values;
  const base = domain ? `https://${domain}/` : undefined;
  const list: (AdminLogin | undefined)[] = [];
  if (has('DASHBOARD_ADMIN_USERNAME'))
    list.push(login(values, { service: 'dashboard', label: 'OpenVidu Dashboard' }, { url: 'DASHBOARD_URL', user: 'DASHBOARD_ADMIN_USERNAME', password: 'DASHBOARD_ADMIN_PASSWORD' }, base && `${base}dashboard/`));
  if (has('GRAFANA_ADMIN_USERNAME'))
    list.push(login(values, { service: 'grafana', label: 'Grafana' }, { url: 'GRAFANA_URL', user: 'GRAFANA_ADMIN_USERNAME', password: 'GRAFANA_ADMIN_PASSWORD' }, base && `${base}grafana/`));
  if (has('MEET_INITIAL_ADMIN_USER'))
    list.push(
      login(
        values,
        { service: 'meet', label: 'OpenVidu Meet', note: 'initial admin password: it no longer works once changed in OpenVidu Meet' },
        { user: 'MEET_INITIAL_ADMIN_USER', password: 'MEET_INITIAL_ADMIN_PASSWORD', apiKey: 'MEET_INITIAL_API_KEY' },
        usable(values, 'OPENVIDU_URL') ?? base,
      ),
    );
  if (has('DEFAULT_APP_ADMIN_USERNAME'))
    list.push(login(values, { service: 'defaultApp', label: 'OpenVidu Call (admin)' }, { user: 'DEFAULT_APP_ADMIN_USERNAME', password: 'DEFAULT_APP_ADMIN_PASSWORD' }, base));
  if (has('DEFAULT_APP_USERNAME')) list.push(login(values, { service: 'defaultApp', label: 'OpenVidu Call (user)' }, { user: 'DEFAULT_APP_USERNAME', password: 'DEFAULT_APP_PASSWORD' }, base));
  if (has('MINIO_ACCESS_KEY')) list.push(login(values, { service: 'minio', label: 'MinIO console' }, { url: 'MINIO_URL', user: 'MINIO_ACCESS_KEY', password: 'MINIO_SECRET_KEY' }, base && `${base}minio-console/`));
  return list.filter((l): l is AdminLogin => !!l);
}

// ---------------------------------------------------------------------------------------------------------
// Presets of environment variable names

/** One credential an env variable can take. */
export type CredentialSource = 'livekitUrl' | 'livekitHttpsUrl' | 'livekitApiKey' | 'livekitApiSecret' | 'openviduUrl' | 'openviduUsername' | 'openviduSecret';

export const CREDENTIAL_SOURCES: { id: CredentialSource; label: string; secret: boolean }[] = [
  { id: 'livekitUrl', label: 'LiveKit URL (wss://)', secret: false },
  { id: 'livekitHttpsUrl', label: 'LiveKit URL (https://)', secret: false },
  { id: 'livekitApiKey', label: 'LiveKit API key', secret: true },
  { id: 'livekitApiSecret', label: 'LiveKit API secret', secret: true },
  { id: 'openviduUrl', label: 'OpenVidu v2 URL (https://)', secret: false },
  { id: 'openviduUsername', label: 'OpenVidu v2 username (OPENVIDUAPP)', secret: false },
  { id: 'openviduSecret', label: 'OpenVidu v2 secret (password)', secret: true },
];

export type PresetId = 'livekit' | 'nextjs' | 'openviduV2' | 'custom';

export interface EnvPreset {
  id: PresetId;
  label: string;
  description: string;
  /** env variable name → credential */
  mapping: Record<string, CredentialSource>;
}

export const ENV_PRESETS: EnvPreset[] = [
  {
    id: 'livekit',
    label: 'LiveKit',
    description: 'LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET',
    mapping: { LIVEKIT_URL: 'livekitUrl', LIVEKIT_API_KEY: 'livekitApiKey', LIVEKIT_API_SECRET: 'livekitApiSecret' },
  },
  {
    id: 'nextjs',
    label: 'Next.js (LiveKit)',
    description: 'the LiveKit three plus NEXT_PUBLIC_LIVEKIT_URL',
    mapping: { LIVEKIT_URL: 'livekitUrl', LIVEKIT_API_KEY: 'livekitApiKey', LIVEKIT_API_SECRET: 'livekitApiSecret', NEXT_PUBLIC_LIVEKIT_URL: 'livekitUrl' },
  },
  {
    id: 'openviduV2',
    label: 'OpenVidu v2',
    description: 'OPENVIDU_URL, OPENVIDU_SECRET',
    mapping: { OPENVIDU_URL: 'openviduUrl', OPENVIDU_SECRET: 'openviduSecret' },
  },
];

export function presetById(id: PresetId): EnvPreset | undefined {
  return ENV_PRESETS.find((p) => p.id === id);
}

/** The value of one credential, or undefined when the cluster does not have it (yet). */
export function credentialValue(creds: ClusterCredentials, source: CredentialSource): string | undefined {
  switch (source) {
    case 'livekitUrl':
      return creds.livekit?.url;
    case 'livekitHttpsUrl':
      return creds.livekit?.httpsUrl;
    case 'livekitApiKey':
      return creds.livekit?.apiKey;
    case 'livekitApiSecret':
      return creds.livekit?.apiSecret;
    case 'openviduUrl':
      return creds.openviduV2?.url;
    case 'openviduUsername':
      return creds.openviduV2?.username;
    case 'openviduSecret':
      return creds.openviduV2?.password;
  }
}

export function isSecretSource(source: CredentialSource): boolean {
  return CREDENTIAL_SOURCES.find((s) => s.id === source)?.secret ?? true;
}

/** env name → value for a mapping; throws (naming the variables, never a value) when a credential is missing. */
export function envValues(creds: ClusterCredentials, mapping: Record<string, CredentialSource>): Record<string, string> {
  const out: Record<string, string> = {};
  const missing: string[] = [];
  for (const [name, source] of Object.entries(mapping)) {
    const v = credentialValue(creds, source);
    if (v === undefined) missing.push(name);
    else out[name] = v;
  }
  if (missing.length) throw new Error(`The cluster's credentials are not ready: no value for ${missing.join(', ')}.`);
  return out;
}

/** `KEY=value` lines (dotenv-quoted by the caller's quoting function) for the clipboard. */
export function envLines(values: Record<string, string>, quote: (v: string) => string, eol = '\n'): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}=${quote(v)}`)
    .join(eol) + eol;
}

/** Parses a custom mapping typed as `NAME=source, NAME2=source2`; returns the mapping or an error message. */
export function parseCustomMapping(text: string): { mapping?: Record<string, CredentialSource>; error?: string } {
  const mapping: Record<string, CredentialSource> = {};
  const ids = new Set(CREDENTIAL_SOURCES.map((s) => s.id));
  for (const part of text.split(/[,;\n]/).map((p) => p.trim()).filter(Boolean)) {
    const m = /^([A-Za-z_][\w.-]*)\s*=\s*(\w+)$/.exec(part);
    if (!m) return { error: `${quoteInput(part)} is not NAME=source.` };
    if (m[1] === '__proto__') return { error: '"__proto__" cannot be a variable name: JavaScript reads it as an object\'s prototype, so it would be dropped. Choose another name.' };
    if (!ids.has(m[2] as CredentialSource)) return { error: `Unknown source ${quoteInput(m[2])}; use one of ${[...ids].join(', ')}.` };
    mapping[m[1]] = m[2] as CredentialSource;
  }
  if (!Object.keys(mapping).length) return { error: 'Give at least one NAME=source pair.' };
  return { mapping };
}
