/** The media group's latest scaling activity, read once per load of the stack, shown on the group's row. */
import { loadLatestScalingActivity } from '../../aws/clusterApi';
import type { AwsSession } from '../../aws/session';
import type { GroupNode } from './treeNodes';

/** Reads it unless `read` already holds the group's id; `redraw` shows it when it comes. */
export function readScalingActivity(session: AwsSession, node: GroupNode, read: Set<string>, redraw: (node: GroupNode) => void): void {
  const c = node.stackNode.cluster;
  if (!c?.mediaGroup.asgName || read.has(node.id)) return;
  read.add(node.id);
  void loadLatestScalingActivity(session, c.mediaGroup.asgName).then(
    (a) => {
      if (!a) return;
      c.mediaGroup.lastActivity = { description: a.Description ?? '', status: a.StatusCode ?? '', startTime: a.StartTime, cause: a.Cause };
      redraw(node);
    },
    () => undefined, // the group still shows its sizes; the activity is a detail
  );
}
