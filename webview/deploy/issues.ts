/**
 * Validation display: the same checks the host runs before CreateStack (validateDeployForm, validateStackTags),
 * run as the user types, plus the host's last answer for what only AWS can tell; issues go under their fields
 * (once touched), unplaced ones above the form, and a count in the footer.
 */
import { STACK_NAME_FIELD, validateDeployForm } from '../../src/openvidu/validation';
import type { Issue } from '../../src/openvidu/validation';
import { TAGS_FIELD, validateStackTags } from '../../src/openvidu/stackTags';
import { factsToContext } from '../../src/protocol/deployForm';
import { displayText } from '../../src/openvidu/displayText';
import { parameterLabel } from '../../src/openvidu/spec';
import { needsDowngradeConfirmation } from '../../src/openvidu/versionChoice';
import { append, clear, h, icon } from './dom';
import { issueText } from './fieldText';
import { app, formValues, st, VERSION_FIELD } from './state';

export function currentIssues(): Issue[] {
  if (!st.spec) return [];
  const local = validateDeployForm(st.spec, formValues(), st.facts ? factsToContext(st.facts) : { region: st.draft.region }).filter((i) => !st.update || i.field !== STACK_NAME_FIELD);
  if (!st.update) local.push(...validateStackTags(st.draft.tags ?? []));
  if (st.update && needsDowngradeConfirmation(st.updateVersion, st.update.currentVersion) && !st.downgradeConfirmed) {
    local.push({ field: VERSION_FIELD, severity: 'error', message: `Tick the confirmation to downgrade to ${st.updateVersion}, or choose the current or a newer version.` });
  }
  // Issues from the host's last check that the local check cannot see (AWS problems) stay until the next check.
  const localKeys = new Set(local.map((i) => `${i.field}|${i.message}`));
  return [...local, ...st.serverIssues.filter((i) => !localKeys.has(`${i.field}|${i.message}`) && !st.spec!.parameters.some((p) => p.key === i.field) && i.field !== STACK_NAME_FIELD && i.field !== TAGS_FIELD)];
}

/** Field labels by parameter key (as the form shows them), for issue messages. */
export function fieldLabels(): Map<string, string> {
  const labels = new Map<string, string>([[STACK_NAME_FIELD, 'Stack name']]);
  for (const p of st.spec?.parameters ?? []) labels.set(p.key, displayText(parameterLabel(p)));
  return labels;
}

export function issueLine(i: Issue, ownKey?: string): HTMLElement {
  return h('div', { class: `issue ${i.severity}` }, icon(i.severity === 'error' ? 'error' : 'warning'), ' ', issueText(i.message, fieldLabels(), ownKey));
}

export function updateIssues(showAll = false): Issue[] {
  const issues = currentIssues();
  if (showAll) for (const i of issues) st.touched.add(i.field);
  const byField = new Map<string, Issue[]>();
  for (const i of issues) byField.set(i.field, [...(byField.get(i.field) ?? []), i]);
  for (const slot of Array.from(app.querySelectorAll<HTMLElement>('[data-issues-for]'))) {
    const key = slot.dataset.issuesFor!;
    const list = st.touched.has(key) ? byField.get(key) ?? [] : [];
    clear(slot);
    for (const i of list) append(slot, issueLine(i, key));
    const control = app.querySelector<HTMLElement>(`[data-control-for="${CSS.escape(key)}"]`);
    if (control) (control as unknown as { invalid: boolean }).invalid = list.some((i) => i.severity === 'error');
  }
  const general = app.querySelector<HTMLElement>('#general-issues');
  if (general) {
    clear(general);
    const known = new Set([STACK_NAME_FIELD, TAGS_FIELD, ...(st.spec?.parameters.map((p) => p.key) ?? [])]);
    for (const i of issues.filter((x) => !known.has(x.field) && !(st.update && x.field === VERSION_FIELD))) append(general, issueLine(i));
  }
  const summary = app.querySelector<HTMLElement>('#issue-summary');
  if (summary) {
    const errors = issues.filter((i) => i.severity === 'error').length;
    const warnings = issues.length - errors;
    summary.textContent = errors || warnings ? `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}` : 'No problems found';
    summary.className = errors ? 'summary error' : warnings ? 'summary warning' : 'summary ok';
  }
  return issues;
}

export function renderFormStatus(): void {
  const el = app.querySelector<HTMLElement>('#facts-status');
  if (el) el.textContent = st.factsLoading ? `Reading ${st.draft.region}…` : st.facts?.problems.length ? st.facts.problems.join(' ') : '';
}

/** A new page (review, progress) starts at its top, not where the previous one was scrolled to. */
export function toTop(): void {
  window.scrollTo(0, 0);
}

export function focusFirstIssue(issues: Issue[]): void {
  const first = issues.find((i) => i.severity === 'error');
  if (!first) return;
  const el = app.querySelector<HTMLElement>(`[data-control-for="${CSS.escape(first.field)}"]`);
  el?.scrollIntoView({ block: 'center' });
  el?.focus();
}
