/**
 * The read-only "Stack details" document of a cluster, as Markdown: parameters (NoEcho ones masked, whatever
 * CloudFormation returned), outputs, resources with their status and physical ids (linked to the console
 * where the console has a page for them), tags, template version and drift status. Pure.
 */
import { instanceConsoleUrl, asgConsoleUrl, secretConsoleUrl, stackConsoleUrl } from './consoleUrls';
import { formatTime } from './timeFormat';

export const MASK = '••••••••';

export interface StackDetailsInput {
  stackName: string;
  region: string;
  stackId: string;
  status: string;
  templateVersion?: string;
  description?: string;
  createdAt?: number;
  updatedAt?: number;
  driftStatus?: string;
  driftCheckedAt?: number;
  parameters: { key: string; value: string }[];
  /** parameter keys the template declares NoEcho */
  noEcho: Set<string>;
  outputs: { key: string; value: string; description?: string }[];
  resources: { logicalId: string; type: string; status: string; physicalId?: string; reason?: string; drift?: string }[];
  tags: { key: string; value: string }[];
}

function cell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/([`[\]<>])/g, '\\$1');
}

/** NoEcho parameters (and anything CloudFormation already masked) never show their value. */
export function maskedValue(key: string, value: string, noEcho: Set<string>): string {
  if (noEcho.has(key) || /^\*+$/.test(value)) return MASK;
  return value;
}

export function resourceLink(region: string, type: string, physicalId: string | undefined): string | undefined {
  if (!physicalId) return undefined;
  if (type === 'AWS::EC2::Instance') return instanceConsoleUrl(region, physicalId);
  if (type === 'AWS::AutoScaling::AutoScalingGroup') return asgConsoleUrl(region, physicalId);
  if (type === 'AWS::SecretsManager::Secret') return secretConsoleUrl(region, physicalId.replace(/^arn:[^:]+:secretsmanager:[^:]+:\d+:secret:/, '').replace(/-[A-Za-z0-9]{6}$/, ''));
  return undefined;
}

/** local time with its zone, as everywhere a person reads a time (timeFormat.ts) */
const iso = (t?: number) => (t ? formatTime(t) : '—');

export function renderStackDetails(d: StackDetailsInput): string {
  const out: string[] = [];
  out.push(`# ${cell(d.stackName)} (${d.region})`, '');
  out.push(`- Status: **${d.status}**`);
  out.push(`- OpenVidu template version: ${d.templateVersion ?? 'unknown'}`);
  out.push(`- Created: ${iso(d.createdAt)} · last updated: ${iso(d.updatedAt)}`);
  out.push(`- Drift: ${!d.driftStatus || d.driftStatus === 'NOT_CHECKED' ? 'not checked (run drift detection in the CloudFormation console)' : `${d.driftStatus}${d.driftCheckedAt ? ` (checked ${iso(d.driftCheckedAt)})` : ''}`}`);
  out.push(`- [Open in the CloudFormation console](${stackConsoleUrl(d.region, d.stackId)})`, '');
  out.push(`## Parameters (${d.parameters.length})`, '', '| Parameter | Value |', '|---|---|');
  for (const p of [...d.parameters].sort((a, b) => a.key.localeCompare(b.key))) out.push(`| ${cell(p.key)} | ${cell(maskedValue(p.key, p.value, d.noEcho)) || '_(empty)_'} |`);
  out.push('', `## Outputs (${d.outputs.length})`, '', '| Output | Value | Description |', '|---|---|---|');
  for (const o of d.outputs) out.push(`| ${cell(o.key)} | ${cell(o.value)} | ${cell(o.description ?? '')} |`);
  out.push('', `## Resources (${d.resources.length})`, '', '| Logical id | Type | Status | Physical id | Drift |', '|---|---|---|---|---|');
  for (const r of d.resources) {
    const link = resourceLink(d.region, r.type, r.physicalId);
    const phys = r.physicalId ? (link ? `[${cell(r.physicalId)}](${link})` : cell(r.physicalId)) : '—';
    out.push(`| ${cell(r.logicalId)} | ${cell(r.type)} | ${cell(r.status)}${r.reason ? `: ${cell(r.reason)}` : ''} | ${phys} | ${r.drift && r.drift !== 'NOT_CHECKED' ? r.drift : '—'} |`);
  }
  out.push('', `## Tags (${d.tags.length})`, '');
  if (d.tags.length) {
    out.push('| Key | Value |', '|---|---|');
    for (const t of d.tags) out.push(`| ${cell(t.key)} | ${cell(t.value)} |`);
  } else out.push('_No tags._');
  out.push('');
  return out.join('\n');
}
