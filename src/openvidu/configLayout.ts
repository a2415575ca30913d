/**
 * Where an OpenVidu High Availability deployment keeps its configuration (OpenVidu's "How to change OpenVidu
 * configuration", docs/docs/self-hosting/configuration/changing-config.md, "High Availability" tab):
 *
 *   master:  /opt/openvidu/config/cluster/openvidu.env
 *            /opt/openvidu/config/cluster/master_node/{app.env|meet.env, caddy.yaml, dashboard.env, …, grafana/}
 *            /opt/openvidu/config/cluster/media_node/{caddy.yaml, egress.yaml, ingress.yaml, livekit.yaml, …}
 *            /opt/openvidu/config/node/master_node.env
 *   media:   /opt/openvidu/config/node/media_node.env
 *
 * Paths reaching a remote command come only from here: a relative path is accepted when every segment is a
 * plain file name under `cluster/` or `node/` (no `..`, no quotes, no shell characters). Pure: no vscode, no AWS.
 */

export const CONFIG_ROOT = '/opt/openvidu/config';
export const NODES_ERRORS_LOG = '/var/log/openvidu/nodes_errors.log';
/** Where previous versions of saved files are kept (outside the config tree, so OpenVidu never reads them). */
export const BACKUP_ROOT = '/var/backups/openvidu-config';

/** Files larger than this are not opened in the editor (config files are a few KB; dashboards in grafana/ can be large). */
export const MAX_EDITABLE_BYTES = 512 * 1024;

export class ConfigPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigPathError';
  }
}

const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.@+-]{0,127}$/;

/** Checks a path relative to /opt/openvidu/config and returns it normalised; throws a ConfigPathError naming the problem. */
export function checkConfigPath(rel: string): string {
  const p = rel.replace(/^\/+/, '');
  const parts = p.split('/');
  if (parts[0] !== 'cluster' && parts[0] !== 'node') throw new ConfigPathError(`"${rel.slice(0, 80)}" is not under cluster/ or node/ of ${CONFIG_ROOT}.`);
  if (parts.length < 2 || parts.length > 6) throw new ConfigPathError(`"${rel.slice(0, 80)}" is not a configuration file path.`);
  for (const seg of parts) {
    if (!SEGMENT.test(seg) || seg === '.' || seg === '..' || seg.endsWith('.')) {
      throw new ConfigPathError(`"${rel.slice(0, 80)}": the name "${seg.slice(0, 40)}" has characters a configuration file name does not have (letters, digits, . _ - @ + only).`);
    }
  }
  return parts.join('/');
}

export type ConfigFileKind = 'env' | 'yaml' | 'json' | 'other';

export function fileKind(rel: string): ConfigFileKind {
  if (/\.env$/.test(rel)) return 'env';
  if (/\.ya?ml$/.test(rel)) return 'yaml';
  if (/\.json$/.test(rel)) return 'json';
  return 'other';
}

/** The editor language of a file (VS Code's built-in ids). */
export function languageOf(rel: string): string {
  const k = fileKind(rel);
  return k === 'env' ? 'properties' : k === 'yaml' ? 'yaml' : k === 'json' ? 'json' : 'plaintext';
}

export interface ConfigFileEntry {
  /** relative to /opt/openvidu/config, e.g. cluster/media_node/livekit.yaml */
  path: string;
  size: number;
}

/** Parses the listing script's output: `<size>\t<relative path>` per line (find -printf '%s\t%P\n'). */
export function parseListing(stdout: string): ConfigFileEntry[] {
  const out: ConfigFileEntry[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^(\d+)\t(.+)$/.exec(line.trim());
    if (!m) continue;
    try {
      out.push({ path: checkConfigPath(m[2]), size: Number(m[1]) });
    } catch {
      // a name we would refuse to read or write is not listed
    }
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** What a file is for, in a few words (shown in the tree's tooltips). */
export function describeConfigFile(rel: string): string {
  const name = rel.split('/').pop() ?? rel;
  if (rel === 'cluster/openvidu.env') return 'Global values used by every service of every node: domain, credentials, S3, engine.';
  if (rel === 'node/master_node.env') return 'Values specific to this master node (not replicated to the other masters).';
  if (rel === 'node/media_node.env') return 'Values specific to a media node.';
  if (rel.startsWith('cluster/master_node/grafana/')) return 'Grafana provisioning (dashboards, data sources) on the master nodes.';
  const where = rel.startsWith('cluster/media_node/') ? 'media nodes' : 'master nodes';
  const svc: Record<string, string> = {
    'livekit.yaml': 'OpenVidu Server (LiveKit-based); OpenVidu settings in its `openvidu:` section',
    'egress.yaml': 'Egress (recording and streaming)',
    'ingress.yaml': 'Ingress (importing streams)',
    'caddy.yaml': 'Caddy (HTTPS and routing)',
    'prometheus.yaml': 'Prometheus (metrics)',
    'promtail.yaml': 'Promtail (log shipping)',
    'loki.yaml': 'Loki (log storage)',
    'mimir.yaml': 'Mimir (long-term metrics)',
    'meet.env': 'OpenVidu Meet',
    'app.env': 'the default application (OpenVidu Call)',
    'dashboard.env': 'OpenVidu Dashboard',
    'minio.env': 'MinIO',
    'mongo.env': 'MongoDB',
    'operator.env': 'the OpenVidu operator',
    'redis.env': 'Redis',
    'v2compatibility.env': 'OpenVidu v2 compatibility server',
  };
  return `${svc[name] ?? name} on the ${where}.`;
}
