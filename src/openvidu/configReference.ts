/**
 * The documented keys of OpenVidu's configuration files, with their meaning and defaults, in our own words.
 * Source: OpenVidu's configuration reference (OpenVidu/openvidu.io docs/docs/self-hosting/configuration/reference.md,
 * 3.8/3.9 docs) for openvidu.env, meet.env, v2compatibility.env and the `openvidu:` section of livekit.yaml; the
 * modules page (COMPOSE_PROFILES is per node, in master_node.env / media_node.env) and OpenVidu's deployment scripts
 * (REDIS_PASSWORD written into master_node.env, ENABLED_MODULES into openvidu.env) for the rest.
 * Pure data and lookups: no vscode, no AWS.
 */

export type ValueRule =
  | { kind: 'enum'; values: readonly string[]; allowEmpty?: boolean }
  | { kind: 'bool' }
  | { kind: 'boolOrNumber' }
  | { kind: 'duration' };

export interface ConfigKey {
  key: string;
  description: string;
  default?: string;
  rule?: ValueRule;
  /** holds a credential: never echoed in reports or logs */
  secret?: boolean;
  pro?: boolean;
}

export interface FileReference {
  /** base file name the reference applies to */
  file: string;
  title: string;
  /** every key the file may hold is listed here: unknown keys get a warning (else: a hint) */
  complete: boolean;
  keys: readonly ConfigKey[];
}

const BOOL: ValueRule = { kind: 'bool' };
const SSE: ValueRule = { kind: 'enum', values: ['SSE-S3', 'SSE-KMS'], allowEmpty: true };
const DUR: ValueRule = { kind: 'duration' };

const OPENVIDU_ENV: ConfigKey[] = [
  { key: 'DOMAIN_NAME', description: 'The domain the deployment answers on; apps reach the OpenVidu APIs and services through it.' },
  { key: 'LIVEKIT_API_KEY', description: 'Cluster-wide LiveKit API key that applications use (with the secret) to talk to OpenVidu.' },
  { key: 'LIVEKIT_API_SECRET', description: 'Cluster-wide LiveKit API secret paired with LIVEKIT_API_KEY.', secret: true },
  { key: 'MINIO_ACCESS_KEY', description: 'MinIO access key.' },
  { key: 'MINIO_SECRET_KEY', description: 'MinIO secret key.', secret: true },
  { key: 'EXTERNAL_S3_ENDPOINT', description: 'Endpoint of an external S3 service. When set, MinIO is not used.' },
  { key: 'EXTERNAL_S3_ACCESS_KEY', description: 'Access key of the external S3 service.' },
  { key: 'EXTERNAL_S3_SECRET_KEY', description: 'Secret key of the external S3 service.', secret: true },
  { key: 'EXTERNAL_S3_REGION', description: 'Region of the external S3 service.' },
  { key: 'EXTERNAL_S3_PATH_STYLE_ACCESS', description: 'Use path-style requests with the external S3 service (`true`/`false`).', rule: BOOL },
  { key: 'EXTERNAL_S3_BUCKET_APP_DATA', description: 'External bucket for application data such as recordings.' },
  { key: 'EXTERNAL_S3_BUCKET_CLUSTER_DATA', description: 'External bucket where High Availability keeps observability data.' },
  { key: 'EXTERNAL_S3_SSE_TYPE', description: 'Server-side encryption of the external S3 buckets: `SSE-S3` or `SSE-KMS`; empty = none.', rule: SSE },
  { key: 'EXTERNAL_S3_SSE_KMS_KEY_ID', description: 'KMS key id; needed when EXTERNAL_S3_SSE_TYPE is `SSE-KMS`.' },
  { key: 'EXTERNAL_S3_SSE_KMS_ENCRYPTION_CONTEXT', description: 'Optional JSON object used as KMS encryption context (SSE-KMS only).' },
  { key: 'MONGO_ADMIN_USERNAME', description: 'MongoDB administrator user name.' },
  { key: 'MONGO_ADMIN_PASSWORD', description: 'MongoDB administrator password.', secret: true },
  { key: 'DASHBOARD_ADMIN_USERNAME', description: 'OpenVidu Dashboard administrator user name.' },
  { key: 'DASHBOARD_ADMIN_PASSWORD', description: 'OpenVidu Dashboard administrator password.', secret: true },
  { key: 'GRAFANA_ADMIN_USERNAME', description: 'Grafana administrator user name.' },
  { key: 'GRAFANA_ADMIN_PASSWORD', description: 'Grafana administrator password.', secret: true },
  { key: 'OPENVIDU_PRO_LICENSE', description: 'The OpenVidu Pro license key.', secret: true, pro: true },
  { key: 'OPENVIDU_RTC_ENGINE', description: 'WebRTC engine of the media nodes: `pion` or `mediasoup`.', default: 'pion', rule: { kind: 'enum', values: ['pion', 'mediasoup'] }, pro: true },
  { key: 'MEET_BASE_PATH', description: 'Path OpenVidu Meet is served under. `/` serves it at the root (and then the proxy to port 6080 for custom apps is off).', default: '/meet' },
  { key: 'ENABLED_MODULES', description: 'Modules the installer enabled (written by the deployment scripts from the stack\'s secret).' },
];

const MEET_ENV: ConfigKey[] = [
  { key: 'SERVER_PORT', description: 'Port OpenVidu Meet listens on.' },
  { key: 'SERVER_CORS_ORIGIN', description: 'CORS origin allowed by OpenVidu Meet.', default: '*' },
  { key: 'SERVER_TRUST_PROXY', description: 'Whether OpenVidu Meet trusts `X-Forwarded-*` headers: `true`, `false` or the number of proxy hops. Needed behind a reverse proxy (rate limits, client IPs).', default: 'true', rule: { kind: 'boolOrNumber' } },
  { key: 'LIVEKIT_URL', description: 'LiveKit URL OpenVidu Meet connects to.' },
  { key: 'LIVEKIT_URL_PRIVATE', description: 'Internal LiveKit URL OpenVidu Meet uses inside a High Availability cluster.' },
  { key: 'LIVEKIT_API_KEY', description: 'LiveKit API key of OpenVidu Meet.' },
  { key: 'LIVEKIT_API_SECRET', description: 'LiveKit API secret of OpenVidu Meet.', secret: true },
  { key: 'MEET_INITIAL_ADMIN_USER', description: 'Admin user created the first time OpenVidu Meet runs (ignored afterwards).' },
  { key: 'MEET_INITIAL_ADMIN_PASSWORD', description: 'Password of that first admin user (first run only).', secret: true },
  { key: 'MEET_INITIAL_API_KEY', description: 'API key for apps built on OpenVidu Meet (first run only).', secret: true },
  { key: 'MEET_ACCESS_TOKEN_EXPIRATION', description: 'Lifetime of access tokens.', default: '2h', rule: DUR },
  { key: 'MEET_REFRESH_TOKEN_EXPIRATION', description: 'Lifetime of refresh tokens.', default: '1d', rule: DUR },
  { key: 'MEET_ROOM_MEMBER_TOKEN_EXPIRATION', description: 'Lifetime of room member tokens.', default: '2h', rule: DUR },
  { key: 'MEET_PASSWORD_CHANGE_TOKEN_EXPIRATION', description: 'Lifetime of password change tokens.', default: '15m', rule: DUR },
  { key: 'MEET_REFRESH_TOKEN_ROTATION_ENABLED', description: 'Rotate refresh tokens when they are used.', default: 'true', rule: BOOL },
  { key: 'MEET_INITIAL_WEBHOOK_ENABLED', description: 'Whether the first webhook (MEET_INITIAL_WEBHOOK_URL) starts active rather than paused; deliveries are signed with MEET_INITIAL_API_KEY (first run only).', rule: BOOL },
  { key: 'MEET_INITIAL_WEBHOOK_URL', description: 'URL of a first webhook receiving every event of every room (first run only).' },
  { key: 'MEET_MODE', description: 'Permission names the REST API accepts: `compatibility` (old and 3.9.0 names) or `3.9.0` (new names only).', default: 'compatibility', rule: { kind: 'enum', values: ['compatibility', '3.9.0'] } },
  { key: 'MEET_BLOB_STORAGE_MODE', description: 'Where OpenVidu Meet stores blobs: `s3`, `abs` (Azure Blob Storage) or `gcs` (Google Cloud Storage).', rule: { kind: 'enum', values: ['s3', 'abs', 'gcs'] } },
  { key: 'MEET_S3_BUCKET', description: 'S3 bucket for recordings.' },
  { key: 'MEET_S3_SUBBUCKET', description: 'Prefix inside the bucket for recordings and user preferences.' },
  { key: 'MEET_S3_SERVICE_ENDPOINT', description: 'S3 endpoint.' },
  { key: 'MEET_S3_ACCESS_KEY', description: 'S3 access key.' },
  { key: 'MEET_S3_SECRET_KEY', description: 'S3 secret key.', secret: true },
  { key: 'MEET_AWS_REGION', description: 'Region of the S3 bucket.' },
  { key: 'MEET_S3_WITH_PATH_STYLE_ACCESS', description: 'Use path-style S3 requests.', rule: BOOL },
  { key: 'MEET_S3_SSE_TYPE', description: 'Server-side encryption of the bucket: `SSE-S3` or `SSE-KMS`.', rule: SSE },
  { key: 'MEET_S3_SSE_KMS_KEY_ID', description: 'KMS key id; needed with `SSE-KMS`.' },
  { key: 'MEET_S3_SSE_KMS_ENCRYPTION_CONTEXT', description: 'Optional JSON KMS encryption context (SSE-KMS only).' },
  { key: 'MEET_AZURE_CONTAINER_NAME', description: 'Azure Blob Storage container for recordings.' },
  { key: 'MEET_AZURE_SUBCONATAINER_NAME', description: 'Path inside the Azure container (the key is spelled this way in OpenVidu).' },
  { key: 'MEET_AZURE_ACCOUNT_NAME', description: 'Azure storage account name.' },
  { key: 'MEET_AZURE_ACCOUNT_KEY', description: 'Azure storage account key.', secret: true },
  { key: 'MEET_REDIS_HOST', description: 'Redis host for session data.' },
  { key: 'MEET_REDIS_PORT', description: 'Redis port.' },
  { key: 'MEET_REDIS_USERNAME', description: 'Redis user name.' },
  { key: 'MEET_REDIS_PASSWORD', description: 'Redis password.', secret: true },
  { key: 'MEET_REDIS_DB', description: 'Redis database number.', default: '0' },
  { key: 'MEET_REDIS_SENTINEL_HOST_LIST', description: 'Redis Sentinel hosts.' },
  { key: 'MEET_REDIS_SENTINEL_PASSWORD', description: 'Redis Sentinel password.', secret: true },
  { key: 'MEET_REDIS_SENTINEL_MASTER_NAME', description: 'Redis Sentinel master name.' },
  { key: 'MEET_BASE_PATH', description: 'Path the OpenVidu Meet application is served under.', default: '/meet' },
  { key: 'MEET_CAPTIONS_ENABLED', description: 'Offer live captions (needs the speech processing agent).', default: 'false', rule: BOOL },
  { key: 'MEET_LOG_LEVEL', description: 'Log level: error, warn, info, verbose, debug or silly.', rule: { kind: 'enum', values: ['error', 'warn', 'info', 'verbose', 'debug', 'silly'] } },
];

const V2_BOOL = (key: string, description: string): ConfigKey => ({ key, description, rule: BOOL });
const V2COMPAT_ENV: ConfigKey[] = [
  { key: 'OPENVIDU_PRO_LICENSE', description: 'The OpenVidu Pro license key.', secret: true, pro: true },
  { key: 'V2COMPAT_OPENVIDU_SHIM_PORT', description: 'Port of the v2 compatibility server.', default: '4443' },
  { key: 'V2COMPAT_OPENVIDU_SHIM_URL', description: 'Public URL OpenVidu v2 clients use.' },
  { key: 'V2COMPAT_OPENVIDU_SECRET', description: 'Secret OpenVidu v2 applications authenticate with.', secret: true },
  { key: 'V2COMPAT_LIVEKIT_URL', description: 'LiveKit URL given to clients.' },
  { key: 'V2COMPAT_LIVEKIT_URL_PRIVATE', description: 'Internal LiveKit URL the server uses.' },
  { key: 'V2COMPAT_LIVEKIT_API_KEY', description: 'LiveKit API key of the v2 compatibility server.' },
  { key: 'V2COMPAT_LIVEKIT_API_SECRET', description: 'LiveKit API secret of the v2 compatibility server.', secret: true },
  { key: 'V2COMPAT_REDIS_HOST', description: 'Redis host.' },
  { key: 'V2COMPAT_REDIS_PORT', description: 'Redis port.' },
  { key: 'V2COMPAT_REDIS_PASSWORD', description: 'Redis password.', secret: true },
  { key: 'V2COMPAT_REDIS_SENTINEL_HOST_LIST', description: 'Redis Sentinel hosts.' },
  { key: 'V2COMPAT_REDIS_SENTINEL_PASSWORD', description: 'Redis Sentinel password.', secret: true },
  { key: 'V2COMPAT_REDIS_MASTER_NAME', description: 'Redis Sentinel master name.' },
  { key: 'V2COMPAT_REDIS_DB', description: 'Redis database number.', default: '0' },
  { key: 'V2COMPAT_OPENVIDU_RECORDING_PATH', description: 'Local directory for recordings.', default: '/opt/openvidu/recordings' },
  { key: 'V2COMPAT_OPENVIDU_PRO_RECORDING_STORAGE', description: 'Where recordings go: `local` (V2COMPAT_OPENVIDU_RECORDING_PATH) or `s3`.', default: 'local', rule: { kind: 'enum', values: ['local', 's3'] } },
  { key: 'V2COMPAT_OPENVIDU_RECORDING_CUSTOM_LAYOUT_URL', description: 'URL of a custom recording layout.' },
  V2_BOOL('V2COMPAT_OPENVIDU_PRO_AWS_S3_WITH_PATH_STYLE_ACCESS', 'Use path-style S3 requests for recordings.'),
  V2_BOOL('V2COMPAT_OPENVIDU_RECORDING_ZIP_FILES', 'Store individual recordings as zip files.'),
  V2_BOOL('V2COMPAT_OPENVIDU_RECORDING_RAW_FILES', 'Store individual recordings as plain files.'),
  { key: 'V2COMPAT_OPENVIDU_PRO_AWS_S3_BUCKET', description: 'Default bucket for recordings.' },
  { key: 'V2COMPAT_OPENVIDU_PRO_AWS_S3_SERVICE_ENDPOINT', description: 'S3 endpoint for recordings.' },
  { key: 'V2COMPAT_OPENVIDU_PRO_AWS_ACCESS_KEY', description: 'Access key of the recordings bucket.' },
  { key: 'V2COMPAT_OPENVIDU_PRO_AWS_SECRET_KEY', description: 'Secret key of the recordings bucket.', secret: true },
  { key: 'V2COMPAT_OPENVIDU_PRO_AWS_REGION', description: 'Region of the recordings bucket.' },
  { key: 'V2COMPAT_OPENVIDU_PRO_AWS_S3_SSE_TYPE', description: 'Server-side encryption of the recordings bucket: `SSE-S3` or `SSE-KMS`.', rule: SSE },
  { key: 'V2COMPAT_OPENVIDU_PRO_AWS_S3_SSE_KMS_KEY_ID', description: 'KMS key id; needed with `SSE-KMS`.' },
  { key: 'V2COMPAT_OPENVIDU_PRO_AWS_S3_SSE_KMS_ENCRYPTION_CONTEXT', description: 'Optional JSON KMS encryption context (SSE-KMS only).' },
  V2_BOOL('V2COMPAT_OPENVIDU_WEBHOOK', 'Send OpenVidu v2 webhooks to V2COMPAT_OPENVIDU_WEBHOOK_ENDPOINT.'),
  { key: 'V2COMPAT_OPENVIDU_WEBHOOK_ENDPOINT', description: 'Where OpenVidu v2 webhooks are sent.' },
  { key: 'V2COMPAT_OPENVIDU_WEBHOOK_HEADERS', description: 'JSON array of headers sent with each webhook, e.g. `["Content-Type: application/json"]`.' },
  { key: 'V2COMPAT_OPENVIDU_WEBHOOK_EVENTS', description: 'Comma-separated webhook events: sessionCreated, sessionDestroyed, participantJoined, participantLeft, webrtcConnectionCreated, webrtcConnectionDestroyed, recordingStatusChanged, signalSent.' },
];

const NODE_ENV_KEYS: ConfigKey[] = [
  { key: 'COMPOSE_PROFILES', description: 'Modules this node runs. Not replicated between nodes: change it on every node that should change.' },
];
const MASTER_NODE_ENV: ConfigKey[] = [...NODE_ENV_KEYS, { key: 'REDIS_PASSWORD', description: 'Password of the masters\' Redis (written by the deployment scripts).', secret: true }];

/** livekit.yaml `openvidu:` section, dotted paths below `openvidu.` */
const LIVEKIT_OPENVIDU: ConfigKey[] = [
  { key: 'license', description: 'OpenVidu Pro license key.', secret: true, pro: true },
  { key: 'cluster_id', description: 'Cluster id; the installer sets it to the domain name.', pro: true },
  { key: 'analytics', description: 'Where OpenVidu sends analytics (MongoDB).' },
  { key: 'analytics.enabled', description: 'Send analytics data to MongoDB.', rule: BOOL },
  { key: 'analytics.interval', description: 'How often analytics are sent, e.g. `10s`.', rule: DUR },
  { key: 'analytics.expiration', description: 'How long analytics are kept, e.g. `768h` (32 days).', rule: DUR },
  { key: 'analytics.mongo_url', description: 'MongoDB connection string for analytics.', secret: true },
  { key: 'rtc', description: 'WebRTC settings of OpenVidu.', pro: true },
  { key: 'rtc.engine', description: 'WebRTC engine: `pion` or `mediasoup`.', default: 'pion', rule: { kind: 'enum', values: ['pion', 'mediasoup'] }, pro: true },
  { key: 'mediasoup', description: 'mediasoup engine settings.', pro: true },
  { key: 'mediasoup.debug', description: 'mediasoup debug log filter (`*` for everything).', default: '""', pro: true },
  { key: 'mediasoup.log_level', description: 'mediasoup log level: debug, warn, error or none.', default: 'error', rule: { kind: 'enum', values: ['debug', 'warn', 'error', 'none'] }, pro: true },
  { key: 'mediasoup.log_tags', description: 'mediasoup log tags: info, ice, dtls, rtp, srtp, rtcp, rtx, bwe, score, simulcast, svc, sctp, message.', default: '[info, ice, rtp, rtcp, message]', pro: true },
];

export const REFERENCE: readonly FileReference[] = [
  { file: 'openvidu.env', title: 'openvidu.env: global values', complete: true, keys: OPENVIDU_ENV },
  { file: 'meet.env', title: 'meet.env: OpenVidu Meet', complete: true, keys: MEET_ENV },
  { file: 'v2compatibility.env', title: 'v2compatibility.env: OpenVidu v2 compatibility', complete: true, keys: V2COMPAT_ENV },
  { file: 'master_node.env', title: 'master_node.env: this master', complete: false, keys: MASTER_NODE_ENV },
  { file: 'media_node.env', title: 'media_node.env: this media node', complete: false, keys: NODE_ENV_KEYS },
  { file: 'livekit.yaml', title: 'livekit.yaml `openvidu:` section', complete: true, keys: LIVEKIT_OPENVIDU },
];

export function referenceFor(path: string): FileReference | undefined {
  const name = path.split('/').pop() ?? path;
  return REFERENCE.find((r) => r.file === name);
}

export function lookupKey(path: string, key: string): ConfigKey | undefined {
  return referenceFor(path)?.keys.find((k) => k.key === key);
}

/** Every key documented as a credential, in any file (to keep their values out of reports). */
export function isSecretKey(key: string): boolean {
  if (REFERENCE.some((r) => r.keys.some((k) => k.key === key && k.secret))) return true;
  return /SECRET|PASSWORD|LICENSE|ACCOUNT_KEY|MONGO_URL|TOKEN/i.test(key);
}

/** Checks a value against the key's rule; returns the problem, or undefined. */
export function checkValue(k: ConfigKey, value: string): string | undefined {
  const r = k.rule;
  if (!r) return undefined;
  const v = value.trim();
  if (/\$\{[^}]*\}/.test(v)) return undefined; // a reference, resolved on the node
  switch (r.kind) {
    case 'enum':
      if (v === '' && r.allowEmpty) return undefined;
      return r.values.includes(v) ? undefined : `${k.key} must be ${r.values.map((x) => `"${x}"`).join(' or ')}${r.allowEmpty ? ' (or empty)' : ''}, not "${v.slice(0, 40)}".`;
    case 'bool':
      return v === '' || v === 'true' || v === 'false' ? undefined : `${k.key} must be "true" or "false", not "${v.slice(0, 40)}".`;
    case 'boolOrNumber':
      return v === 'true' || v === 'false' || /^\d+$/.test(v) ? undefined : `${k.key} must be "true", "false" or a number of hops, not "${v.slice(0, 40)}".`;
    case 'duration':
      return v === '' || /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h|d))+$/.test(v) ? undefined : `${k.key} must be a duration such as 10s, 15m, 2h or 1d, not "${v.slice(0, 40)}".`;
  }
}

/** Markdown for a hover over a key. */
export function keyMarkdown(fileTitle: string, k: ConfigKey): string {
  const parts = [`**${k.key}**${k.pro ? ' _(PRO)_' : ''} — ${fileTitle}`, '', k.description];
  if (k.default !== undefined) parts.push('', `Default: \`${k.default}\``);
  if (k.rule?.kind === 'enum') parts.push('', `Values: ${k.rule.values.map((v) => `\`${v}\``).join(', ')}`);
  if (k.secret) parts.push('', '_A credential: it is never shown in reports or logs._');
  parts.push('', 'Source: OpenVidu configuration reference.');
  return parts.join('\n');
}
