/**
 * Validation of the deploy form, shared by the webview (as-you-type) and the extension host (before
 * `CreateStack`). Every rule is driven by the chosen version's `TemplateSpec`: a parameter the version lacks is
 * simply not checked. The optional `ValidationContext` carries AWS facts the host fetched (subnets, key pairs,
 * certificates, …) for the checks CloudFormation would only fail on late.
 *
 * Pure TypeScript: no `vscode`, no Node built-ins.
 */
import type { FormValue, FormValues, TemplateSpec } from './spec';
import { STACK_NAME_FIELD } from './validationTypes';
import type { Issue, ValidationContext } from './validationTypes';
import { checkParameter } from './parameterRules';
import { checkBuckets, checkCertificates, checkInstanceTypes, checkKeyPairs, checkRanges, checkStackName, checkSubnets } from './contextRules';

export type { FormValue, FormValues } from './spec';
export * from './validationTypes';
export {
  bucketNameProblem,
  certificateArnRegion,
  certificateCovers,
  isIamServerCertificateArn,
  isValidBucketName,
  isValidStackName,
  maxStackNameLength,
  subnetProcessorFunctionName,
} from './awsNames';

// ---------------------------------------------------------------------------------------------------------
// Entry points

function fieldOrder(spec: TemplateSpec): (field: string) => number {
  const index = new Map(spec.parameters.map((p, i) => [p.key, i]));
  return (f) => (f === STACK_NAME_FIELD ? -1 : index.get(f) ?? spec.parameters.length);
}

/**
 * Every issue of the deploy form: `values` maps parameter keys (and `StackName`) to form values. Issues are
 * ordered by field (stack name first, then template order); an empty list means the form can be submitted.
 */
export function validateDeployForm(spec: TemplateSpec, values: FormValues, context: ValidationContext = {}): Issue[] {
  const issues: Issue[] = [];
  checkStackName(spec, values, context, issues);
  for (const p of spec.parameters) checkParameter(p, values[p.key], issues);
  checkRanges(spec, values, issues);
  checkBuckets(spec, values, issues);
  checkSubnets(spec, values, context, issues);
  checkCertificates(spec, values, context, issues);
  checkKeyPairs(spec, values, context, issues);
  checkInstanceTypes(spec, values, context, issues);
  const order = fieldOrder(spec);
  // Stable sort by field, then errors before warnings; drop exact duplicates.
  const seen = new Set<string>();
  return issues
    .map((issue, i) => ({ issue, i }))
    .sort((a, b) => order(a.issue.field) - order(b.issue.field) || (a.issue.severity === b.issue.severity ? 0 : a.issue.severity === 'error' ? -1 : 1) || a.i - b.i)
    .map(({ issue }) => issue)
    .filter((issue) => {
      const k = `${issue.field}\u0000${issue.severity}\u0000${issue.message}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
}

/** The issues of one field as the user types `value` into it (`values` holds the rest of the form). */
export function validateField(spec: TemplateSpec, key: string, value: FormValue, values: FormValues, context?: ValidationContext): Issue[] {
  return validateDeployForm(spec, { ...values, [key]: value }, context).filter((i) => i.field === key);
}

/** Issues grouped by field, for showing them next to the inputs. */
export function issuesByField(issues: readonly Issue[]): Record<string, Issue[]> {
  const out: Record<string, Issue[]> = {};
  for (const i of issues) (out[i.field] ??= []).push(i);
  return out;
}
