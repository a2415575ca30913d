/** `openviduHa.templateBaseUrl`, read where it is used and checked: only S3 URL forms are accepted. */
import { restrictedSetting } from './trustedSettings';
import { DEFAULT_TEMPLATE_BASE_URL, templateBaseUrlProblem } from '../../openvidu/spec';

/** The base URL without a trailing slash (OpenVidu's bucket when unset); throws a message naming the setting and the fix. */
export function templateBaseUrl(): string {
  const v = restrictedSetting('templateBaseUrl', DEFAULT_TEMPLATE_BASE_URL)?.trim();
  if (!v) return DEFAULT_TEMPLATE_BASE_URL;
  const problem = templateBaseUrlProblem(v, restrictedSetting('endpoint', '').trim() || undefined);
  if (problem) throw new Error(problem);
  return v.replace(/\/+$/, '');
}
