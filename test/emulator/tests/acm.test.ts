import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  ACMClient,
  DescribeCertificateCommand,
  ListCertificatesCommand,
  paginateListCertificates,
  type CertificateSummary,
} from '@aws-sdk/client-acm';
import { startEmulator, Emulator } from '../server';
import { clientConfig } from '../clientConfig';

let emu: Emulator;
let acm: ACMClient;
before(async () => {
  emu = await startEmulator({ seed: 3 });
  acm = new ACMClient(clientConfig(emu));
});
after(async () => {
  acm.destroy();
  await emu.stop();
});

function rejectsWith(name: string, message?: RegExp) {
  return (e: Error) => {
    assert.equal(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
    if (message) assert.match(e.message, message);
    return true;
  };
}

async function byDomain(domain: string, client = acm): Promise<CertificateSummary> {
  const all = await client.send(new ListCertificatesCommand({ Includes: { keyTypes: ['RSA_2048', 'EC_prime256v1'] } }));
  const c = all.CertificateSummaryList?.find((s) => s.DomainName === domain);
  assert.ok(c, domain);
  return c;
}

test('ListCertificates: the seeded certificates with domain, SANs, status, type, in-use and expiry', async () => {
  const res = await acm.send(new ListCertificatesCommand({}));
  const list = res.CertificateSummaryList!;
  assert.deepEqual(list.map((c) => c.DomainName).sort(), [
    'legacy.openvidu.example.com',
    'openvidu.example.com',
    'other-app.example.org',
    'pending.example.com',
  ]);
  const ov = list.find((c) => c.DomainName === 'openvidu.example.com')!;
  assert.match(ov.CertificateArn!, /^arn:aws:acm:eu-west-1:123456789012:certificate\/[0-9a-f-]{36}$/);
  assert.deepEqual(ov.SubjectAlternativeNameSummaries, ['openvidu.example.com', '*.openvidu.example.com']);
  assert.equal(ov.Status, 'ISSUED');
  assert.equal(ov.Type, 'AMAZON_ISSUED');
  assert.equal(ov.InUse, false);
  assert.ok(ov.NotAfter instanceof Date && ov.NotAfter.getTime() > Date.now());
  const other = list.find((c) => c.DomainName === 'other-app.example.org')!;
  assert.equal(other.InUse, true);
  assert.equal(list.find((c) => c.DomainName === 'pending.example.com')?.Status, 'PENDING_VALIDATION');
  const expired = list.find((c) => c.DomainName === 'legacy.openvidu.example.com')!;
  assert.equal(expired.Status, 'EXPIRED');
  assert.ok(expired.NotAfter!.getTime() < Date.now());
});

test('ListCertificates: CertificateStatuses filter and Includes.keyTypes (ECDSA certificates are hidden by default)', async () => {
  const issued = await acm.send(new ListCertificatesCommand({ CertificateStatuses: ['ISSUED'] }));
  assert.deepEqual(issued.CertificateSummaryList?.map((c) => c.DomainName).sort(), ['openvidu.example.com', 'other-app.example.org']);
  const pendingOrExpired = await acm.send(new ListCertificatesCommand({ CertificateStatuses: ['PENDING_VALIDATION', 'EXPIRED'] }));
  assert.equal(pendingOrExpired.CertificateSummaryList?.length, 2);
  const ec = await acm.send(new ListCertificatesCommand({ Includes: { keyTypes: ['EC_prime256v1'] } }));
  assert.deepEqual(ec.CertificateSummaryList?.map((c) => c.DomainName), ['ecdsa.openvidu.example.com']);
  assert.equal(ec.CertificateSummaryList?.[0].KeyAlgorithm, 'EC-prime256v1');
  await assert.rejects(
    acm.send(new ListCertificatesCommand({ CertificateStatuses: ['BOGUS' as 'ISSUED'] })),
    rejectsWith('ValidationException', /certificateStatuses/),
  );
});

test('ListCertificates: MaxItems / NextToken pagination through the SDK paginator', async () => {
  const pages: number[] = [];
  const domains: string[] = [];
  for await (const page of paginateListCertificates({ client: acm, pageSize: 2 }, { Includes: { keyTypes: ['RSA_2048', 'EC_prime256v1'] } })) {
    pages.push(page.CertificateSummaryList?.length ?? 0);
    domains.push(...page.CertificateSummaryList!.map((c) => c.DomainName!));
  }
  assert.deepEqual(pages, [2, 2, 1]);
  assert.equal(new Set(domains).size, 5);
  await assert.rejects(acm.send(new ListCertificatesCommand({ MaxItems: 0 })), rejectsWith('ValidationException'));
});

test('DescribeCertificate: details of an issued certificate with DNS validation records', async () => {
  const { CertificateArn } = await byDomain('openvidu.example.com');
  const { Certificate: c } = await acm.send(new DescribeCertificateCommand({ CertificateArn }));
  assert.equal(c?.CertificateArn, CertificateArn);
  assert.equal(c?.DomainName, 'openvidu.example.com');
  assert.deepEqual(c?.SubjectAlternativeNames, ['openvidu.example.com', '*.openvidu.example.com']);
  assert.equal(c?.Status, 'ISSUED');
  assert.equal(c?.Type, 'AMAZON_ISSUED');
  assert.equal(c?.KeyAlgorithm, 'RSA-2048');
  assert.deepEqual(c?.InUseBy, []);
  assert.equal(c?.Issuer, 'Amazon');
  assert.ok(c?.NotAfter instanceof Date && c.NotBefore instanceof Date && c.IssuedAt instanceof Date && c.CreatedAt instanceof Date);
  assert.equal(c?.DomainValidationOptions?.length, 2);
  for (const v of c!.DomainValidationOptions!) {
    assert.equal(v.ValidationStatus, 'SUCCESS');
    assert.equal(v.ValidationMethod, 'DNS');
    assert.equal(v.ResourceRecord?.Type, 'CNAME');
    assert.match(v.ResourceRecord!.Name!, /\.openvidu\.example\.com\.$/);
  }

  const pending = await byDomain('pending.example.com');
  const p = (await acm.send(new DescribeCertificateCommand({ CertificateArn: pending.CertificateArn }))).Certificate!;
  assert.equal(p.Status, 'PENDING_VALIDATION');
  assert.equal(p.DomainValidationOptions?.[0].ValidationStatus, 'PENDING_VALIDATION');
  assert.equal(p.NotAfter, undefined);

  const other = await byDomain('other-app.example.org');
  const o = (await acm.send(new DescribeCertificateCommand({ CertificateArn: other.CertificateArn }))).Certificate!;
  assert.match(o.InUseBy?.[0] ?? '', /^arn:aws:elasticloadbalancing:eu-west-1:/);
});

test('DescribeCertificate: ResourceNotFoundException for unknown or other-region ARNs, ValidationException for malformed ones', async () => {
  await assert.rejects(
    acm.send(new DescribeCertificateCommand({ CertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-4000-a000-000000000000' })),
    rejectsWith('ResourceNotFoundException', /^Could not find certificate arn:aws:acm:eu-west-1:123456789012:certificate\/00000000-0000-4000-a000-000000000000\.$/),
  );
  const usEast = new ACMClient(clientConfig(emu, 'us-east-1'));
  const euArn = (await byDomain('openvidu.example.com')).CertificateArn!;
  await assert.rejects(usEast.send(new DescribeCertificateCommand({ CertificateArn: euArn })), rejectsWith('ResourceNotFoundException'));
  const usCert = await byDomain('openvidu.example.com', usEast);
  assert.match(usCert.CertificateArn!, /^arn:aws:acm:us-east-1:/);
  usEast.destroy();
  await assert.rejects(
    acm.send(new DescribeCertificateCommand({ CertificateArn: 'not-an-arn-at-all-really' })),
    rejectsWith('ValidationException', /failed to satisfy constraint: Member must satisfy regular expression pattern/),
  );
});
