/**
 * Copies text to the clipboard and, when `openviduHa.clearClipboardAfterSeconds` is above 0, clears it after
 * that many seconds if it still holds what we copied (a user who copied something else keeps it).
 */
import * as vscode from 'vscode';
import { SETTINGS_SECTION } from '../../constants';

export const CLEAR_CLIPBOARD_SETTING = 'clearClipboardAfterSeconds';

export function clearClipboardAfterSeconds(): number {
  const n = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<number>(CLEAR_CLIPBOARD_SETTING, 0);
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.min(n, 24 * 3600) : 0;
}

export class ClipboardGuard implements vscode.Disposable {
  private timer?: ReturnType<typeof setTimeout>;
  private pending?: string;

  /** Copies `text`; returns the number of seconds after which it will be cleared (0 = never). */
  async copy(text: string, clearAfterSeconds = clearClipboardAfterSeconds()): Promise<number> {
    await vscode.env.clipboard.writeText(text);
    this.cancel();
    if (clearAfterSeconds > 0) {
      this.pending = text;
      this.timer = setTimeout(() => void this.clearIfUnchanged(), clearAfterSeconds * 1000);
      this.timer.unref?.();
    }
    return clearAfterSeconds;
  }

  /** Clears the clipboard now if it still holds the last copied secret. */
  async clearIfUnchanged(): Promise<boolean> {
    const expected = this.pending;
    this.cancel();
    if (expected === undefined) return false;
    try {
      if ((await vscode.env.clipboard.readText()) !== expected) return false;
      await vscode.env.clipboard.writeText('');
      return true;
    } catch {
      return false;
    }
  }

  private cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
  }

  dispose(): void {
    // Leaving VS Code with a secret scheduled for clearing: clear it now (best effort).
    if (this.pending !== undefined) void this.clearIfUnchanged();
    else this.cancel();
  }
}

/** "…; the clipboard will be cleared in 30 s" suffix for notifications. */
export function clearNotice(seconds: number): string {
  return seconds > 0 ? ` The clipboard will be cleared in ${seconds} s.` : '';
}
