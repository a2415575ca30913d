/**
 * "Compare Configuration Across Masters": OpenVidu does not document how the four masters keep their copies of
 * /opt/openvidu/config/cluster in step, so this shows it: the sha256 of every cluster file on every reachable master
 * (one SendCommand for all), and the files that differ or are missing somewhere.
 */
import * as vscode from 'vscode';
import type { ClusterTreeProvider, ExplorerNode } from '../../explorer';
import { checkReachability } from '../../operations';
import type { AppContext } from '../../shared/appContext';
import type { ConfigDocuments } from '../configDocuments';
import { clusterHashes } from '../remoteConfig';
import { masterLabel } from '../targets';
import { stackOf } from './stackOf';

export interface DriftResult {
  compared: string[];
  unreachable: string[];
  /** path → instance id → hash (undefined: missing there) */
  differing: Map<string, Map<string, string | undefined>>;
  files: number;
}

export async function compareMasterConfiguration(app: AppContext, explorer: ClusterTreeProvider, docs: ConfigDocuments, item?: ExplorerNode): Promise<DriftResult | undefined> {
  const stack = await stackOf(explorer, item, 'Compare Configuration Across Masters');
  if (!stack) return undefined;
  await explorer.getChildren(stack);
  const masters = [...(stack.cluster?.masters ?? [])].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  const { reachable, unreachable } = await checkReachability(app, stack.region, masters);
  if (reachable.length < 2) {
    void vscode.window.showWarningMessage(`${stack.summary.stackName}: ${reachable.length} master(s) can be reached over SSM; at least 2 are needed to compare. ${[...unreachable.values()][0] ?? ''}`);
    return undefined;
  }
  const hashes = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Comparing the configuration of ${reachable.length} masters` }, () =>
    clusterHashes(app.session(stack.region), reachable.map((m) => m.instanceId)),
  );
  const ok = reachable.filter((m) => hashes.get(m.instanceId) instanceof Map);
  const paths = new Set<string>();
  for (const m of ok) for (const p of (hashes.get(m.instanceId) as Map<string, string>).keys()) paths.add(p);
  const differing = new Map<string, Map<string, string | undefined>>();
  for (const p of [...paths].sort()) {
    const row = new Map(ok.map((m) => [m.instanceId, (hashes.get(m.instanceId) as Map<string, string>).get(p)]));
    if (new Set(row.values()).size > 1) differing.set(p, row);
  }
  const failed = reachable.filter((m) => !(hashes.get(m.instanceId) instanceof Map));
  const lines = [
    `# Configuration drift: ${stack.summary.stackName}`,
    '',
    `Compared /opt/openvidu/config/cluster on ${ok.map(masterLabel).join(', ')} (${paths.size} files, sha256).`,
    '',
    'OpenVidu does not document how the masters keep these files in step: this compares them rather than assume it.',
    '',
  ];
  if (!differing.size) lines.push('**No difference:** every cluster file is identical on the compared masters.');
  else {
    lines.push(`**${differing.size} file(s) differ:**`, '', `| file | ${ok.map((m) => `Master ${m.index}`).join(' | ')} |`, `|---|${ok.map(() => '---').join('|')}|`);
    for (const [p, row] of differing) lines.push(`| ${p} | ${ok.map((m) => (row.get(m.instanceId) ? `\`${row.get(m.instanceId)?.slice(0, 10)}\`` : 'missing')).join(' | ')} |`);
  }
  for (const m of failed) lines.push('', `${masterLabel(m)}: could not be compared (${String(hashes.get(m.instanceId))}).`);
  for (const [id, why] of unreachable) lines.push('', `${masterLabel(masters.find((m) => m.instanceId === id) ?? { instanceId: id, role: 'master', state: '?' })}: not compared. ${why}`);
  const uri = docs.put('report', `${stack.summary.stackName}-drift.md`, lines.join('\n'));
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
  const msg = differing.size
    ? `${stack.summary.stackName}: ${differing.size} configuration file(s) differ between masters: ${[...differing.keys()].slice(0, 3).join(', ')}${differing.size > 3 ? '…' : ''}`
    : `${stack.summary.stackName}: the cluster configuration is identical on ${ok.length} masters.`;
  if (differing.size) void vscode.window.showWarningMessage(msg);
  else void vscode.window.showInformationMessage(msg);
  return { compared: ok.map((m) => m.instanceId), unreachable: [...unreachable.keys(), ...failed.map((m) => m.instanceId)], differing, files: paths.size };
}
