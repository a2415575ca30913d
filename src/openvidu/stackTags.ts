/**
 * The user's own stack tags (cost allocation), checked as CloudFormation checks them before anything is created.
 * Source: CreateStack `Tags` ("You can specify a maximum number of 50 tags") and the Tag type (API reference): Key
 * 1–128 characters, "Tags owned by AWS have the reserved prefix: aws:"; Value 1–256 characters.
 * The extension adds one tag of its own (the template version, `VERSION_TAG`), so the user has 49.
 *
 * Pure TypeScript (shared by the webview and the host): no `vscode`, no Node built-ins.
 */
import type { Issue } from './validation';
import { VERSION_TAG } from './cluster';

export interface StackTag {
  key: string;
  value: string;
}

/** The field name tag issues carry (the form's Tags section). */
export const TAGS_FIELD = 'Tags';
export const MAX_STACK_TAGS = 50;
/** Stack tag the extension writes with the template version (the same key the update writes and the cluster model reads). */
export const TEMPLATE_VERSION_TAG = VERSION_TAG;

/** Every problem with the user's tags; row numbers are 1-based as the form shows them. */
export function validateStackTags(tags: readonly StackTag[]): Issue[] {
  const issues: Issue[] = [];
  const err = (message: string) => issues.push({ field: TAGS_FIELD, severity: 'error', message });
  if (tags.length > MAX_STACK_TAGS - 1) err(`Tags: at most ${MAX_STACK_TAGS - 1} tags (CloudFormation allows ${MAX_STACK_TAGS} per stack, and the extension adds ${TEMPLATE_VERSION_TAG}); remove ${tags.length - (MAX_STACK_TAGS - 1)}.`);
  const seen = new Set<string>();
  tags.forEach((t, i) => {
    const row = `Tags row ${i + 1}`;
    const key = t.key.trim();
    if (key.length < 1) err(`${row}: the key is empty: type a key (1–128 characters) or remove the row.`);
    else if (key.length > 128) err(`${row}: the key has ${key.length} characters; CloudFormation allows at most 128.`);
    else if (/^aws:/i.test(key)) err(`${row}: the key "${key}" starts with "aws:", a prefix reserved for tags owned by AWS: choose another key.`);
    else if (key === TEMPLATE_VERSION_TAG) err(`${row}: the key "${key}" is written by the extension (the template version): choose another key.`);
    else if (seen.has(key)) err(`${row}: the key "${key}" is used twice: keep one.`);
    seen.add(key);
    if (t.value.length < 1) err(`${row}: the value of "${key || '(no key)'}" is empty: CloudFormation requires 1–256 characters.`);
    else if (t.value.length > 256) err(`${row}: the value of "${key || '(no key)'}" has ${t.value.length} characters; CloudFormation allows at most 256.`);
  });
  return issues;
}

/** The tags CreateStack receives: the user's (trimmed keys), then the template version. */
export function createStackTags(tags: readonly StackTag[], templateVersion: string): { Key: string; Value: string }[] {
  return [...tags.map((t) => ({ Key: t.key.trim(), Value: t.value })), { Key: TEMPLATE_VERSION_TAG, Value: templateVersion }];
}
