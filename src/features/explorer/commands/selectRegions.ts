import * as vscode from 'vscode';
import { AWS_REGIONS } from '../../../openvidu/consoleUrls';
import { regionName } from '../../../openvidu/regionNames';
import { listAccountRegions, type AccountRegion } from '../../../aws/regions';
import { SETTINGS_SECTION } from '../../../constants';
import type { AppContext } from '../../shared/appContext';

/**
 * Choose which regions the explorer shows (multi-select; the current ones are checked). The list is the
 * account's (EC2 DescribeRegions, in the partition of the current region, with opt-in regions marked); the
 * built-in list is only a fallback when AWS cannot be asked.
 */
export async function selectRegions(app: AppContext): Promise<void> {
  const current = new Set(await app.regions());
  let known: AccountRegion[];
  let fallback = false;
  try {
    known = await listAccountRegions(app.session([...current][0]));
  } catch (e) {
    app.output.warn(`DescribeRegions failed, offering the built-in region list: ${app.describeError(e)}`);
    known = AWS_REGIONS.map((name) => ({ name, optInStatus: 'opt-in-not-required' }));
    fallback = true;
  }
  const status = new Map(known.map((r) => [r.name, r.optInStatus]));
  const items = [...new Set([...current, ...known.map((r) => r.name)])].map((r) => ({
    label: r,
    picked: current.has(r),
    description: [regionName(r), status.get(r) === 'not-opted-in' ? 'not enabled for this account' : undefined].filter(Boolean).join(' · ') || undefined,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: fallback ? 'OpenVidu HA: regions to show (built-in list: AWS could not be asked)' : 'OpenVidu HA: regions to show',
    canPickMany: true,
    placeHolder: 'Regions (type a code or a name: "ireland", "eu-")',
    matchOnDescription: true,
  });
  if (!picked) return;
  if (!picked.length) {
    void vscode.window.showWarningMessage('Choose at least one region.');
    return;
  }
  await vscode.workspace.getConfiguration(SETTINGS_SECTION).update('regions', picked.map((p) => p.label), vscode.ConfigurationTarget.Global);
}
