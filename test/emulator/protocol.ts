/**
 * Wire protocols the AWS SDK v3 clients speak, decoded into one request shape and encoded back as AWS does:
 * - awsQuery (CloudFormation, Auto Scaling, STS, IAM): form body `Action=…&Version=…`, XML `<XResponse><XResult>`
 * - ec2Query (EC2): the same form body, XML `<XResponse><requestId>` with `<item>` lists
 * - JSON 1.1 (SSM, Secrets Manager, ACM, CloudWatch Logs): `X-Amz-Target: Prefix.Action`, JSON in and out
 * - JSON 1.0 with awsQueryCompatible (CloudWatch, since @aws-sdk/client-cloudwatch moved off awsQuery): the same
 *   framing with `application/x-amz-json-1.0`; errors also carry `x-amzn-query-error: <awsQuery code>;<Sender|Receiver>`
 *   (Smithy `aws.protocols#awsQueryCompatible` trait), from which the SDK names the error
 */

export type Protocol = 'query' | 'ec2' | 'json';
export type ServiceName =
  | 'cloudformation'
  | 'ec2'
  | 'autoscaling'
  | 'sts'
  | 'iam'
  | 'ssm'
  | 'secretsmanager'
  | 'acm'
  | 'logs'
  | 'cloudwatch';

export interface ServiceInfo {
  name: ServiceName;
  protocol: Protocol;
  /** XML namespace (query protocols) */
  xmlns?: string;
  /** API version sent in the form body (query protocols) */
  version?: string;
  /** X-Amz-Target prefix (JSON protocol) */
  targetPrefix?: string;
  /** JSON protocol version (default 1.1) */
  jsonVersion?: '1.0' | '1.1';
  /** awsQueryCompatible: errors carry the x-amzn-query-error header */
  queryCompatible?: boolean;
}

export const SERVICES: ServiceInfo[] = [
  { name: 'cloudformation', protocol: 'query', version: '2010-05-15', xmlns: 'http://cloudformation.amazonaws.com/doc/2010-05-15/' },
  { name: 'autoscaling', protocol: 'query', version: '2011-01-01', xmlns: 'http://autoscaling.amazonaws.com/doc/2011-01-01/' },
  { name: 'sts', protocol: 'query', version: '2011-06-15', xmlns: 'https://sts.amazonaws.com/doc/2011-06-15/' },
  { name: 'iam', protocol: 'query', version: '2010-05-08', xmlns: 'https://iam.amazonaws.com/doc/2010-05-08/' },
  { name: 'ec2', protocol: 'ec2', version: '2016-11-15', xmlns: 'http://ec2.amazonaws.com/doc/2016-11-15/' },
  { name: 'ssm', protocol: 'json', targetPrefix: 'AmazonSSM' },
  { name: 'secretsmanager', protocol: 'json', targetPrefix: 'secretsmanager' },
  { name: 'acm', protocol: 'json', targetPrefix: 'CertificateManager' },
  { name: 'logs', protocol: 'json', targetPrefix: 'Logs_20140328' },
  // CloudWatch's service model (monitoring-2010-08-01): awsJson1_0, awsQueryCompatible, target GraniteServiceVersion20100801
  { name: 'cloudwatch', protocol: 'json', targetPrefix: 'GraniteServiceVersion20100801', jsonVersion: '1.0', queryCompatible: true },
];

/** An AWS error as the service would send it. `code` becomes the SDK's error `name`. */
export class AwsError extends Error {
  constructor(
    public readonly code: string,
    message: string,
    public readonly status = 400,
    public readonly type: 'Sender' | 'Receiver' = status >= 500 ? 'Receiver' : 'Sender',
  ) {
    super(message);
  }
}

export interface DecodedRequest {
  service: ServiceInfo;
  action: string;
  region: string;
  accessKeyId?: string;
  /** query/ec2: the form parameters unflattened into objects and arrays; json: the parsed body */
  params: Record<string, unknown>;
  /** query/ec2: the raw flat form parameters */
  rawForm?: Record<string, string>;
}

/** `Credential=AKID/20261124/eu-west-1/cloudformation/aws4_request` → key id, region, signing service. */
export function parseAuthorization(header: string | undefined): { accessKeyId?: string; region?: string; signingName?: string } {
  const m = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(header ?? '');
  return m ? { accessKeyId: m[1], region: m[2], signingName: m[3] } : {};
}

export function decodeRequest(headers: Record<string, string | string[] | undefined>, body: string): DecodedRequest {
  const auth = parseAuthorization(String(headers['authorization'] ?? ''));
  const region = auth.region ?? 'us-east-1';
  const target = headers['x-amz-target'];
  if (typeof target === 'string' && target) {
    const dot = target.lastIndexOf('.');
    const prefix = target.slice(0, dot);
    const action = target.slice(dot + 1);
    const service = SERVICES.find((s) => s.targetPrefix === prefix);
    if (!service) throw new AwsError('UnknownOperationException', `Unknown target prefix ${prefix}`);
    let params: Record<string, unknown> = {};
    if (body.trim()) {
      try {
        params = JSON.parse(body) as Record<string, unknown>;
      } catch {
        throw new AwsError('SerializationException', 'Request body is not valid JSON');
      }
    }
    return { service, action, region, accessKeyId: auth.accessKeyId, params };
  }
  const form: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(body)) form[k] = v;
  const action = form['Action'];
  if (!action) throw new AwsError('MissingAction', 'The request must contain the parameter Action', 400);
  const service =
    SERVICES.find((s) => s.name === auth.signingName && s.protocol !== 'json') ??
    SERVICES.find((s) => s.version === form['Version']);
  if (!service) throw new AwsError('InvalidAction', `Unknown API version ${form['Version']}`);
  const rest = { ...form };
  delete rest['Action'];
  delete rest['Version'];
  return { service, action, region, accessKeyId: auth.accessKeyId, params: unflatten(rest), rawForm: form };
}

/**
 * Turns flat query keys into nested values: `Parameters.member.1.ParameterKey=a` → `{Parameters:[{ParameterKey:'a'}]}`,
 * `Filter.1.Value.2=b` → `{Filter:[{Value:[undefined,'b']}]}` (compacted), `Capabilities.member.1=X` → `{Capabilities:['X']}`.
 * A `member`/`entry` segment followed by a number is the awsQuery list marker; a bare number is EC2's.
 */
export function unflatten(flat: Record<string, string>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  const keys = Object.keys(flat).sort(naturalCompare);
  for (const key of keys) {
    const segs = key.split('.').filter((s, i, all) => !((s === 'member' || s === 'entry') && /^\d+$/.test(all[i + 1] ?? '')));
    let node: Record<string, unknown> | unknown[] = root;
    for (let i = 0; i < segs.length; i++) {
      const seg = segs[i];
      const last = i === segs.length - 1;
      const nextIsIndex = !last && /^\d+$/.test(segs[i + 1]);
      const slot: string | number = Array.isArray(node) ? Number(seg) - 1 : seg;
      const container = node as Record<string | number, unknown>;
      if (last) {
        container[slot] = flat[key];
      } else {
        const existing = container[slot];
        if (existing === undefined || typeof existing !== 'object' || existing === null) {
          container[slot] = nextIsIndex ? [] : {};
        }
        node = container[slot] as Record<string, unknown> | unknown[];
      }
    }
  }
  return compact(root) as Record<string, unknown>;
}

function compact(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((x) => x !== undefined).map(compact);
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = compact(x);
    return o;
  }
  return v;
}

function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/**
 * Serialises a plain value as XML children. Arrays become `<name><member>…</member></name>` (query) or
 * `<name><item>…</item></name>` (ec2); Dates become ISO-8601; undefined/null are omitted.
 */
export function toXml(name: string, value: unknown, listItem: 'member' | 'item'): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) {
    return `<${name}>${value.map((v) => toXml(listItem, v, listItem)).join('')}</${name}>`;
  }
  if (value instanceof Date) return `<${name}>${value.toISOString()}</${name}>`;
  if (typeof value === 'object') {
    return `<${name}>${childrenXml(value as Record<string, unknown>, listItem)}</${name}>`;
  }
  return `<${name}>${xmlEscape(String(value))}</${name}>`;
}

function childrenXml(obj: Record<string, unknown>, listItem: 'member' | 'item'): string {
  return Object.entries(obj)
    .map(([k, v]) => toXml(k, v, listItem))
    .join('');
}

export interface EncodedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function encodeResult(req: DecodedRequest, result: unknown, requestId: string): EncodedResponse {
  const { service, action } = req;
  if (service.protocol === 'json') {
    return {
      status: 200,
      headers: { 'content-type': `application/x-amz-json-${service.jsonVersion ?? '1.1'}`, 'x-amzn-requestid': requestId },
      // Date.toJSON runs before a replacer sees the value, so look at the holder's original value.
      body: JSON.stringify(result ?? {}, function (this: Record<string, unknown>, k, v) {
        const original = this[k];
        return original instanceof Date ? original.getTime() / 1000 : v;
      }),
    };
  }
  if (service.protocol === 'ec2') {
    const inner = result && typeof result === 'object' ? childrenXml(result as Record<string, unknown>, 'item') : '';
    return {
      status: 200,
      headers: { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': requestId },
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${service.xmlns}"><requestId>${requestId}</requestId>${inner}</${action}Response>`,
    };
  }
  const resultXml =
    result === undefined ? '' : toXml(`${action}Result`, result && typeof result === 'object' ? result : {}, 'member');
  return {
    status: 200,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body: `<${action}Response xmlns="${service.xmlns}">${resultXml}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
  };
}

export function encodeError(service: ServiceInfo | undefined, err: AwsError, requestId: string): EncodedResponse {
  if (!service || service.protocol === 'json') {
    return {
      status: err.status,
      headers: {
        'content-type': `application/x-amz-json-${service?.jsonVersion ?? '1.1'}`,
        'x-amzn-requestid': requestId,
        'x-amzn-errortype': err.code,
        ...(service?.queryCompatible ? { 'x-amzn-query-error': `${err.code};${err.type}` } : {}),
      },
      body: JSON.stringify({ __type: err.code, message: err.message }),
    };
  }
  if (service.protocol === 'ec2') {
    return {
      status: err.status,
      headers: { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': requestId },
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${xmlEscape(err.code)}</Code><Message>${xmlEscape(err.message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
    };
  }
  return {
    status: err.status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body: `<ErrorResponse xmlns="${service.xmlns}"><Error><Type>${err.type}</Type><Code>${xmlEscape(err.code)}</Code><Message>${xmlEscape(err.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
}

/**
 * Throttling / expired-token codes differ per protocol family, as on AWS:
 * - EC2: `RequestLimitExceeded`, HTTP 503 (EC2 API Reference "Error codes for the Amazon EC2 API" and
 *   "Request throttling": the SDKs retry it as a throttling error);
 * - awsQuery (CloudFormation, Auto Scaling, STS, IAM): `Throttling`, "Rate exceeded", HTTP 400 (Knowledge Center
 *   "cloudformation-rate-exceeded-error"; the common-errors page of each awsQuery API reference);
 * - JSON 1.1 (SSM, Secrets Manager, ACM, Logs): `ThrottlingException`, "Rate exceeded", HTTP 400 (SSM API
 *   Reference "Common Errors": ThrottlingException, 400).
 */
export function throttleError(service: ServiceInfo): AwsError {
  if (service.protocol === 'json') return new AwsError('ThrottlingException', 'Rate exceeded', 400);
  if (service.protocol === 'ec2') return new AwsError('RequestLimitExceeded', 'Request limit exceeded.', 503);
  return new AwsError('Throttling', 'Rate exceeded', 400);
}

export function expiredTokenError(service: ServiceInfo): AwsError {
  if (service.protocol === 'json') return new AwsError('ExpiredTokenException', 'The security token included in the request is expired', 400);
  if (service.protocol === 'ec2') return new AwsError('RequestExpired', 'Request has expired.', 400);
  return new AwsError('ExpiredToken', 'The security token included in the request is expired', 403);
}

export function internalError(service: ServiceInfo): AwsError {
  if (service.protocol === 'json') return new AwsError('InternalServiceError', 'An internal error occurred (injected).', 500);
  if (service.protocol === 'ec2') return new AwsError('InternalError', 'An internal error has occurred (injected).', 500);
  return new AwsError('InternalFailure', 'An internal error occurred (injected).', 500);
}

/** Small helpers for handlers reading unflattened params. */
export function asList<T = unknown>(v: unknown): T[] {
  if (v === undefined || v === null || v === '') return [];
  return Array.isArray(v) ? (v as T[]) : [v as T];
}
export function asString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : v === undefined || v === null ? undefined : String(v);
}
export function asInt(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}
