import * as vscode from 'vscode';
import { listProfiles } from '../../../aws/session';
import { SETTINGS_SECTION } from '../../../constants';
import type { AppContext } from '../../shared/appContext';

const DEFAULT_CHAIN = '$(key) Default credential chain';

/** Pick the AWS profile (from ~/.aws/config and ~/.aws/credentials) the explorer uses. */
export async function selectProfile(app: AppContext): Promise<void> {
  const current = app.settings().profile;
  const profiles = await listProfiles();
  const items: vscode.QuickPickItem[] = [
    { label: DEFAULT_CHAIN, description: current ? undefined : 'current', detail: 'Environment variables, AWS_PROFILE, the default profile, SSO, instance role' },
    ...profiles.map((p) => ({ label: p, description: p === current ? 'current' : undefined })),
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: 'OpenVidu HA: AWS profile',
    placeHolder: profiles.length ? 'Choose the profile to use' : 'No profiles in ~/.aws/config: run `aws configure` or `aws configure sso` first',
  });
  if (!picked) return;
  const value = picked.label === DEFAULT_CHAIN ? '' : picked.label;
  await vscode.workspace.getConfiguration(SETTINGS_SECTION).update('profile', value, vscode.ConfigurationTarget.Global);
}
