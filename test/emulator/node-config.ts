/**
 * The OpenVidu configuration files of a simulated node and what OpenVidu does with them on a restart.
 *
 * Layout (OpenVidu/openvidu.io docs/docs/self-hosting/configuration/changing-config.md, "High Availability"): masters
 * hold /opt/openvidu/config/cluster/{openvidu.env, master_node/…, media_node/…} and node/master_node.env; media
 * nodes hold only node/media_node.env. Values come from the stack's secret (the deployment scripts copy them into
 * openvidu.env / master_node.env / meet.env). The files are written into `node.files` the first time a script runs
 * on an installed node, so from then on they behave as files: `cat`, writes, `mv`, `cp -p`, backups.
 *
 * On `systemctl restart|start openvidu` on a master (changing-config.md, "Troubleshooting configuration"):
 * - `openvidu-init` processes the cluster files. A YAML syntax error, an env line that is not KEY=value, a
 *   `${openvidu.KEY}` naming no key, or an OPENVIDU_RTC_ENGINE other than pion/mediasoup makes it fail and restart
 *   in a loop; `docker logs openvidu-init` prints
 *     service '<svc>': Failed to process config file '<path>': Errors found:
 *         *  Error at line N: <reason>
 *   (the form the guide shows; the reasons' wording is ours).
 * - otherwise each running media node of the stack gets the media-node files; a livekit.yaml value of the wrong type
 *   (a bool key holding a string) makes the media node's `openvidu` container crash and the master appends to
 *   /var/log/openvidu/nodes_errors.log, in the guide's form:
 *     [2024-10-09T05:54:29Z] [ERROR] Error in Media Node - 10.5.0.5: Container 'openvidu' error:
 *     could not parse config: yaml: unmarshal errors:
 *       line 17: cannot unmarshal !!str `trueee` into bool
 * - a master container that reads a master_node YAML (loki.yaml, mimir.yaml) and finds a bool or int key holding a
 *   string crash-loops with go-yaml's unmarshal error in its own `docker logs` (the guide's step 2: "some containers
 *   restarting, check the logs of those restarting containers").
 * How the four masters keep their copies in step is not documented: the emulator does not copy files between
 * masters, so an edit on one master shows as drift on the others.
 */
import { createHash } from 'node:crypto';
import { isMap, isScalar, LineCounter, parseDocument, type Pair } from 'yaml';
import type { SimNode } from './world';
import { addService, findService, isInstalled, setServiceState } from './node-sim';

export const CONFIG = '/opt/openvidu/config';
export const NODES_ERRORS = '/var/log/openvidu/nodes_errors.log';

export interface NodeConfigEnv {
  /** the stack's secret values */
  secret: Record<string, string>;
  region: string;
  stackName: string;
  privateIp: string;
  /** the stack's media nodes that run now (for a master's restart) */
  mediaNodes: () => { ip: string; node: SimNode }[];
}

interface Meta {
  mode: string;
  owner: string;
  /** stored as latin1 (bytes that are not UTF-8) */
  binary?: boolean;
}

const envs = new WeakMap<SimNode, NodeConfigEnv>();
const metas = new WeakMap<SimNode, Map<string, Meta>>();
const materialized = new WeakSet<SimNode>();
/** what a container that failed on its configuration printed, per node and container (openvidu-init, loki, mimir) */
const configLogs = new WeakMap<SimNode, Map<string, { at: number; text: string }>>();
function setConfigLog(node: SimNode, container: string, at: number, text: string): void {
  let m = configLogs.get(node);
  if (!m) configLogs.set(node, (m = new Map()));
  m.set(container, { at, text });
}

export function fileMeta(node: SimNode, path: string): Meta {
  let m = metas.get(node);
  if (!m) metas.set(node, (m = new Map()));
  let meta = m.get(path);
  if (!meta) m.set(path, (meta = { mode: '644', owner: 'root:root' }));
  return meta;
}
export function dropMeta(node: SimNode, path: string): void {
  metas.get(node)?.delete(path);
}

/** The bytes of a stored file. */
export function fileBytes(node: SimNode, path: string, text: string): Buffer {
  return Buffer.from(text, fileMeta(node, path).binary ? 'latin1' : 'utf8');
}
/** Stores bytes as a file (UTF-8 text when they are, latin1 otherwise). */
export function storeBytes(node: SimNode, path: string, bytes: Buffer): void {
  const text = bytes.toString('utf8');
  const binary = !Buffer.from(text, 'utf8').equals(bytes);
  (node.files ??= {})[path] = binary ? bytes.toString('latin1') : text;
  fileMeta(node, path).binary = binary;
  addDir(node, path.slice(0, path.lastIndexOf('/')) || '/');
}
export function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

export function addDir(node: SimNode, dir: string): void {
  const dirs = (node.dirs ??= []);
  for (let d = dir; d && d !== '/'; d = d.slice(0, d.lastIndexOf('/'))) if (!dirs.includes(d)) dirs.push(d);
}

/** Called before each script on an instance: the node learns its stack; its files exist once it is installed. */
export function attachNodeConfig(node: SimNode, env: NodeConfigEnv, now: number): void {
  envs.set(node, env);
  if (materialized.has(node) || !isInstalled(node, now) || env.secret.ALL_SECRETS_GENERATED === 'false') return;
  materialized.add(node);
  for (const [rel, text] of Object.entries(layout(node, env))) {
    const path = `${CONFIG}/${rel}`;
    if (node.files && path in node.files) continue; // a test put its own content there
    storeBytes(node, path, Buffer.from(text, 'utf8'));
    if (/master_node\.env$|media_node\.env$/.test(rel)) fileMeta(node, path).mode = '600';
  }
  addDir(node, '/var/tmp');
  addDir(node, '/var/backups');
}

const v = (version: string, major: number, minor: number) => {
  const [a, b] = version.split('.').map(Number);
  return a > major || (a === major && b >= minor);
};

/** The files of a node, per OpenVidu version (3.4 added OpenVidu Meet: meet.env replaces app.env). */
export function layout(node: SimNode, env: NodeConfigEnv): Record<string, string> {
  const s = env.secret;
  const version = node.version ?? s.OPENVIDU_VERSION ?? '3.8.0';
  const g = (k: string, d = '') => (s[k] && s[k] !== 'none' ? s[k] : d);
  const domain = g('DOMAIN_NAME', 'openvidu.example.com');
  const modules = g('ENABLED_MODULES', 'observability,openviduMeet,v2compatibility');
  if (node.kind === 'media') {
    return {
      'node/media_node.env': [
        '# Values of this media node (OpenVidu High Availability)',
        `PRIVATE_IP=${env.privateIp}`,
        `COMPOSE_PROFILES=${modules.includes('observability') ? 'observability' : ''}`,
        '',
      ].join('\n'),
    };
  }
  const files: Record<string, string> = {
    'cluster/openvidu.env': [
      '# OpenVidu configuration shared by every node of the cluster.',
      '# Reference: https://openvidu.io/latest/docs/self-hosting/configuration/reference/',
      '',
      `DOMAIN_NAME=${domain}`,
      `OPENVIDU_PRO_LICENSE=${g('OPENVIDU_PRO_LICENSE')}`,
      `OPENVIDU_RTC_ENGINE=${g('OPENVIDU_RTC_ENGINE', 'pion')}`,
      '',
      '# LiveKit API credentials used by applications',
      `LIVEKIT_API_KEY=${g('LIVEKIT_API_KEY')}`,
      `LIVEKIT_API_SECRET=${g('LIVEKIT_API_SECRET')}`,
      '',
      '# Storage: the AWS deployment uses S3 buckets instead of MinIO',
      `EXTERNAL_S3_ENDPOINT=https://s3.${env.region}.amazonaws.com`,
      `EXTERNAL_S3_REGION=${env.region}`,
      'EXTERNAL_S3_PATH_STYLE_ACCESS=false',
      `EXTERNAL_S3_BUCKET_APP_DATA=${env.stackName}-appdata`,
      `EXTERNAL_S3_BUCKET_CLUSTER_DATA=${env.stackName}-clusterdata`,
      `MINIO_ACCESS_KEY=${g('MINIO_ACCESS_KEY')}`,
      `MINIO_SECRET_KEY=${g('MINIO_SECRET_KEY')}`,
      '',
      `MONGO_ADMIN_USERNAME=${g('MONGO_ADMIN_USERNAME', 'mongoadmin')}`,
      `MONGO_ADMIN_PASSWORD=${g('MONGO_ADMIN_PASSWORD')}`,
      `DASHBOARD_ADMIN_USERNAME=${g('DASHBOARD_ADMIN_USERNAME', 'dashboardadmin')}`,
      `DASHBOARD_ADMIN_PASSWORD=${g('DASHBOARD_ADMIN_PASSWORD')}`,
      `GRAFANA_ADMIN_USERNAME=${g('GRAFANA_ADMIN_USERNAME', 'grafanaadmin')}`,
      `GRAFANA_ADMIN_PASSWORD=${g('GRAFANA_ADMIN_PASSWORD')}`,
      '',
      `ENABLED_MODULES=${modules}`,
      ...(v(version, 3, 6) ? ['MEET_BASE_PATH=/meet'] : []),
      '',
    ].join('\n'),
    'cluster/master_node/caddy.yaml': caddyYaml('master'),
    'cluster/master_node/dashboard.env': ['SERVER_PORT=5000', 'ADMIN_USERNAME=${openvidu.DASHBOARD_ADMIN_USERNAME}', 'ADMIN_PASSWORD=${openvidu.DASHBOARD_ADMIN_PASSWORD}', 'DATABASE_URL=mongodb://${openvidu.MONGO_ADMIN_USERNAME}:${openvidu.MONGO_ADMIN_PASSWORD}@${master_node.PRIVATE_IP}:20000/?replicaSet=rs0', ''].join('\n'),
    'cluster/master_node/loki.yaml': ['auth_enabled: false', 'server:', '  http_listen_port: 3100', 'common:', '  path_prefix: /loki', '  replication_factor: 3', 'storage_config:', '  aws:', '    bucketnames: ${openvidu.EXTERNAL_S3_BUCKET_CLUSTER_DATA}', '    region: ${openvidu.EXTERNAL_S3_REGION}', 'limits_config:', '  retention_period: 744h', ''].join('\n'),
    'cluster/master_node/mimir.yaml': ['multitenancy_enabled: false', 'server:', '  http_listen_port: 9009', 'blocks_storage:', '  backend: s3', '  s3:', '    bucket_name: ${openvidu.EXTERNAL_S3_BUCKET_CLUSTER_DATA}', '    endpoint: s3.${openvidu.EXTERNAL_S3_REGION}.amazonaws.com', ''].join('\n'),
    'cluster/master_node/minio.env': ['MINIO_ROOT_USER=${openvidu.MINIO_ACCESS_KEY}', 'MINIO_ROOT_PASSWORD=${openvidu.MINIO_SECRET_KEY}', ''].join('\n'),
    'cluster/master_node/mongo.env': ['MONGO_INITDB_ROOT_USERNAME=${openvidu.MONGO_ADMIN_USERNAME}', 'MONGO_INITDB_ROOT_PASSWORD=${openvidu.MONGO_ADMIN_PASSWORD}', 'MONGO_REPLICA_SET=rs0', ''].join('\n'),
    'cluster/master_node/operator.env': ['OPERATOR_PORT=9100', 'LIVEKIT_URL_PRIVATE=ws://${master_node.PRIVATE_IP}:7880', 'LIVEKIT_API_KEY=${openvidu.LIVEKIT_API_KEY}', 'LIVEKIT_API_SECRET=${openvidu.LIVEKIT_API_SECRET}', ''].join('\n'),
    'cluster/master_node/promtail.yaml': promtailYaml(),
    'cluster/master_node/redis.env': ['REDIS_PORT=7000', 'REDIS_SENTINEL_PORT=7001', 'REDIS_PASSWORD=${master_node.REDIS_PASSWORD}', ''].join('\n'),
    'cluster/master_node/v2compatibility.env': [
      'OPENVIDU_PRO_LICENSE=${openvidu.OPENVIDU_PRO_LICENSE}',
      'V2COMPAT_OPENVIDU_SHIM_PORT=4443',
      `V2COMPAT_OPENVIDU_SHIM_URL=https://${domain}`,
      'V2COMPAT_OPENVIDU_SECRET=${openvidu.LIVEKIT_API_SECRET}',
      `V2COMPAT_LIVEKIT_URL=wss://${domain}`,
      'V2COMPAT_LIVEKIT_URL_PRIVATE=ws://${master_node.PRIVATE_IP}:7880',
      'V2COMPAT_LIVEKIT_API_KEY=${openvidu.LIVEKIT_API_KEY}',
      'V2COMPAT_LIVEKIT_API_SECRET=${openvidu.LIVEKIT_API_SECRET}',
      'V2COMPAT_REDIS_PASSWORD=${master_node.REDIS_PASSWORD}',
      'V2COMPAT_REDIS_SENTINEL_MASTER_NAME=openvidu',
      'V2COMPAT_OPENVIDU_PRO_RECORDING_STORAGE=s3',
      'V2COMPAT_OPENVIDU_PRO_AWS_S3_BUCKET=${openvidu.EXTERNAL_S3_BUCKET_APP_DATA}',
      'V2COMPAT_OPENVIDU_PRO_AWS_REGION=${openvidu.EXTERNAL_S3_REGION}',
      'V2COMPAT_OPENVIDU_WEBHOOK=false',
      '',
    ].join('\n'),
    'cluster/master_node/grafana/datasources/datasources.yaml': ['apiVersion: 1', 'datasources:', '  - name: Loki', '    type: loki', '    url: http://localhost:3100', '  - name: Mimir', '    type: prometheus', '    url: http://localhost:9009/prometheus', ''].join('\n'),
    'cluster/master_node/grafana/dashboards/openvidu-cluster.json': dashboardJson(20 * 1024),
    'cluster/media_node/caddy.yaml': caddyYaml('media'),
    'cluster/media_node/egress.yaml': ['redis:', '  address: ${openvidu.MASTER_NODES_REDIS_SENTINEL}', '  password: ${master_node.REDIS_PASSWORD}', 'api_key: ${openvidu.LIVEKIT_API_KEY}', 'api_secret: ${openvidu.LIVEKIT_API_SECRET}', 'ws_url: ws://localhost:7880', 'health_port: 9091', 's3:', '  bucket: ${openvidu.EXTERNAL_S3_BUCKET_APP_DATA}', '  region: ${openvidu.EXTERNAL_S3_REGION}', ''].join('\n').replace('${openvidu.MASTER_NODES_REDIS_SENTINEL}', 'localhost:7000'),
    'cluster/media_node/ingress.yaml': ['redis:', '  address: localhost:7000', 'api_key: ${openvidu.LIVEKIT_API_KEY}', 'api_secret: ${openvidu.LIVEKIT_API_SECRET}', 'ws_url: ws://localhost:7880', 'rtmp_port: 1945', 'whip_port: 8085', 'http_relay_port: 9090', ''].join('\n'),
    'cluster/media_node/livekit.yaml': livekitYaml(),
    'cluster/media_node/prometheus.yaml': ['global:', '  scrape_interval: 15s', 'scrape_configs:', '  - job_name: openvidu', '    static_configs:', '      - targets: ["localhost:6789"]', 'remote_write:', '  - url: http://${master_node.PRIVATE_IP}:9009/api/v1/push', ''].join('\n'),
    'cluster/media_node/promtail.yaml': promtailYaml(),
    'node/master_node.env': ['# Values of this master node (not replicated to the other masters)', `PRIVATE_IP=${env.privateIp}`, `REDIS_PASSWORD=${g('REDIS_PASSWORD')}`, `COMPOSE_PROFILES=${modules.includes('observability') ? 'observability' : ''}`, ''].join('\n'),
  };
  if (v(version, 3, 4)) {
    files['cluster/master_node/meet.env'] = [
      'SERVER_PORT=6080',
      'SERVER_CORS_ORIGIN=*',
      'SERVER_TRUST_PROXY=true',
      `LIVEKIT_URL=wss://${domain}`,
      'LIVEKIT_URL_PRIVATE=ws://${master_node.PRIVATE_IP}:7880',
      'LIVEKIT_API_KEY=${openvidu.LIVEKIT_API_KEY}',
      'LIVEKIT_API_SECRET=${openvidu.LIVEKIT_API_SECRET}',
      `MEET_INITIAL_ADMIN_USER=${g('MEET_INITIAL_ADMIN_USER', 'admin')}`,
      `MEET_INITIAL_ADMIN_PASSWORD=${g('MEET_INITIAL_ADMIN_PASSWORD')}`,
      'MEET_BLOB_STORAGE_MODE=s3',
      'MEET_S3_BUCKET=${openvidu.EXTERNAL_S3_BUCKET_APP_DATA}',
      'MEET_AWS_REGION=${openvidu.EXTERNAL_S3_REGION}',
      'MEET_REDIS_PASSWORD=${master_node.REDIS_PASSWORD}',
      'MEET_REDIS_SENTINEL_MASTER_NAME=openvidu',
      'MEET_LOG_LEVEL=info',
      '',
    ].join('\n');
  } else {
    files['cluster/master_node/app.env'] = ['SERVER_PORT=6080', 'LIVEKIT_API_KEY=${openvidu.LIVEKIT_API_KEY}', 'LIVEKIT_API_SECRET=${openvidu.LIVEKIT_API_SECRET}', ''].join('\n');
  }
  return files;
}

function caddyYaml(role: string): string {
  return ['# Caddy JSON configuration in YAML form', 'admin:', '  disabled: true', 'apps:', '  http:', '    servers:', `      ${role}:`, '        listen: [":7880"]', '        routes:', '          - handle:', '              - handler: reverse_proxy', '                upstreams:', '                  - dial: localhost:7881', ''].join('\n');
}
function promtailYaml(): string {
  return ['server:', '  http_listen_port: 9080', 'positions:', '  filename: /tmp/positions.yaml', 'clients:', '  - url: http://${master_node.PRIVATE_IP}:3100/loki/api/v1/push', 'scrape_configs:', '  - job_name: docker', '    docker_sd_configs:', '      - host: unix:///var/run/docker.sock', ''].join('\n');
}
function livekitYaml(): string {
  return [
    '# OpenVidu Server (LiveKit based). OpenVidu settings live in the openvidu: section.',
    'port: 7880',
    'bind_addresses:',
    '  - ""',
    'rtc:',
    '  tcp_port: 7881',
    '  port_range_start: 50000',
    '  port_range_end: 60000',
    '  use_external_ip: true',
    'redis:',
    '  address: localhost:7000',
    '  password: ${master_node.REDIS_PASSWORD}',
    'keys:',
    '  ${openvidu.LIVEKIT_API_KEY}: ${openvidu.LIVEKIT_API_SECRET}',
    'turn:',
    '  enabled: true',
    '  udp_port: 3478',
    'webhook:',
    '  api_key: ${openvidu.LIVEKIT_API_KEY}',
    '  urls:',
    '    - http://localhost:4443/livekit/webhook',
    'openvidu:',
    '  license: ${openvidu.OPENVIDU_PRO_LICENSE}',
    '  cluster_id: ${openvidu.DOMAIN_NAME}',
    '  analytics:',
    '    enabled: true',
    '    interval: 10s',
    '    expiration: 768h',
    '    mongo_url: mongodb://${openvidu.MONGO_ADMIN_USERNAME}:${openvidu.MONGO_ADMIN_PASSWORD}@localhost:20000/',
    '  rtc:',
    '    engine: ${openvidu.OPENVIDU_RTC_ENGINE}',
    '  mediasoup:',
    '    debug: ""',
    '    log_level: error',
    '    log_tags: [info, ice, rtp, rtcp, message]',
    'logging:',
    '  level: info',
    '',
  ].join('\n');
}
/** A Grafana dashboard of about `size` bytes (the biggest file of the layout). */
function dashboardJson(size: number): string {
  const panels: string[] = [];
  for (let i = 0; panels.join(',\n').length < size - 400; i++) {
    panels.push(`    {"id": ${i + 1}, "type": "timeseries", "title": "Media node metric ${i + 1}", "gridPos": {"h": 8, "w": 12, "x": ${(i % 2) * 12}, "y": ${Math.floor(i / 2) * 8}}, "targets": [{"expr": "sum(rate(livekit_packet_total{node=~\\"$node\\"}[1m])) by (type)", "refId": "A"}]}`);
  }
  return `{\n  "title": "OpenVidu Cluster",\n  "uid": "openvidu-cluster",\n  "schemaVersion": 39,\n  "panels": [\n${panels.join(',\n')}\n  ]\n}\n`;
}

// ---------------------------------------------------------------------------------------------------------------
// what a restart does with the files

const plainIso = (t: number) => `${new Date(t).toISOString().slice(0, 19)}Z`;

function envKeys(text: string): Map<string, { value: string; line: number }> {
  const out = new Map<string, { value: string; line: number }>();
  text.split('\n').forEach((l, i) => {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(l.trim());
    if (m) out.set(m[1], { value: m[2], line: i + 1 });
  });
  return out;
}

const SERVICE_OF: Record<string, string> = { 'livekit.yaml': 'openvidu', 'meet.env': 'openvidu-meet', 'v2compatibility.env': 'openvidu-v2compatibility', 'app.env': 'app' };

/** openvidu-init's checks of a master's cluster files; returns its log text when it fails. */
export function initErrors(node: SimNode): string | undefined {
  const files = node.files ?? {};
  const ov = envKeys(files[`${CONFIG}/cluster/openvidu.env`] ?? '');
  const mn = envKeys(files[`${CONFIG}/node/master_node.env`] ?? '');
  const blocks: string[] = [];
  const paths = Object.keys(files).filter((p) => p.startsWith(`${CONFIG}/cluster/`) && !/\.ovha-/.test(p)).sort();
  for (const p of paths) {
    const name = p.split('/').pop() as string;
    if (p.includes('/grafana/')) continue;
    const text = files[p];
    const errs: string[] = [];
    if (name.endsWith('.yaml')) {
      const lc = new LineCounter();
      const doc = parseDocument(text, { lineCounter: lc });
      for (const e of doc.errors.slice(0, 3)) errs.push(`Error at line ${lc.linePos(e.pos[0]).line}: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
    } else if (name.endsWith('.env')) {
      text.split('\n').forEach((l, i) => {
        const t = l.trim();
        if (t && !t.startsWith('#') && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(t)) errs.push(`Error at line ${i + 1}: invalid line, expected KEY=value`);
      });
      if (p.endsWith('/cluster/openvidu.env')) {
        const e = ov.get('OPENVIDU_RTC_ENGINE');
        if (e && !['pion', 'mediasoup'].includes(e.value.trim())) errs.push(`Error at line ${e.line}: invalid value '${e.value.trim()}' for OPENVIDU_RTC_ENGINE: must be one of [pion, mediasoup]`);
      }
    }
    if (!errs.length) {
      text.split('\n').forEach((l, i) => {
        for (const m of l.matchAll(/\$\{(openvidu|master_node)\.([A-Za-z0-9_]*)\}/g)) {
          const keys = m[1] === 'openvidu' ? ov : mn;
          if (!keys.has(m[2])) errs.push(`Error at line ${i + 1}: unknown parameter '${m[1]}.${m[2]}'`);
        }
      });
    }
    if (errs.length) blocks.push(`service '${SERVICE_OF[name] ?? name.replace(/\.(env|yaml)$/, '')}': Failed to process config file '${p}': Errors found:\n\n${errs.map((e) => `    *  ${e}`).join('\n')}\n`);
  }
  return blocks.length ? blocks.join('\n') : undefined;
}

const BOOL_KEYS = new Set(['enabled', 'use_external_ip', 'use_ice_lite', 'insecure', 'force_relay', 'auth_enabled', 'multitenancy_enabled']);
/** integer keys (a port, a replication factor): go-yaml refuses a string there as it refuses one in a bool */
const INT_KEY = /(^|_)port$|^replication_factor$/;

/** The go-yaml unmarshal errors a Go service would hit with this YAML (a bool or int key holding a string). */
export function typedUnmarshalErrors(text: string): string[] {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  if (doc.errors.length) return [];
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (!isMap(node)) return;
    for (const p of node.items as Pair[]) {
      if (isScalar(p.key) && isScalar(p.value)) {
        const key = String(p.key.value);
        const v = p.value.value;
        // ${…} references are replaced by openvidu-init before the service reads the file
        const ref = typeof v === 'string' && /^\$\{[a-z_]+\.[A-Za-z0-9_]+\}$/.test(v);
        const into = BOOL_KEYS.has(key) && typeof v !== 'boolean' ? 'bool' : INT_KEY.test(key) && !(typeof v === 'number' && Number.isInteger(v)) ? 'int' : undefined;
        if (into && !ref) out.push(`  line ${lc.linePos(p.value.range?.[0] ?? 0).line}: cannot unmarshal !!${typeof v === 'number' ? 'float' : 'str'} \`${String(v)}\` into ${into}`);
      }
      walk(p.value);
    }
  };
  walk(doc.contents);
  return out;
}

/** The unmarshal errors a media node's `openvidu` container would hit with this livekit.yaml. */
export function livekitUnmarshalErrors(text: string): string[] {
  return typedUnmarshalErrors(text);
}

/**
 * Master containers that read a YAML file of cluster/master_node and stop on a bad value, with the first line of what
 * they print: Loki's main prints `failed parsing config: <err>` (grafana/loki cmd/loki/main.go) and Mimir `error
 * loading config from <path>: <err>` (grafana/mimir cmd/mimir/main.go); the error is go-yaml's `yaml: unmarshal errors:` block (the form OpenVidu's
 * guide shows for livekit.yaml). The path inside the container is ours.
 */
const MASTER_YAML_SERVICES: Record<string, { file: string; head: (e: string) => string }> = {
  loki: { file: 'cluster/master_node/loki.yaml', head: (e) => `failed parsing config: /etc/loki/config.yaml: ${e}` },
  mimir: { file: 'cluster/master_node/mimir.yaml', head: (e) => `error loading config from /etc/mimir/mimir.yaml: ${e}` },
};

/** After `systemctl restart|start openvidu` on a node: openvidu-init and the media nodes act on the files. */
export function afterOpenViduStart(node: SimNode, at: number): void {
  const env = envs.get(node);
  if (node.kind !== 'master' || !env || !materialized.has(node)) return;
  const failure = initErrors(node);
  let init = findService(node, 'openvidu-init');
  if (failure) {
    init ??= addService(node, 'openvidu-init', at, { state: 'exited', exitCode: 1, stoppedAt: at });
    setServiceState(node, 'openvidu-init', 'restarting', '', { at, exitCode: 1 });
    setConfigLog(node, 'openvidu-init', at, failure);
    return;
  }
  setConfigLog(node, 'openvidu-init', at, `Configuration processed: ${CONFIG}/cluster\n`);
  if (init) setServiceState(node, 'openvidu-init', 'exited', '', { at: at + 1_500, exitCode: 0 });
  // changing-config.md "Troubleshooting configuration" 2: no openvidu-init restarting, but other containers are
  for (const [name, svc] of Object.entries(MASTER_YAML_SERVICES)) {
    if (!findService(node, name)) continue;
    const bad = typedUnmarshalErrors(node.files?.[`${CONFIG}/${svc.file}`] ?? '');
    if (bad.length) {
      setServiceState(node, name, 'restarting', '', { at: at + 3_000, exitCode: 1 });
      setConfigLog(node, name, at + 3_000, `${svc.head('yaml: unmarshal errors:')}\n${bad.join('\n')}\n`);
    } else configLogs.get(node)?.delete(name);
  }
  const errors = livekitUnmarshalErrors(node.files?.[`${CONFIG}/cluster/media_node/livekit.yaml`] ?? '');
  let log = node.files?.[NODES_ERRORS] ?? '';
  for (const m of env.mediaNodes()) {
    const svc = findService(m.node, 'openvidu');
    if (errors.length) {
      log += `[${plainIso(at + 5_000)}] [ERROR] Error in Media Node - ${m.ip}: Container 'openvidu' error:\ncould not parse config: yaml: unmarshal errors:\n${errors.join('\n')}\n\n`;
      if (svc) setServiceState(m.node, 'openvidu', 'restarting', '', { at: at + 5_000, exitCode: 1 });
    } else if (svc && svc.state !== 'running') setServiceState(m.node, 'openvidu', 'running', 'healthy', { at: at + 5_000 });
  }
  if (errors.length) {
    addDir(node, '/var/log/openvidu');
    (node.files ??= {})[NODES_ERRORS] = log;
  }
}

/**
 * `docker logs <container>` of a container that failed on its configuration (openvidu-init, or a master container
 * above): what its last runs printed; undefined when it has no such log (the generic container log applies).
 */
export function configErrorLog(node: SimNode, container: string, now: number): string | undefined {
  const l = configLogs.get(node)?.get(container);
  if (!l || l.at > now) return undefined;
  const s = findService(node, container);
  if (container !== 'openvidu-init' && s?.state !== 'restarting') return undefined;
  // a crash loop prints the same failure on every attempt (restart backoff 1, 2, 4… s)
  const runs = s?.state === 'restarting' ? Math.min(5, 1 + Math.floor(Math.log2(1 + (now - l.at) / 1000))) : 1;
  return Array.from({ length: runs }, () => l.text).join('');
}
