/**
 * Turns AWS SDK errors into one clear sentence and the fix, instead of a stack trace. Pure: no vscode import.
 */
export type AwsErrorKind = 'credentials' | 'expired' | 'access' | 'throttle' | 'server' | 'network' | 'notFound' | 'validation' | 'mfa' | 'other';

export interface AwsProblem {
  kind: AwsErrorKind;
  /** what went wrong, in the user's terms */
  message: string;
  /** what to do about it */
  fix?: string;
  /** the AWS error code, when there is one */
  code?: string;
}

interface SdkErrorLike {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired']);
const BAD_CREDENTIALS = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'AuthFailure',
  'IncompleteSignature',
  'MissingAuthenticationToken',
]);
const ACCESS = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedException']);
const THROTTLE = new Set(['Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'TooManyRequestsException', 'RequestThrottled']);
const NETWORK = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN', 'TimeoutError', 'NetworkingError']);

function profileHint(profile: string | undefined): string {
  return profile ? ` --profile ${profile}` : '';
}

/** True for an error the caller can ride out by waiting and asking again (AWS throttling). */
export function isThrottle(error: unknown): boolean {
  const e = (error ?? {}) as SdkErrorLike;
  return THROTTLE.has(e.code ?? e.name ?? '') || THROTTLE.has(e.name ?? '');
}

export function describeAwsError(error: unknown, ctx: { profile?: string; region?: string; endpoint?: string; mfa?: boolean } = {}): AwsProblem {
  const e = (error ?? {}) as SdkErrorLike;
  const name = e.name ?? '';
  const code = e.code ?? name;
  const text = e.message ?? String(error);
  const profile = ctx.profile;

  if (/requires multi-factor authentication|MFA code/i.test(text)) {
    return {
      kind: 'mfa',
      code: name || undefined,
      message: `Profile${profile ? ` "${profile}"` : ''} requires an MFA code and none was entered.`,
      fix: 'Refresh and enter the 6-digit code from your MFA device when asked.',
    };
  }
  if (name === 'CredentialsProviderError' || /Could not load credentials|Unable to find.*credentials|profile .* could not be found/i.test(text)) {
    if (/sso/i.test(text)) {
      return {
        kind: 'expired',
        code: name,
        message: `The AWS SSO session${profile ? ` of profile "${profile}"` : ''} is missing or expired.`,
        fix: `Run \`aws sso login${profileHint(profile)}\`, then refresh.`,
      };
    }
    return {
      kind: 'credentials',
      code: name,
      message: profile ? `No AWS credentials could be loaded for profile "${profile}".` : 'No AWS credentials were found.',
      fix: profile
        ? `Check the profile in ~/.aws/config (or run \`aws configure${profileHint(profile)}\`), or choose another profile with "OpenVidu: Choose AWS Profile…".`
        : 'Run `aws configure` (or `aws sso login --profile <name>`), or choose a profile with "OpenVidu: Choose AWS Profile…".',
    };
  }
  if (/(sso|token).*(expired|refresh)|expired.*(sso|token)/i.test(text) && /sso/i.test(text)) {
    return {
      kind: 'expired',
      code,
      message: `The AWS SSO session${profile ? ` of profile "${profile}"` : ''} has expired.`,
      fix: `Run \`aws sso login${profileHint(profile)}\`, then refresh.`,
    };
  }
  if (EXPIRED.has(code)) {
    return {
      kind: 'expired',
      code,
      message: 'The AWS security token has expired.',
      fix: ctx.mfa
        ? 'The temporary session from your MFA code has ended: refresh, and enter a new MFA code when asked.'
        : `Renew the credentials (\`aws sso login${profileHint(profile)}\`, or refresh your temporary keys), then refresh.`,
    };
  }
  if (BAD_CREDENTIALS.has(code)) {
    return {
      kind: 'credentials',
      code,
      message: 'AWS rejected the credentials (unknown or invalid access key).',
      fix: `Check the access key of ${profile ? `profile "${profile}"` : 'the default credentials'} with \`aws sts get-caller-identity${profileHint(profile)}\`.`,
    };
  }
  if (ACCESS.has(code)) {
    return {
      kind: 'access',
      code,
      message: `Access denied: ${stripRequestIds(text)}`,
      fix: 'Ask your AWS administrator for the missing IAM permission, or use a profile that has it.',
    };
  }
  if (THROTTLE.has(code)) {
    return { kind: 'throttle', code, message: 'AWS is throttling requests (rate exceeded), even after retries.', fix: 'Wait a moment and retry.' };
  }
  const status = e.$metadata?.httpStatusCode ?? 0;
  if (status >= 500) {
    // InternalFailure / InternalError / ServiceUnavailable, after the SDK's retries: nothing the user set is wrong.
    return {
      kind: 'server',
      code,
      message: `AWS answered with an internal error (HTTP ${status}${code ? ` ${code}` : ''}) even after retries: the problem is on AWS's side, not in your settings.`,
      fix: 'Retry in a moment; if it persists, check the AWS Health Dashboard.',
    };
  }
  if (code === 'ECONNRESET' || /socket hang up|ECONNRESET/.test(text)) {
    return {
      kind: 'network',
      code: 'ECONNRESET',
      message: `The connection to ${ctx.endpoint ?? 'AWS'} was reset in the middle of a call, even after retries.`,
      fix: ctx.endpoint ? 'Check that the endpoint is running, then retry.' : 'Check your network connection, VPN or proxy, then retry.',
    };
  }
  if (NETWORK.has(code) || NETWORK.has((error as { code?: string })?.code ?? '') || /ECONNREFUSED|ENOTFOUND|getaddrinfo|socket hang up/.test(text)) {
    return {
      kind: 'network',
      code,
      message: ctx.endpoint ? `Cannot reach the AWS endpoint ${ctx.endpoint}.` : `Cannot reach AWS${ctx.region ? ` in ${ctx.region}` : ''}.`,
      fix: ctx.endpoint ? 'Check that the endpoint is running, or clear the "openviduHa.endpoint" setting.' : 'Check your network connection or proxy, then refresh.',
    };
  }
  if (/does not exist|not found|NotFound|NoSuchEntity/i.test(code) || /does not exist/i.test(text)) {
    return { kind: 'notFound', code, message: stripRequestIds(text) };
  }
  if (/Validation/i.test(code)) return { kind: 'validation', code, message: stripRequestIds(text) };
  return { kind: 'other', code: code || undefined, message: stripRequestIds(text) || 'Unknown AWS error.' };
}

/** One line for a notification or tree node: "message Fix." */
export function formatAwsProblem(p: AwsProblem): string {
  return p.fix ? `${p.message} ${p.fix}` : p.message;
}

function stripRequestIds(s: string): string {
  return s.replace(/\s*\(?Request ID: [0-9a-f-]+\)?/gi, '').trim();
}
