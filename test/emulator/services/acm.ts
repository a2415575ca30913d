/**
 * ACM (JSON 1.1, `CertificateManager.*`): ListCertificates and DescribeCertificate over the region's seeded
 * certificates. As on AWS, ListCertificates without `Includes.keyTypes` lists only RSA_1024 / RSA_2048
 * certificates, and DescribeCertificate tells a malformed ARN (ValidationException) from an unknown one
 * (ResourceNotFoundException).
 */
import type { HandlerContext, ServiceModule } from '../server';
import { AwsError, asInt, asList, asString } from '../protocol';
import type { Certificate, RegionState, World } from '../world';

const STATUSES = ['PENDING_VALIDATION', 'ISSUED', 'INACTIVE', 'EXPIRED', 'VALIDATION_TIMED_OUT', 'REVOKED', 'FAILED'];
/** the ARN pattern from the ACM model; a value failing it is rejected before the service looks it up */
const ARN_PATTERN = /^arn:[\w+=/,.@-]+:acm:[\w+=/,.@-]*:[0-9]+:[\w+=,.@-]+(\/[\w+=,.@-]+)*$/;

/**
 * JSON timestamps are epoch seconds. (protocol.ts's replacer sees Dates after `Date.prototype.toJSON` has turned
 * them into ISO strings, which the SDK rejects, so this module sends numbers itself.)
 */
function epoch(ms: number): number {
  return ms / 1000;
}

/** `RSA-2048` (DescribeCertificate) → `RSA_2048` (ListCertificates' KeyAlgorithm / Includes.keyTypes) */
function keyType(c: Certificate): string {
  return (c.keyAlgorithm ?? 'RSA-2048').replace('-', '_');
}

/** An expired certificate reads EXPIRED once its NotAfter has passed, whatever it was seeded as. */
function statusOf(c: Certificate, now: number): Certificate['status'] {
  if (c.status === 'ISSUED' && c.notAfter !== undefined && c.notAfter < now) return 'EXPIRED';
  return c.status;
}

function listCertificates({ region, params, now }: HandlerContext): unknown {
  const statuses = asList(params.CertificateStatuses).map(String);
  for (const s of statuses) {
    if (!STATUSES.includes(s)) {
      throw new AwsError(
        'ValidationException',
        `1 validation error detected: Value '[${statuses.join(', ')}]' at 'certificateStatuses' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [${STATUSES.join(', ')}]]`,
      );
    }
  }
  const includes = (params.Includes ?? {}) as { keyTypes?: unknown; managedBy?: unknown };
  const keyTypes = asList(includes.keyTypes).map(String);
  const allowedKeyTypes = keyTypes.length ? keyTypes : ['RSA_1024', 'RSA_2048'];
  const maxItems = asInt(params.MaxItems);
  if (maxItems !== undefined && (maxItems < 1 || maxItems > 1000)) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${maxItems}' at 'maxItems' failed to satisfy constraint: Member must have value ${maxItems < 1 ? 'greater than or equal to 1' : 'less than or equal to 1000'}`,
    );
  }
  const certs = region.certificates.filter(
    (c) => (!statuses.length || statuses.includes(statusOf(c, now))) && allowedKeyTypes.includes(keyType(c)),
  );
  let start = 0;
  const token = asString(params.NextToken);
  if (token) {
    const m = /^acm-page:(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
    if (!m) throw new AwsError('InvalidArgsException', 'The NextToken is not valid.');
    start = Number(m[1]);
  }
  const size = maxItems ?? 1000;
  const page = certs.slice(start, start + size);
  const next = start + size < certs.length ? Buffer.from(`acm-page:${start + size}`).toString('base64') : undefined;
  return {
    CertificateSummaryList: page.map((c) => summary(c, now)),
    NextToken: next,
  };
}

function summary(c: Certificate, now: number): Record<string, unknown> {
  return {
    CertificateArn: c.arn,
    DomainName: c.domainName,
    SubjectAlternativeNameSummaries: c.subjectAlternativeNames,
    HasAdditionalSubjectAlternativeNames: false,
    Status: statusOf(c, now),
    Type: c.type,
    KeyAlgorithm: c.keyAlgorithm ?? 'RSA-2048',
    KeyUsages: usages(c).keyUsages.map((u) => u.Name),
    ExtendedKeyUsages: usages(c).extended.map((u) => u.Name),
    InUse: c.inUseBy.length > 0,
    Exported: false,
    RenewalEligibility: c.type === 'AMAZON_ISSUED' && c.inUseBy.length > 0 ? 'ELIGIBLE' : 'INELIGIBLE',
    NotBefore: c.notBefore !== undefined ? epoch(c.notBefore) : undefined,
    NotAfter: c.notAfter !== undefined ? epoch(c.notAfter) : undefined,
    CreatedAt: c.type === 'AMAZON_ISSUED' ? epoch(c.createdAt) : undefined,
    IssuedAt: c.issuedAt !== undefined ? epoch(c.issuedAt) : undefined,
    ImportedAt: c.type === 'IMPORTED' ? epoch(c.createdAt) : undefined,
  };
}

function usages(c: Certificate): { keyUsages: { Name: string }[]; extended: { Name: string; OID: string }[] } {
  if (c.status === 'PENDING_VALIDATION' || c.status === 'FAILED' || c.status === 'VALIDATION_TIMED_OUT') {
    return { keyUsages: [], extended: [] };
  }
  return {
    keyUsages: [{ Name: 'DIGITAL_SIGNATURE' }, { Name: 'KEY_ENCIPHERMENT' }],
    extended: [
      { Name: 'TLS_WEB_SERVER_AUTHENTICATION', OID: '1.3.6.1.5.5.7.3.1' },
      { Name: 'TLS_WEB_CLIENT_AUTHENTICATION', OID: '1.3.6.1.5.5.7.3.2' },
    ],
  };
}

/** Deterministic DNS validation record for a domain (no rng: describing must not change the world). */
function validationRecord(domain: string): { Name: string; Type: string; Value: string } {
  let h = 2166136261;
  for (const ch of domain) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  const a = h.toString(16).padStart(8, '0');
  const b = Math.imul(h, 2654435761).toString(16).replace('-', '').padStart(8, '0');
  const base = domain.replace(/^\*\./, '');
  return {
    Name: `_${a}${b}${a}${b}.${base}.`,
    Type: 'CNAME',
    Value: `_${b}${a}${b}${a}.xlfgrmvvlj.acm-validations.aws.`,
  };
}

function findCertificate(world: World, region: RegionState, arn: string | undefined): Certificate {
  if (!arn) {
    throw new AwsError('ValidationException', "1 validation error detected: Value null at 'certificateArn' failed to satisfy constraint: Member must not be null");
  }
  if (arn.length < 20 || arn.length > 2048 || !ARN_PATTERN.test(arn)) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${arn}' at 'certificateArn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:[\\w+=/,.@-]+:acm:[\\w+=/,.@-]*:[0-9]+:[\\w+=,.@-]+(/[\\w+=,.@-]+)*`,
    );
  }
  const parts = arn.split(':');
  if (parts[3] !== region.name || parts[4] !== world.accountId || !parts[5].startsWith('certificate/')) {
    if (!parts[5].startsWith('certificate/')) throw new AwsError('InvalidArnException', `String '${arn}' is not a valid ARN.`);
    throw new AwsError('ResourceNotFoundException', `Could not find certificate ${arn}.`);
  }
  const c = region.certificates.find((x) => x.arn === arn);
  if (!c) throw new AwsError('ResourceNotFoundException', `Could not find certificate ${arn}.`);
  return c;
}

function describeCertificate({ world, region, params, now }: HandlerContext): unknown {
  const c = findCertificate(world, region, asString(params.CertificateArn));
  const status = statusOf(c, now);
  const validationStatus = status === 'PENDING_VALIDATION' ? 'PENDING_VALIDATION' : status === 'ISSUED' || status === 'EXPIRED' ? 'SUCCESS' : 'FAILED';
  const u = usages(c);
  const ec = (c.keyAlgorithm ?? 'RSA-2048').startsWith('EC');
  return {
    Certificate: {
      CertificateArn: c.arn,
      DomainName: c.domainName,
      SubjectAlternativeNames: c.subjectAlternativeNames,
      DomainValidationOptions:
        c.type === 'AMAZON_ISSUED'
          ? c.subjectAlternativeNames.map((d) => ({
              DomainName: d,
              ValidationDomain: d.replace(/^\*\./, ''),
              ValidationStatus: validationStatus,
              ResourceRecord: validationRecord(d),
              ValidationMethod: 'DNS',
            }))
          : undefined,
      Serial: status === 'PENDING_VALIDATION' ? undefined : serialOf(c.arn),
      Subject: `CN=${c.domainName}`,
      Issuer: c.type === 'AMAZON_ISSUED' ? 'Amazon' : 'Example Corp CA',
      CreatedAt: c.type === 'AMAZON_ISSUED' ? epoch(c.createdAt) : undefined,
      ImportedAt: c.type === 'IMPORTED' ? epoch(c.createdAt) : undefined,
      IssuedAt: c.issuedAt !== undefined ? epoch(c.issuedAt) : undefined,
      Status: status,
      NotBefore: c.notBefore !== undefined ? epoch(c.notBefore) : undefined,
      NotAfter: c.notAfter !== undefined ? epoch(c.notAfter) : undefined,
      KeyAlgorithm: c.keyAlgorithm ?? 'RSA-2048',
      SignatureAlgorithm: ec ? 'SHA256WITHECDSA' : 'SHA256WITHRSA',
      InUseBy: c.inUseBy,
      Type: c.type,
      KeyUsages: u.keyUsages,
      ExtendedKeyUsages: u.extended,
      RenewalEligibility: c.type === 'AMAZON_ISSUED' && c.inUseBy.length > 0 ? 'ELIGIBLE' : 'INELIGIBLE',
      Options: { CertificateTransparencyLoggingPreference: 'ENABLED', Export: 'DISABLED' },
    },
  };
}

function serialOf(arn: string): string {
  const hexChars = arn.replace(/[^0-9a-f]/g, '').slice(-32).padStart(32, '0');
  return hexChars.match(/../g)!.join(':');
}

export const acm: ServiceModule = {
  service: 'acm',
  handlers: {
    ListCertificates: listCertificates,
    DescribeCertificate: describeCertificate,
  },
};
