/**
 * The update/upgrade change set without VS Code: validates a plan, creates the change set (NoEcho parameters not
 * retyped are kept with UsePreviousValue), waits until CloudFormation has computed it and summarizes it. Used by
 * the palette command (updateDeployment.ts) and by the update form's host side (updateController.ts).
 */
import { createUpdateChangeSet, deployedTemplateSpec, describeChangeSet, type StackParameters } from '../../aws/changeSetApi';
import type { AwsSession } from '../../aws/session';
import { templateVersionOf, VERSION_TAG } from '../../openvidu/cluster';
import { readClusterSecret } from '../../aws/clusterSecret';
import { bundledSpec } from '../../openvidu/bundled-specs';
import { diffParameters, formatChangeSet, summarizeChangeSet, type ChangeSetSummary, type ResourceChangeLike } from '../../openvidu/changeSet';
import { isRequired, templateUrl, type TemplateSpec } from '../../openvidu/template';
import { validateDeployForm } from '../../openvidu/validation';
import { downgradeRefusal, needsDowngradeConfirmation } from '../../openvidu/versionChoice';
import { KEPT_SECRET } from '../../protocol/deployForm';

export interface UpdatePlan {
  /** target template version; undefined = keep the stack's current template */
  version?: string;
  /** parameter changes; NoEcho parameters not listed keep their current value */
  changes: Record<string, string>;
  /** the user explicitly confirmed a version older than the stack's (without it a downgrade is refused) */
  allowDowngrade?: boolean;
}

export interface Proposal {
  changeSetId: string;
  summary: ChangeSetSummary;
  markdown: string;
  /** the change set has no changes (CloudFormation refused it) */
  empty: boolean;
  fromVersion?: string;
  toVersion?: string;
}

export interface UpdateTarget {
  session: AwsSession;
  stackName: string;
  region: string;
  /** the version the explorer read from the stack, when the tag is absent */
  clusterVersion?: string;
}

/** The version the stack runs: our tag, else what the explorer read. */
export function currentVersion(current: StackParameters, clusterVersion?: string): string | undefined {
  return current.tags[VERSION_TAG] ?? clusterVersion;
}

const SEMVER = /^\d+\.\d+\.\d+$/;

/**
 * The version the stack runs, looked up further when neither our tag nor the explorer knows it (a stack created
 * in the console): the OPENVIDU_VERSION the masters wrote to the cluster's secret, then a version in the
 * deployed template's description. Undefined when none says. The secret's other values are not kept.
 */
export async function resolveCurrentVersion(target: UpdateTarget, current: StackParameters): Promise<string | undefined> {
  const known = currentVersion(current, target.clusterVersion);
  if (known) return known;
  const fromSecret = await readClusterSecret(target.session, target.stackName)
    .then((s) => s.values.OPENVIDU_VERSION)
    .catch(() => undefined);
  if (fromSecret && SEMVER.test(fromSecret)) return fromSecret;
  const spec = await deployedTemplateSpec(target.session, target.stackName).catch(() => undefined);
  const v = spec?.version ?? templateVersionOf(spec?.description);
  return v && SEMVER.test(v) ? v : undefined;
}

/** The spec of the template the change set will use. */
export async function targetSpec(target: UpdateTarget, current: StackParameters, version?: string): Promise<TemplateSpec | undefined> {
  if (version) return bundledSpec(version);
  const from = currentVersion(current, target.clusterVersion);
  return (await deployedTemplateSpec(target.session, target.stackName).catch(() => undefined)) ?? (from ? bundledSpec(from) : undefined);
}

/** Errors of a plan (current values, NoEcho kept, overlaid with the changes), StackName excluded. */
export function planErrors(spec: TemplateSpec, target: { stackName: string; region: string }, current: StackParameters, plan: UpdatePlan): string[] {
  const values: Record<string, string> = { ...current.values, ...plan.changes, StackName: target.stackName };
  for (const k of current.noEcho) if (!(k in plan.changes)) values[k] = KEPT_SECRET;
  return validateDeployForm(spec, values, { region: target.region })
    .filter((i) => i.severity === 'error' && i.field !== 'StackName')
    .map((e) => e.message);
}

/** Builds the change set for a plan (validated first) and waits until CloudFormation has computed it. */
export async function buildChangeSet(
  target: UpdateTarget,
  current: StackParameters,
  plan: UpdatePlan,
  options: { templateBaseUrl?: string; pollMs?: number; spec?: TemplateSpec } = {},
): Promise<Proposal> {
  const name = target.stackName;
  const fromVersion = plan.version ? await resolveCurrentVersion(target, current) : currentVersion(current, target.clusterVersion);
  // A downgrade is never created by accident: refused before anything is asked of CloudFormation.
  if (plan.version && needsDowngradeConfirmation(plan.version, fromVersion) && !plan.allowDowngrade) throw new Error(downgradeRefusal(plan.version, fromVersion));
  const spec = options.spec ?? (await targetSpec(target, current, plan.version));
  const parameters: Record<string, string | undefined> = {};
  const keys = spec ? spec.parameters.map((p) => p.key) : Object.keys(current.values);
  for (const key of keys) {
    if (key in plan.changes) parameters[key] = plan.changes[key];
    else if (key in current.values) parameters[key] = undefined; // UsePreviousValue
    else {
      const p = spec?.parameters.find((x) => x.key === key);
      if (p && isRequired(p)) throw new Error(`${key} is new in template ${plan.version} and has no default: give it a value.`);
    }
  }
  if (spec) {
    const errors = planErrors(spec, target, current, plan);
    if (errors.length) throw new Error(errors.join(' '));
  }
  const changeSetId = await createUpdateChangeSet(target.session, {
    stackName: name,
    templateUrl: plan.version ? templateUrl(plan.version, options.templateBaseUrl) : undefined,
    parameters,
    tags: plan.version ? { ...current.tags, [VERSION_TAG]: plan.version } : undefined,
  });
  let state = await describeChangeSet(target.session, name, changeSetId);
  while (state.status !== 'CREATE_COMPLETE' && state.status !== 'FAILED') {
    await new Promise((r) => setTimeout(r, options.pollMs ?? 2000));
    state = await describeChangeSet(target.session, name, changeSetId);
  }
  const diffs = diffParameters(current.values, plan.changes, current.noEcho);
  const summary = summarizeChangeSet(state.changes.map((c) => (c.ResourceChange ?? {}) as ResourceChangeLike), diffs);
  const empty = state.status === 'FAILED' && /didn't contain changes|No updates/i.test(state.statusReason ?? '');
  if (state.status === 'FAILED' && !empty) throw new Error(`CloudFormation could not create the change set: ${state.statusReason}`);
  const toVersion = plan.version ?? fromVersion;
  return { changeSetId, summary, markdown: formatChangeSet(name, fromVersion, toVersion, summary), empty, fromVersion, toVersion };
}
