/**
 * What an update will do, read from a CloudFormation change set: every resource with its action, the
 * replacements (loudly: replacing master nodes loses their data and causes downtime), the conditional
 * replacements, and the parameter differences. Pure.
 */

export interface ResourceChangeLike {
  Action?: string;
  LogicalResourceId?: string;
  PhysicalResourceId?: string;
  ResourceType?: string;
  Replacement?: string;
  Scope?: string[];
  Details?: { Target?: { Attribute?: string; Name?: string; RequiresRecreation?: string }; CausingEntity?: string; ChangeSource?: string }[];
}

export interface ParameterDiff {
  key: string;
  from: string;
  to: string;
  noEcho: boolean;
}

export interface ChangeSetSummary {
  replacements: ResourceChangeLike[];
  conditional: ResourceChangeLike[];
  others: ResourceChangeLike[];
  /** a master node (EC2 instance OpenViduMasterNodeN) will or may be replaced */
  mastersReplaced: boolean;
  parameterDiffs: ParameterDiff[];
}

const MASTER = /^OpenViduMasterNode\d$/;

export function summarizeChangeSet(changes: ResourceChangeLike[], parameterDiffs: ParameterDiff[]): ChangeSetSummary {
  const replacements = changes.filter((c) => c.Replacement === 'True' || c.Action === 'Remove');
  const conditional = changes.filter((c) => c.Replacement === 'Conditional' && c.Action !== 'Remove');
  const others = changes.filter((c) => !replacements.includes(c) && !conditional.includes(c));
  const mastersReplaced = [...replacements, ...conditional].some((c) => MASTER.test(c.LogicalResourceId ?? ''));
  return { replacements, conditional, others, mastersReplaced, parameterDiffs };
}

/** Differences between the stack's parameters and the proposed ones; NoEcho values are never shown. */
export function diffParameters(current: Record<string, string>, proposed: Record<string, string | undefined>, noEchoKeys: ReadonlySet<string>): ParameterDiff[] {
  const out: ParameterDiff[] = [];
  for (const [key, to] of Object.entries(proposed)) {
    if (to === undefined) continue; // keep the current value
    const from = current[key] ?? '';
    const noEcho = noEchoKeys.has(key);
    if (noEcho) out.push({ key, from: '****', to: '**** (new value)', noEcho });
    else if (from !== to) out.push({ key, from, to, noEcho });
  }
  return out;
}

function why(c: ResourceChangeLike): string {
  const names = [...new Set((c.Details ?? []).map((d) => d.Target?.Name ?? d.CausingEntity).filter(Boolean))];
  return names.length ? ` (because of ${names.join(', ')})` : '';
}

export function formatChangeSet(stackName: string, fromVersion: string | undefined, toVersion: string | undefined, s: ChangeSetSummary): string {
  const lines = [`# Change set for ${stackName}${toVersion && toVersion !== fromVersion ? ` — upgrade ${fromVersion ?? '?'} → ${toVersion}` : ''}`, ''];
  if (s.mastersReplaced) {
    lines.push(
      '> ⚠ **MASTER NODES WILL BE REPLACED.** Replacing a master node destroys its disk (MongoDB, Redis, MinIO cache, observability data) and causes downtime while the new node installs OpenVidu. Consider redeploying a new stack instead, or discard this change set.',
      '',
    );
  }
  lines.push(`**${s.replacements.length}** replacement(s), **${s.conditional.length}** conditional replacement(s), **${s.others.length}** other change(s).`, '');
  if (s.parameterDiffs.length) {
    lines.push('## Parameters', '', '| parameter | now | after |', '|---|---|---|');
    for (const d of s.parameterDiffs) lines.push(`| ${d.key} | ${cell(d.from)} | ${cell(d.to)} |`);
    lines.push('');
  }
  const section = (title: string, list: ResourceChangeLike[]) => {
    if (!list.length) return;
    lines.push(`## ${title}`, '');
    for (const c of list) lines.push(`- **${c.Action}** ${c.LogicalResourceId} (${c.ResourceType})${c.PhysicalResourceId ? ` \`${c.PhysicalResourceId}\`` : ''}${why(c)}`);
    lines.push('');
  };
  section('⚠ Replaced or removed', s.replacements);
  section('May be replaced (conditional)', s.conditional);
  section('Other changes', s.others);
  if (!s.replacements.length && !s.conditional.length && !s.others.length) lines.push('No resource changes.');
  return lines.join('\n') + '\n';
}

function cell(s: string): string {
  return (s || '(empty)').replace(/\|/g, '\\|');
}
