import * as vscode from 'vscode';
import { TAIL_SCHEME, type TailManager, type TailSession } from '../tailManager';

/**
 * Stops a live tail: the one whose document is given (editor title button, status bar item), the one in the
 * active editor, the only one running, or one picked from the running tails.
 */
export async function stopTail(tails: TailManager, arg?: vscode.Uri | string): Promise<TailSession | undefined> {
  let session = arg ? tails.find(arg) : undefined;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (!session && !arg && active?.scheme === TAIL_SCHEME) session = tails.find(active);
  const running = tails.list();
  if (!session && running.length === 1) session = running[0];
  if (!session && running.length > 1) {
    const picked = await vscode.window.showQuickPick(
      running.map((s) => ({ label: s.options.short, description: `${s.lineRate().toFixed(1)} lines/s`, session: s })),
      { title: 'Stop which live tail?' },
    );
    session = picked?.session;
  }
  if (!session) {
    if (!running.length) void vscode.window.showInformationMessage('No live tail is running.');
    return undefined;
  }
  session.stop();
  return session;
}
