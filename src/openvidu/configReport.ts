/**
 * Reads the documented post-restart checks (OpenVidu's changing-config.md, "Troubleshooting configuration") into one
 * verdict: applied everywhere, or the errors with the file and line they name. Message forms recognised:
 *   openvidu-init:   service 'openvidu': Failed to process config file '<path>': Errors found:
 *                        *  Error at line 18: Unmatched opening brace at position 7
 *   nodes_errors.log [2024-10-09T05:54:29Z] [ERROR] Error in Media Node - 10.5.0.5: Container 'openvidu' error:
 *                    could not parse config: yaml: unmarshal errors:
 *                      line 17: cannot unmarshal !!str `trueee` into bool
 *   other containers: their own `docker logs` (e.g. loki: failed parsing config: …: yaml: unmarshal errors: line 3: …)
 * Pure: no vscode, no AWS.
 */
import { CONFIG_ROOT } from './configLayout';
import { splitSections } from './configCommands';
import { isSecretKey } from './configReference';
import { parseEnvFile } from './configCheck';

export interface ConfigProblem {
  source: 'openvidu-init' | 'container' | 'media-node' | 'service';
  /** what failed: container name, or "Media Node 10.5.0.5" */
  where: string;
  message: string;
  /** relative to /opt/openvidu/config, when the error names (or implies) a file */
  file?: string;
  /** 1-based line in that file */
  line?: number;
}

export interface ApplyReport {
  outcome: 'applied' | 'failed';
  openvidu: string;
  problems: ConfigProblem[];
  /** containers found restarting, other than openvidu-init (their logs can be read next) */
  restarting: string[];
}

/** the configuration file a media-node container reads (from the HA layout) */
const MEDIA_CONTAINER_FILE: Record<string, string> = {
  openvidu: 'cluster/media_node/livekit.yaml',
  egress: 'cluster/media_node/egress.yaml',
  ingress: 'cluster/media_node/ingress.yaml',
  caddy: 'cluster/media_node/caddy.yaml',
  prometheus: 'cluster/media_node/prometheus.yaml',
};

function relFile(p: string): string | undefined {
  return p.startsWith(`${CONFIG_ROOT}/`) ? p.slice(CONFIG_ROOT.length + 1) : undefined;
}

export function parseInitLog(text: string): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const lines = text.split('\n');
  const seen = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    const m = /Failed to process config file '([^']+)': Errors found:?/.exec(lines[i]);
    if (!m) continue;
    for (let j = i + 1; j < lines.length && j < i + 12; j++) {
      if (/Failed to process config file/.test(lines[j])) break;
      const e = /^\s*\*\s+Error at line (\d+):\s*(.*)$/.exec(lines[j]);
      if (!e) continue;
      const key = `${m[1]}:${e[1]}:${e[2]}`;
      if (seen.has(key)) continue; // a crash loop repeats the same error
      seen.add(key);
      out.push({ source: 'openvidu-init', where: 'openvidu-init', message: e[2], file: relFile(m[1]), line: Number(e[1]) });
    }
  }
  return out;
}

export function parseNodesErrors(text: string): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const blocks = text.split(/\n(?=\[\d{4}-\d\d-\d\dT[^\]]*\] \[)/);
  const seen = new Set<string>();
  for (const b of blocks) {
    const m = /^\[[^\]]+\] \[ERROR\] Error in Media Node - ([^:]+): Container '([^']+)' error:\s*\n?([\s\S]*)$/.exec(b.trim());
    if (!m) continue;
    const detail = m[3].trim();
    const key = `${m[1]}|${m[2]}|${detail}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const line = /\bline (\d+):/.exec(detail)?.[1];
    out.push({ source: 'media-node', where: `Media Node ${m[1]} (${m[2]})`, message: detail.split('\n').map((l) => l.trim()).filter(Boolean).join(' — '), file: MEDIA_CONTAINER_FILE[m[2]], line: line ? Number(line) : undefined });
  }
  return out;
}

/** The verdict from the checks script's output (sections: active, containers, init, nodes_errors). */
export function interpretChecks(stdout: string): ApplyReport {
  const s = splitSections(stdout);
  const openvidu = (s.get('active') ?? '').trim().split('\n').pop() || 'unknown';
  const problems: ConfigProblem[] = [];
  const restarting: string[] = [];
  let initRestarting = false;
  for (const row of (s.get('containers') ?? '').split('\n')) {
    const [name, state, status] = row.split('|');
    if (!name || !state) continue;
    if (state === 'restarting' || /^Restarting/.test(status ?? '')) {
      if (name === 'openvidu-init') initRestarting = true;
      else restarting.push(name);
    }
  }
  if (initRestarting) {
    const init = parseInitLog(s.get('init') ?? '');
    problems.push(...(init.length ? init : [{ source: 'openvidu-init' as const, where: 'openvidu-init', message: 'openvidu-init keeps restarting: a configuration file has an error (its log did not name it).' }]));
  }
  for (const name of restarting) problems.push({ source: 'container', where: name, message: `${name} keeps restarting.` });
  problems.push(...parseNodesErrors(s.get('nodes_errors') ?? ''));
  if (openvidu !== 'active') problems.unshift({ source: 'service', where: 'openvidu.service', message: `openvidu.service is ${openvidu} on the master.` });
  return { outcome: problems.length ? 'failed' : 'applied', openvidu, problems, restarting };
}

/**
 * The cluster/master_node file each master container reads (OpenVidu's HA layout): a `line N:` in that container's
 * log is a line of that file (after openvidu-init's substitutions, which keep the line count).
 */
const MASTER_CONTAINER_FILE: Record<string, string> = {
  loki: 'cluster/master_node/loki.yaml',
  mimir: 'cluster/master_node/mimir.yaml',
  caddy: 'cluster/master_node/caddy.yaml',
  promtail: 'cluster/master_node/promtail.yaml',
  'openvidu-meet': 'cluster/master_node/meet.env',
  dashboard: 'cluster/master_node/dashboard.env',
  operator: 'cluster/master_node/operator.env',
  'openvidu-v2compatibility': 'cluster/master_node/v2compatibility.env',
  minio: 'cluster/master_node/minio.env',
  mongo: 'cluster/master_node/mongo.env',
  'redis-server': 'cluster/master_node/redis.env',
  'redis-sentinel': 'cluster/master_node/redis.env',
};

/**
 * Adds what restarting containers logged to their problems (changing-config.md, troubleshooting step 2: "check the
 * logs of those restarting containers"): the distinct lines (a crash loop repeats itself), and the file the container
 * reads with the line its log names, so the report can open it there.
 */
export function addContainerLogs(report: ApplyReport, stdout: string): void {
  const s = splitSections(stdout);
  for (const p of report.problems) {
    if (p.source !== 'container') continue;
    const logs = s.get(`logs ${p.where}`)?.trim();
    if (!logs) continue;
    const distinct = [...new Set(logs.split('\n').map((l) => l.trimEnd()).filter(Boolean))].slice(-8);
    p.message = `${p.where} keeps restarting. Its log (docker logs ${p.where}):\n${distinct.join('\n')}`;
    p.file ??= MASTER_CONTAINER_FILE[p.where];
    const line = /\bline (\d+):/.exec(logs)?.[1];
    if (p.file && line) p.line = Number(line);
  }
}

/** The credential values of an env file, to keep them out of reports. */
export function secretValuesOf(text: string): string[] {
  return parseEnvFile(text)
    .entries.filter((e) => isSecretKey(e.key) && e.value.trim().length >= 4)
    .map((e) => e.value.trim());
}

export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join('(hidden)');
  return out;
}

/** The report as Markdown (for a read-only document). */
export function reportMarkdown(title: string, report: ApplyReport, secrets: readonly string[] = []): string {
  const lines = [`# ${title}`, ''];
  if (report.outcome === 'applied') {
    lines.push('**Applied.** openvidu.service is active, `openvidu-init` is not restarting, no container is restarting and `/var/log/openvidu/nodes_errors.log` got no new error.');
  } else {
    lines.push(`**Not applied cleanly:** ${report.problems.length} problem(s).`, '');
    for (const p of report.problems) {
      const at = p.file ? ` — \`${p.file}\`${p.line ? ` line ${p.line}` : ''}` : '';
      lines.push(`- **${p.where}**${at}: ${p.message.split('\n').join('\n  ')}`);
    }
    lines.push('', 'Fix the file and save it again, or restore the backup (both are offered on the notification).');
  }
  lines.push('', 'Checks run (OpenVidu "How to change OpenVidu configuration"): `docker ps -a`, `docker logs openvidu-init`, new lines of `/var/log/openvidu/nodes_errors.log`.');
  return redact(lines.join('\n'), secrets);
}
