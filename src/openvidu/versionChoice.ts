/**
 * The update form's version picker as data: each known template version labelled against the version the stack
 * runs (current, upgrade, downgrade), and the rule that a downgrade needs an explicit confirmation before any
 * change set is created.
 *
 * Pure TypeScript: no `vscode`, no Node built-ins.
 */
import { LATEST } from './spec';

export type VersionRelation = 'keep' | 'current' | 'upgrade' | 'downgrade' | 'latest' | 'unknown';

export interface VersionOption {
  /** '' keeps the stack's current template */
  value: string;
  label: string;
  relation: VersionRelation;
}

const SEMVER = /^(\d+)\.(\d+)\.(\d+)$/;

/** Negative when a < b, positive when a > b, 0 when equal; undefined when either is not x.y.z. */
export function compareVersions(a: string, b: string): number | undefined {
  const x = SEMVER.exec(a);
  const y = SEMVER.exec(b);
  if (!x || !y) return undefined;
  for (let i = 1; i <= 3; i++) {
    const d = Number(x[i]) - Number(y[i]);
    if (d) return d;
  }
  return 0;
}

/** What choosing `target` means for a stack running `current` ('' = keep the current template). */
export function versionRelation(target: string, current: string | undefined): VersionRelation {
  if (target === '') return 'keep';
  if (target === LATEST) return 'latest';
  const c = current ? compareVersions(target, current) : undefined;
  if (c === undefined) return 'unknown';
  return c === 0 ? 'current' : c > 0 ? 'upgrade' : 'downgrade';
}

/** The picker's options: keep first (naming the current version), then every choice labelled against it. */
export function updateVersionOptions(choices: readonly string[], current: string | undefined): VersionOption[] {
  const out: VersionOption[] = [{ value: '', relation: 'keep', label: `Keep the current template${current ? ` (${current})` : ''}` }];
  for (const v of choices) {
    const relation = versionRelation(v, current);
    const label =
      relation === 'latest'
        ? 'Upgrade to the latest published version'
        : relation === 'current'
          ? `${v} (current version: re-apply its published template)`
          : relation === 'upgrade'
            ? `Upgrade to ${v}`
            : relation === 'downgrade'
              ? `Downgrade to ${v}`
              : `Change to ${v}`;
    out.push({ value: v, label, relation });
  }
  return out;
}

/** True when creating a change set for `target` needs the user's explicit confirmation first. */
export function needsDowngradeConfirmation(target: string, current: string | undefined): boolean {
  return versionRelation(target, current) === 'downgrade';
}

/** What a downgrade means, said before the user confirms it. */
export function downgradeWarning(target: string, current: string | undefined): string {
  return (
    `Downgrade from ${current ?? 'the current version'} to ${target}: nodes that CloudFormation replaces install the older OpenVidu, ` +
    `while data written by ${current ?? 'the newer version'} (MongoDB, Redis on the masters) stays and may not be readable by it; ` +
    `parameters added after ${target} are dropped. Prefer a new stack for an older version; confirm below only if you mean it.`
  );
}

/** The error when a downgrade arrives without its confirmation. */
export function downgradeRefusal(target: string, current: string | undefined): string {
  return `${target} is older than the version the stack runs (${current}): confirm the downgrade on the form to create its change set, or choose the current or a newer version.`;
}
