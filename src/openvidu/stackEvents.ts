/** Stack events as an operator reads them. Pure. */
import { formatTime, type TimeFormatOptions } from './timeFormat';
export interface StackEventLike {
  Timestamp?: Date;
  LogicalResourceId?: string;
  ResourceType?: string;
  ResourceStatus?: string;
  ResourceStatusReason?: string;
}

/** Oldest first, aligned columns, the reason after the status; times local with their zone. */
export function formatStackEvents(stackName: string, region: string, eventsNewestFirst: StackEventLike[], time: TimeFormatOptions = {}): string {
  const events = [...eventsNewestFirst].reverse();
  const lines = [`# Events of stack ${stackName} (${region}), oldest first — ${events.length} events`, ''];
  const whenWidth = Math.max(1, ...events.map((e) => (e.Timestamp ? formatTime(e.Timestamp, time) : '?').length));
  const idWidth = Math.min(48, Math.max(10, ...events.map((e) => (e.LogicalResourceId ?? '').length)));
  for (const e of events) {
    const when = (e.Timestamp ? formatTime(e.Timestamp, time) : '?').padEnd(whenWidth);
    const status = (e.ResourceStatus ?? '').padEnd(28);
    const reason = e.ResourceStatusReason ? `  ${e.ResourceStatusReason}` : '';
    lines.push(`${when}  ${status} ${(e.LogicalResourceId ?? '').padEnd(idWidth)}  ${e.ResourceType ?? ''}${reason}`);
  }
  const firstFailure = events.find((e) => /FAILED$/.test(e.ResourceStatus ?? '') && e.ResourceStatusReason && !/cancelled|Resource creation cancelled/i.test(e.ResourceStatusReason));
  if (firstFailure) lines.push('', `First failure: ${firstFailure.LogicalResourceId} — ${firstFailure.ResourceStatusReason}`);
  return lines.join('\n') + '\n';
}

/** The first failing event's reason: the headline when a stack fails. */
export function firstFailure(eventsNewestFirst: StackEventLike[]): StackEventLike | undefined {
  return [...eventsNewestFirst].reverse().find((e) => /FAILED$/.test(e.ResourceStatus ?? '') && !!e.ResourceStatusReason && !/cancelled/i.test(e.ResourceStatusReason ?? ''));
}
