import * as vscode from 'vscode';
import { loadStackEvents } from '../../../aws/clusterApi';
import { deleteChangeSet, deployedTemplateSpec, executeChangeSet, readStackParameters, StackParameters } from '../../../aws/changeSetApi';
import { stackStatus } from '../../../aws/lifecycleApi';
import { bundledSpec } from '../../../openvidu/bundled-specs';
import { parameterLabel, TemplateSpec, VERSION_CHOICES } from '../../../openvidu/template';
import { validateField } from '../../../openvidu/validation';
import { firstFailure } from '../../../openvidu/stackEvents';
import type { ClusterTreeProvider, ExplorerNode, StackNode } from '../../explorer';
import type { AppContext } from '../../shared/appContext';
import { templateBaseUrl } from '../../shared/templateBaseUrl';
import type { ReportDocuments } from '../../operations';
import { Cancelled, LifecycleOptions, lifecycleTarget, reportIfStackGone, waitFor } from '../common';
import { buildChangeSet, type Proposal, type UpdatePlan } from '../updateCore';
import { VERSION_TAG } from '../../../openvidu/cluster';
import { downgradeWarning, needsDowngradeConfirmation, updateVersionOptions } from '../../../openvidu/versionChoice';
import { liveTrafficNote } from '../../rooms';

export type { Proposal, UpdatePlan };

export type UpdateOutcome = { status: 'discarded' | 'noChanges' | 'cancelled' } | { status: 'updated' } | { status: 'rolledBack' | 'failed'; reason: string };

function templateBase(): string {
  return templateBaseUrl();
}

/**
 * Opens the update form (updatePanel.ts) for a stack; returns false when the form cannot be shown, so the command
 * falls back to quick picks. Passed by lifecycle/index.ts; tests that script the flow pass none.
 */
export type UpdateFormOpener = (stack: StackNode, current: StackParameters) => Promise<boolean>;

/** Builds the change set for a plan (validated first) and waits until CloudFormation has computed it. */
export function proposeUpdate(app: AppContext, stack: StackNode, current: StackParameters, plan: UpdatePlan, options: LifecycleOptions = {}): Promise<Proposal> {
  return buildChangeSet(
    { session: app.session(stack.region), stackName: stack.summary.stackName, region: stack.region, clusterVersion: stack.cluster?.templateVersion },
    current,
    plan,
    { templateBaseUrl: templateBase(), pollMs: options.pollMs },
  );
}

/** Executes a reviewed change set and follows the update to its end; on rollback says why. */
export async function executeUpdate(app: AppContext, explorer: ClusterTreeProvider, stack: StackNode, changeSetId: string, options: LifecycleOptions = {}): Promise<UpdateOutcome> {
  const session = app.session(stack.region);
  const name = stack.summary.stackName;
  const started = new Date();
  await executeChangeSet(session, name, changeSetId);
  explorer.refresh(stack);
  try {
    const final = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Updating ${name}`, cancellable: true }, (progress, token) =>
      waitFor(
        async () => {
          const s = await stackStatus(session, name);
          progress.report({ message: s.status });
          return s.status.endsWith('_IN_PROGRESS') ? undefined : s;
        },
        token,
        options.pollMs ?? 10_000,
      ),
    );
    explorer.refresh(stack);
    if (final.status === 'UPDATE_COMPLETE') return { status: 'updated' };
    const events = (await loadStackEvents(session, name).catch(() => [])).filter((e) => !e.Timestamp || e.Timestamp >= started);
    const failure = firstFailure(events);
    const reason = failure ? `${failure.LogicalResourceId}: ${failure.ResourceStatusReason}` : (final.reason ?? final.status);
    return { status: final.status.startsWith('UPDATE_ROLLBACK') ? 'rolledBack' : 'failed', reason };
  } catch (e) {
    if (e instanceof Cancelled) return { status: 'cancelled' };
    throw e;
  }
}

/**
 * Update parameters or upgrade the OpenVidu version through a change set: nothing changes before the change set
 * (every replacement, loudly the masters', and every parameter difference) has been reviewed and executed.
 */
export async function updateDeployment(
  app: AppContext,
  explorer: ClusterTreeProvider,
  reports: ReportDocuments,
  node?: ExplorerNode,
  scripted?: UpdatePlan & { decision?: 'execute' | 'discard' } & LifecycleOptions,
  openUpdateForm?: UpdateFormOpener,
): Promise<UpdateOutcome | undefined> {
  const stack = await lifecycleTarget(explorer, node, 'update');
  if (!stack) return undefined;
  const name = stack.summary.stackName;
  const session = app.session(stack.region);
  let current: StackParameters;
  try {
    current = await readStackParameters(session, name);
  } catch (e) {
    if (await reportIfStackGone(app, explorer, stack, 'updating it')) return undefined;
    void vscode.window.showErrorMessage(app.describeError(e, stack.region));
    return undefined;
  }
  if (!scripted && openUpdateForm) {
    try {
      if (await openUpdateForm(stack, current)) return undefined;
    } catch (e) {
      app.output.warn(`[update] the update form could not be shown, asking through quick picks: ${(e as Error).message}`);
    }
  }
  const plan = scripted ?? (await askPlan(stack, current, () => deployedTemplateSpec(session, name).catch(() => undefined)));
  if (!plan) return undefined;
  let proposal: Proposal;
  try {
    proposal = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Preparing the change set for ${name}…` }, () =>
      proposeUpdate(app, stack, current, plan, scripted),
    );
  } catch (e) {
    if (await reportIfStackGone(app, explorer, stack, 'updating it')) return undefined;
    void vscode.window.showErrorMessage(`Not updated: ${e instanceof Error && !('$metadata' in e) ? e.message : app.describeError(e, stack.region)}`);
    return undefined;
  }
  if (proposal.empty) {
    await deleteChangeSet(session, name, proposal.changeSetId).catch(() => undefined);
    void vscode.window.showInformationMessage(`${name}: nothing to change (the change set has no changes).`);
    return { status: 'noChanges' };
  }
  await reports.show(`${name}-change-set`, proposal.markdown, { rendered: true });
  const s = proposal.summary;
  const decision =
    scripted?.decision ??
    ((await vscode.window.showWarningMessage(
      s.mastersReplaced ? `⚠ This update REPLACES MASTER NODES of ${name}.` : `Execute the change set on ${name}?`,
      {
        modal: true,
        detail: s.mastersReplaced
          ? `Replacing a master node destroys its disk (MongoDB, Redis, MinIO cache, observability data) and causes downtime. Review the change set document before you execute.${s.replacements.length ? ` ${await liveTrafficNote(stack)}`.trimEnd() : ''}`
          : `${s.replacements.length} replacement(s), ${s.conditional.length} conditional, ${s.others.length} other change(s). The change set is open for review.${s.replacements.length ? ` ${await liveTrafficNote(stack)}`.trimEnd() : ''}`,
      },
      'Execute',
      'Discard',
    )) === 'Execute'
      ? 'execute'
      : 'discard');
  if (decision !== 'execute') {
    await deleteChangeSet(session, name, proposal.changeSetId).catch(() => undefined);
    void vscode.window.showInformationMessage(`Discarded the change set: ${name} is unchanged.`);
    return { status: 'discarded' };
  }
  let outcome: UpdateOutcome;
  try {
    outcome = await executeUpdate(app, explorer, stack, proposal.changeSetId, scripted);
  } catch (e) {
    if (await reportIfStackGone(app, explorer, stack, 'updating it')) return undefined;
    void vscode.window.showErrorMessage(`Updating ${name} failed: ${app.describeError(e, stack.region)}`);
    return undefined;
  }
  if (outcome.status === 'updated') void vscode.window.showInformationMessage(`${name} is updated.`);
  else if (outcome.status === 'rolledBack' || outcome.status === 'failed') void vscode.window.showErrorMessage(`The update of ${name} ${outcome.status === 'rolledBack' ? 'was rolled back' : 'failed'}: ${outcome.reason}`);
  return outcome;
}

/** Palette/tree flow: pick a version, then change parameters one by one, validated as typed. */
async function askPlan(stack: StackNode, current: StackParameters, deployedSpec: () => Promise<TemplateSpec | undefined>): Promise<UpdatePlan | undefined> {
  const fromVersion = current.tags[VERSION_TAG] ?? stack.cluster?.templateVersion;
  const versionPick = await vscode.window.showQuickPick(
    updateVersionOptions(VERSION_CHOICES, fromVersion).map((o) => ({
      label: o.relation === 'downgrade' ? `$(warning) ${o.label}` : o.label,
      description: o.relation === 'current' ? 'current' : undefined,
      version: o.value || undefined,
    })),
    { title: `Update ${stack.summary.stackName}: template${fromVersion ? ` (now ${fromVersion})` : ''}`, placeHolder: 'Template version' },
  );
  if (!versionPick) return undefined;
  let allowDowngrade = false;
  if (versionPick.version && needsDowngradeConfirmation(versionPick.version, fromVersion)) {
    const ok = await vscode.window.showWarningMessage(`Downgrade ${stack.summary.stackName}?`, { modal: true, detail: downgradeWarning(versionPick.version, fromVersion) }, 'Downgrade');
    if (ok !== 'Downgrade') return undefined;
    allowDowngrade = true;
  }
  const spec: TemplateSpec | undefined = versionPick.version ? bundledSpec(versionPick.version) : ((await deployedSpec()) ?? bundledSpec(fromVersion ?? 'latest'));
  if (!spec) return undefined;
  const changes: Record<string, string> = {};
  const DONE = '$(check) Create the change set';
  for (;;) {
    const items = [
      { label: DONE, key: '' },
      ...spec.parameters.map((p) => {
        const now = p.key in changes ? (p.noEcho ? '**** (new)' : changes[p.key]) : p.key in current.values ? current.values[p.key] : `(new: ${p.default ?? 'required'})`;
        return { label: parameterLabel(p), description: now || '(empty)', detail: p.key in changes ? 'changed' : undefined, key: p.key };
      }),
    ];
    const pick = await vscode.window.showQuickPick(items, { title: `Update ${stack.summary.stackName}: parameters (NoEcho values keep their current value unless retyped)`, matchOnDescription: true });
    if (!pick) return undefined;
    if (pick.label === DONE) return { version: versionPick.version, changes, ...(allowDowngrade ? { allowDowngrade } : {}) };
    const p = spec.parameters.find((x) => x.key === pick.key)!;
    const values = { ...current.values, ...changes, StackName: stack.summary.stackName };
    let value: string | undefined;
    if (p.allowedValues?.length) {
      value = (await vscode.window.showQuickPick(p.allowedValues, { title: parameterLabel(p), placeHolder: p.description }))?.valueOf();
    } else {
      value = await vscode.window.showInputBox({
        title: parameterLabel(p),
        prompt: p.description,
        password: p.noEcho,
        value: p.noEcho ? '' : (changes[p.key] ?? current.values[p.key] ?? p.default ?? ''),
        validateInput: (v) =>
          validateField(spec, p.key, v, values)
            .filter((i) => i.severity === 'error')
            .map((i) => i.message)
            .join(' ') || undefined,
      });
    }
    if (value !== undefined) changes[p.key] = value;
  }
}
