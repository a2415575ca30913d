import * as vscode from 'vscode';
import { filterLogEvents, stackLogGroups } from '../../../aws/cloudWatchLogs';
import { type ClusterTreeProvider, stackOrPick, type ExplorerNode } from '../../explorer';
import type { AppContext } from '../../shared/appContext';
import type { LogDocuments } from '../logDocuments';
import { numberSetting } from '../nodeHelpers';
import type { TailManager, TailSession } from '../tailManager';
import { CloudWatchTailPoller, formatEvent } from '../tailPollers';
import { formatTime } from '../../../openvidu/timeFormat';

export type CloudWatchMode = 'open' | 'follow';

/**
 * The stack's CloudWatch log groups (its AWS::Logs::LogGroup resources: in template 3.8.0 only the
 * SubnetProcessor Lambda's): open the newest events, or follow the group like a live tail.
 */
export async function showCloudWatchLogs(
  app: AppContext,
  explorer: ClusterTreeProvider,
  docs: LogDocuments,
  tails: TailManager,
  item?: ExplorerNode,
  mode?: CloudWatchMode,
): Promise<vscode.Uri | TailSession | undefined> {
  const stack = await stackOrPick(explorer, item, 'CloudWatch logs of…');
  if (!stack) return undefined;
  const name = stack.summary.stackName;
  const session = app.session(stack.region);
  try {
    const groups = await stackLogGroups(session, name);
    if (!groups.length) {
      void vscode.window.showInformationMessage(`${name} has no CloudWatch log groups. OpenVidu sends nothing to CloudWatch Logs: its central logs are in the cluster's Grafana / Loki (GRAFANA_URL in the cluster secret), and node logs are read over SSM ("Show Logs…").`);
      return undefined;
    }
    const group =
      groups.length === 1
        ? groups[0]
        : (await vscode.window.showQuickPick(groups.map((g) => ({ label: g.name, description: g.logicalId, g })), { title: `CloudWatch log groups of ${name}` }))?.g;
    if (!group) return undefined;
    const action =
      mode ??
      (
        await vscode.window.showQuickPick(
          [
            { label: '$(go-to-file) Open the newest events', mode: 'open' as const },
            { label: '$(debug-start) Follow (live)', mode: 'follow' as const },
          ],
          { title: group.name, placeHolder: `${group.logicalId} · ${name}` },
        )
      )?.mode;
    if (!action) return undefined;
    const lines = Math.round(numberSetting('logLines', 500, 1, 10_000));
    if (action === 'follow') {
      return await tails.start({
        segments: [name, 'CloudWatch', group.name],
        title: `${group.name} (CloudWatch, ${name})`,
        short: `${group.logicalId || group.name} · CloudWatch`,
        poller: new CloudWatchTailPoller(session, group.name, { maxLines: Math.round(numberSetting('tailMaxLines', 5000, 100, 100_000)), initialLines: Math.min(lines, 500) }),
        intervalMs: Math.round(numberSetting('tailIntervalSeconds', 5, 0.1, 3600) * 1000),
        region: stack.region,
      });
    }
    const { events, complete } = await filterLogEvents(session, group.name, { limit: lines, keep: 'newest' });
    app.output.info(`cloudwatch ${group.name}: ${events.length} events`);
    const header = [
      `# ${name} · CloudWatch log group ${group.name} (${group.logicalId})`,
      `# newest ${events.length} events (at most ${lines}) · read ${formatTime(new Date())}${complete ? '' : ' · the group is larger than what was read: older events left out'}`,
      '',
    ];
    return await docs.show(docs.uri([name, 'CloudWatch', group.name]), `${header.join('\n')}\n${events.map(formatEvent).join('\n')}\n`);
  } catch (e) {
    void vscode.window.showErrorMessage(`CloudWatch logs of ${name} could not be read: ${app.describeError(e, stack.region)}`);
    return undefined;
  }
}
