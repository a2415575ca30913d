/**
 * How clusters, nodes and states look in the tree: labels, descriptions, icons, tooltips. Kept apart from the
 * provider so the rules are in one place.
 */
import * as vscode from 'vscode';
import { Cluster, NodeInstance, readiness, stackPhase, StackSummary } from '../../openvidu/cluster';
import type { SsmNodeStatus } from '../../aws/clusterApi';
import { formatIso, formatTime } from '../../openvidu/timeFormat';

const color = (id: string) => new vscode.ThemeColor(id);

export function stackIcon(status: string): vscode.ThemeIcon {
  switch (stackPhase(status)) {
    case 'inProgress':
      return new vscode.ThemeIcon('sync~spin', color('charts.blue'));
    case 'deleting':
      return new vscode.ThemeIcon('loading~spin', color('charts.orange'));
    case 'failed':
      return new vscode.ThemeIcon('error', color('errorForeground'));
    case 'rolledBack':
      return new vscode.ThemeIcon('warning', color('list.warningForeground'));
    case 'deleted':
      return new vscode.ThemeIcon('trash', color('disabledForeground'));
    default:
      return new vscode.ThemeIcon('cloud', color('charts.green'));
  }
}

export function instanceIcon(node: NodeInstance): vscode.ThemeIcon {
  const lifecycle = node.lifecycleState ?? '';
  if (lifecycle.startsWith('Terminating')) return new vscode.ThemeIcon('debug-disconnect', color('charts.orange'));
  switch (node.state) {
    case 'running':
      return new vscode.ThemeIcon('vm-running', color(node.healthStatus === 'Unhealthy' ? 'errorForeground' : 'charts.green'));
    case 'pending':
      return new vscode.ThemeIcon('loading~spin', color('charts.blue'));
    case 'stopping':
    case 'shutting-down':
      return new vscode.ThemeIcon('loading~spin', color('charts.orange'));
    case 'stopped':
      return new vscode.ThemeIcon('vm-outline', color('disabledForeground'));
    case 'terminated':
      return new vscode.ThemeIcon('vm', color('disabledForeground'));
    default:
      return new vscode.ThemeIcon('vm');
  }
}

/**
 * A stack row's description, the words that matter first (the default sidebar width cuts the end): what is
 * happening in plain words, the domain, then CloudFormation's status (also in the tooltip).
 */
export function stackDescription(summary: StackSummary, cluster?: Cluster): string {
  const status = summary.status;
  const parts: string[] = [];
  const phase = stackPhase(status);
  if (phase === 'inProgress' || phase === 'deleting') parts.push(inProgressWords(status));
  else if (phase === 'failed') parts.push('failed');
  else if (phase === 'rolledBack') parts.push('rolled back');
  if (cluster) {
    if (phase === 'complete' && !readiness(cluster).ready) parts.push('not ready yet');
    if (cluster.domainName) parts.push(cluster.domainName);
  }
  parts.push(status);
  return parts.join(' · ');
}

function inProgressWords(status: string): string {
  if (status.includes('ROLLBACK')) return 'rolling back…';
  if (status.startsWith('CREATE')) return 'creating…';
  if (status.startsWith('UPDATE')) return 'updating…';
  if (status.startsWith('DELETE')) return 'deleting…';
  if (status.startsWith('IMPORT')) return 'importing…';
  return 'in progress…';
}

export function stackTooltip(summary: StackSummary, region: string, cluster?: Cluster): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${escape(summary.stackName)}** — OpenVidu HA\n\n`);
  md.appendMarkdown(`| | |\n|---|---|\n`);
  row(md, 'Status', summary.status);
  if (summary.statusReason) row(md, 'Reason', summary.statusReason);
  row(md, 'Region', region);
  if (cluster) {
    if (cluster.domainName) row(md, 'Domain', cluster.domainName);
    if (cluster.templateVersion) row(md, 'Template', cluster.templateVersion);
    row(md, 'Master nodes', String(cluster.masters.length));
    const g = cluster.mediaGroup;
    row(md, 'Media nodes', `${cluster.media.length} (desired ${g.desired ?? '?'}, min ${g.min ?? '?'}, max ${g.max ?? '?'})`);
    const r = readiness(cluster);
    row(md, 'Ready', r.ready ? 'yes' : `no — ${r.reason}`);
    if (cluster.loadBalancerDns) row(md, 'Load balancer', cluster.loadBalancerDns);
  }
  if (summary.createdAt) row(md, 'Created', `${formatTime(summary.createdAt)} (${formatIso(summary.createdAt)})`);
  return md;
}

export function instanceDescription(node: NodeInstance, ssm?: SsmNodeStatus | null): string {
  const parts = [node.lifecycleState && node.role === 'media' ? node.lifecycleState : node.state];
  if (node.availabilityZone) parts.push(node.availabilityZone);
  if (node.privateIp) parts.push(node.privateIp);
  if (ssm === null) parts.push('SSM: not registered');
  else if (ssm && ssm.pingStatus !== 'Online') parts.push(`SSM: ${ssm.pingStatus}`);
  return parts.join(' · ');
}

export function instanceTooltip(node: NodeInstance, ssm?: SsmNodeStatus | null): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${escape(node.name ?? node.instanceId)}**\n\n| | |\n|---|---|\n`);
  row(md, 'Instance', node.instanceId);
  row(md, 'State', node.state);
  if (node.lifecycleState) row(md, 'Auto Scaling', `${node.lifecycleState}${node.lifecycleState === 'Terminating:Wait' ? ' (draining sessions, up to 1 hour)' : ''}`);
  if (node.healthStatus) row(md, 'Health', node.healthStatus);
  if (node.instanceType) row(md, 'Type', node.instanceType);
  if (node.availabilityZone) row(md, 'Zone', node.availabilityZone);
  if (node.privateIp) row(md, 'Private IP', node.privateIp);
  if (node.publicIp) row(md, 'Public IP', node.publicIp);
  if (node.launchTime) row(md, 'Launched', `${formatTime(node.launchTime)} (${formatIso(node.launchTime)})`);
  if (ssm === null) row(md, 'SSM', 'not registered (the instance role lacks AmazonSSMManagedInstanceCore?)');
  else if (ssm) row(md, 'SSM', `${ssm.pingStatus}${ssm.agentVersion ? ` (agent ${ssm.agentVersion})` : ''}`);
  return md;
}

function row(md: vscode.MarkdownString, k: string, v: string): void {
  md.appendMarkdown(`| ${k} | ${escape(v)} |\n`);
}

function escape(s: string): string {
  return s.replace(/[|\\`*_{}[\]<>#]/g, (c) => `\\${c}`);
}
