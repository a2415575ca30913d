/**
 * The settings that decide where AWS calls go and what gets deployed (`openviduHa.profile`, `endpoint`,
 * `templateBaseUrl`: package.json's `capabilities.untrustedWorkspaces.restrictedConfigurations`), read so that an
 * untrusted workspace cannot set them. VS Code documents that it hides workspace values of restricted settings in
 * Restricted Mode, but a browser workbench (code-server 4.139) was seen passing the folder's value through (the UI
 * test test/ui/restricted.test.ts caught it), so the extension enforces the rule itself: while the workspace is not
 * trusted, only the user's (global) value or the default counts.
 */
import * as vscode from 'vscode';
import { SETTINGS_SECTION } from '../../constants';

export const RESTRICTED_SETTINGS = ['profile', 'endpoint', 'templateBaseUrl'] as const;
export type RestrictedSetting = (typeof RESTRICTED_SETTINGS)[number];

export function restrictedSetting<T>(key: RestrictedSetting, fallback: T): T {
  const c = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  if (vscode.workspace.isTrusted) return c.get<T>(key, fallback);
  const i = c.inspect<T>(key);
  return i?.globalValue ?? i?.defaultValue ?? fallback;
}
