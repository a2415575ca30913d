/**
 * The typed RPC client of the deploy/update webview: `request()` sends one message of src/protocol/deployForm.ts
 * with a fresh `requestId` and resolves with the host's reply carrying the same id. Pushes from the host
 * (`progress`) carry no id and go to the handler set with `onProgressPush`.
 */
import type { EventRow, HostMessage, ProgressModel, WebviewMessage } from '../../src/protocol/deployForm';
import { vscode } from './vscodeApi';

let nextId = 0;
const pending = new Map<string, (m: HostMessage) => void>();
/** Every webview message that expects a reply, without its `requestId` (added here). */
export type Request = WebviewMessage extends infer M ? (M extends { requestId: string } ? Omit<M, 'requestId'> : never) : never;

let progressHandler: (p: ProgressModel, events: EventRow[]) => void = () => undefined;

export function onProgressPush(handler: (p: ProgressModel, events: EventRow[]) => void): void {
  progressHandler = handler;
}

export function request(message: Request): Promise<HostMessage> {
  const requestId = `w${++nextId}`;
  return new Promise((resolve) => {
    pending.set(requestId, resolve);
    vscode.postMessage({ ...message, requestId });
  });
}

window.addEventListener('message', (e: MessageEvent) => {
  const m = e.data as HostMessage;
  if (!m || typeof m !== 'object' || typeof m.type !== 'string') return;
  if (m.type === 'progress') {
    progressHandler(m.progress, m.events);
    return;
  }
  const resolve = pending.get(m.requestId);
  if (resolve) {
    pending.delete(m.requestId);
    resolve(m);
  }
});
