/** The media-group row's "CPU 42% · target 50%": current average CPU of the group against ScaleTargetCPU. */
import type { GroupNode, StackNode } from '../explorer';
import { cpuAgainstTarget, latest, scaleTarget } from '../../openvidu/load';
import { stackPhase } from '../../openvidu/cluster';
import type { DashboardFeature } from './feature';

/** Annotates the media group of a ready stack (the explorer calls it when it lists the stack's rows). */
export function annotateMediaGroup(feature: DashboardFeature, stack: StackNode, groups: GroupNode[]): void {
  const media = groups.find((g) => g.role === 'media');
  const c = stack.cluster;
  if (!media || !c?.mediaGroup.asgName || stackPhase(c.stack.status) !== 'complete') return;
  const target = scaleTarget(c.parameters);
  void feature.load(stack).then((entry) => {
    const note = entry.error ? 'CPU unavailable' : cpuAgainstTarget(latest(entry.load?.groupCpu)?.value, target);
    if (media.loadNote === note) return;
    media.loadNote = note;
    feature.explorer.redraw(media);
  });
}
