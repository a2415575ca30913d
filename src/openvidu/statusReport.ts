/** The status report of a stack: its problems, then a table of nodes × services per role, nodes with problems first. Pure. */
import type { NodeStatus, ServiceStatus } from './nodeCommands';
import { serviceHealth, summarizeHealth } from './health';
import { formatIso, formatTime, type TimeFormatOptions } from './timeFormat';

export interface StatusRow {
  label: string;
  instanceId: string;
  role: 'master' | 'media';
  status?: NodeStatus;
  error?: string;
}

/** 0 = broken, 1 = something down, 2 = starting, 3 = all good (expected exits included); not checked sorts with 0 */
const SEVERITY = { broken: 0, down: 1, starting: 2, ok: 3, expected: 3 } as const;
function serviceSeverity(s: ServiceStatus, role: StatusRow['role']): number {
  return SEVERITY[serviceHealth(s, role)];
}

export function nodeSeverity(row: StatusRow): number {
  if (row.error || !row.status) return 0;
  if (row.status.openvidu !== 'active') return 0;
  return Math.min(3, ...row.status.services.map((s) => serviceSeverity(s, row.role)));
}

/**
 * The report as Markdown: the problems first, then one table per role (masters, media) with only the services
 * of that role, nodes with problems first; the systemd unit has its own column named as such; instance ids
 * never wrap; the check time is local with its zone (ISO in its tooltip).
 */
export function formatStatusReport(title: string, rows: StatusRow[], at: Date, options: TimeFormatOptions = {}): string {
  const sorted = [...rows].sort((a, b) => nodeSeverity(a) - nodeSeverity(b) || a.label.localeCompare(b.label, 'en', { numeric: true }));
  // Nodes that could not be checked are their own count, never "with problems" (src/openvidu/health.ts).
  const h = summarizeHealth(rows);
  const lines = [
    `# Service status — ${title}`,
    '',
    `Checked <span title="${formatIso(at)}">${formatTime(at, options)}</span> · ${rows.length} nodes · ${h.healthy} healthy · ${h.problems + h.starting} with problems or starting · ${h.notChecked} not checked`,
  ];
  const problems = sorted.filter((r) => nodeSeverity(r) < 3);
  if (problems.length) {
    lines.push('', '## Problems', '');
    // Nodes that share a reason (e.g. four unregistered masters) are listed once, with the whole explanation.
    const byReason = new Map<string, string[]>();
    for (const r of problems.filter((x) => x.error || !x.status)) {
      const reason = r.error ?? 'not checked';
      byReason.set(reason, [...(byReason.get(reason) ?? []), r.label]);
    }
    for (const [reason, labels] of byReason) lines.push(`- **${labels.join(', ')}**: ${reason}`);
    for (const r of problems.filter((x) => x.status && !x.error)) {
      if (r.status!.openvidu !== 'active') lines.push(`- **${r.label}**: openvidu.service is ${r.status!.openvidu}`);
      for (const s of r.status!.services.filter((x) => serviceSeverity(x, r.role) < 3)) lines.push(`- **${r.label}** · ${s.name}: ${s.status || s.state}`);
    }
  }
  for (const [role, heading] of [['master', 'Master nodes'], ['media', 'Media nodes']] as const) {
    const group = sorted.filter((r) => r.role === role);
    if (group.length) lines.push('', `## ${heading} (${group.length})`, '', ...roleTable(group));
  }
  return lines.join('\n') + '\n';
}

/** One role's table: node (label and id), the systemd unit, then one column per service seen on that role. */
function roleTable(rows: StatusRow[]): string[] {
  const services = [...new Set(rows.flatMap((r) => r.status?.services.map((s) => s.name) ?? []))].sort();
  const out = [`| node | ${UNIT_HEADER} |${services.map((s) => ` ${s} |`).join('')}`, `|---|---|${services.map(() => '---|').join('')}`];
  for (const r of rows) {
    if (r.error || !r.status) {
      out.push(`| ${nodeCell(r)} | ⚠ ${cell(firstSentence(r.error ?? 'not checked'))} |${services.map(() => '  |').join('')}`);
      continue;
    }
    const byName = new Map(r.status.services.map((s) => [s.name, s]));
    const cells = services.map((name) => {
      const s = byName.get(name);
      if (!s) return '—';
      if (serviceHealth(s, r.role) === 'expected') return `– ${s.state} (expected)`;
      if (serviceSeverity(s, r.role) === 0) return `✗ ${s.state}${s.health ? ` (${s.health})` : ''}`;
      if (serviceSeverity(s, r.role) === 1) return `○ ${s.state}`;
      if (serviceSeverity(s, r.role) === 2) return `… ${s.health}`;
      return '✓';
    });
    out.push(`| ${nodeCell(r)} | ${r.status.openvidu === 'active' ? '✓ active' : `✗ ${r.status.openvidu}`} |${cells.map((c) => ` ${cell(c)} |`).join('')}`);
  }
  return out;
}

/** the systemd unit that runs the whole of OpenVidu on a node (not the `openvidu` container) */
const UNIT_HEADER = 'openvidu.service (systemd)';

/** "Master 1 i-0abc…" or, when the label is only the role and the id ("Media i-0abc…"), the id alone; the id never wraps. */
function nodeCell(r: StatusRow): string {
  const rest = r.label.includes(r.instanceId) ? r.label.replace(r.instanceId, '').replace(/^\s*(Media|Master)\s*$/i, '').trim() : r.label;
  const id = `<span style="white-space:nowrap">${cell(r.instanceId)}</span>`;
  return rest ? `${cell(rest)} ${id}` : id;
}

function firstSentence(s: string): string {
  const i = s.indexOf('. ');
  return i > 0 ? s.slice(0, i + 1) : s;
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
