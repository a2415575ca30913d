/** The status report of a stack: a table of nodes × services, nodes with problems first. Pure. */
import type { NodeStatus, ServiceStatus } from './nodeCommands';
import { serviceHealth, summarizeHealth } from './health';

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

export function formatStatusReport(title: string, rows: StatusRow[], at: Date): string {
  const sorted = [...rows].sort((a, b) => nodeSeverity(a) - nodeSeverity(b) || a.label.localeCompare(b.label, 'en', { numeric: true }));
  const services = [...new Set(sorted.flatMap((r) => r.status?.services.map((s) => s.name) ?? []))].sort();
  // Nodes that could not be checked are their own count, never "with problems" (src/openvidu/health.ts).
  const h = summarizeHealth(rows);
  const lines = [
    `# Service status — ${title}`,
    '',
    `Checked ${at.toISOString()} · ${rows.length} nodes · ${h.healthy} healthy · ${h.problems + h.starting} with problems or starting · ${h.notChecked} not checked`,
    '',
    `| node | instance | openvidu | ${services.join(' | ')} |`,
    `|---|---|---|${services.map(() => '---').join('|')}|`,
  ];
  // The instance has its own column: "Media i-0abc" reads as "Media node" in the first one.
  const label = (r: StatusRow) => (r.label.includes(r.instanceId) ? r.label.replace(r.instanceId, 'node').trim() : r.label);
  for (const r of sorted) {
    if (r.error || !r.status) {
      lines.push(`| ${label(r)} | ${r.instanceId} | ⚠ ${cell(firstSentence(r.error ?? 'not checked'))} |${services.map(() => ' ').join('|')}|`);
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
    lines.push(`| ${label(r)} | ${r.instanceId} | ${r.status.openvidu === 'active' ? '✓ active' : `✗ ${r.status.openvidu}`} | ${cells.join(' | ')} |`);
  }
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
  return lines.join('\n') + '\n';
}

function firstSentence(s: string): string {
  const i = s.indexOf('. ');
  return i > 0 ? s.slice(0, i + 1) : s;
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
