/**
 * Secrets Manager (JSON 1.1, target prefix `secretsmanager`): the stack's shared-info secret
 * `openvidu-ha-<region>-<stack>` lives in `region.secrets` (Map keyed by name), created by the CloudFormation module.
 */
import type { Handler, ServiceModule } from '../server';
import { AwsError } from '../protocol';
import type { RegionState, Secret, World } from '../world';

const NOT_FOUND = "Secrets Manager can't find the specified secret.";

/** Create (or replace) a secret directly in the world, with an ARN shaped like AWS's (name + `-` + 6 random chars). */
export function putSecret(world: World, region: RegionState, name: string, secretString: string, opts: { description?: string; tags?: Record<string, string> } = {}): Secret {
  const existing = region.secrets.get(name);
  const now = world.now();
  if (existing) {
    existing.secretString = secretString;
    existing.versionId = world.rng.uuid();
    existing.lastChangedAt = now;
    return existing;
  }
  const secret: Secret = {
    arn: `arn:aws:secretsmanager:${region.name}:${world.accountId}:secret:${name}-${world.rng.alnum(6)}`,
    name,
    region: region.name,
    secretString,
    versionId: world.rng.uuid(),
    createdAt: now,
    lastChangedAt: now,
    description: opts.description,
    tags: opts.tags ?? {},
  };
  region.secrets.set(name, secret);
  return secret;
}

/** By name, full ARN, or partial ARN (without the 6-character suffix), as AWS resolves SecretId. */
export function findSecret(region: RegionState, id: unknown): Secret | undefined {
  const s = String(id ?? '');
  if (!s) return undefined;
  const byName = region.secrets.get(s);
  if (byName) return byName;
  for (const sec of region.secrets.values()) {
    if (sec.arn === s) return sec;
    if (s.startsWith('arn:') && sec.arn.replace(/-[A-Za-z0-9]{6}$/, '') === s) return sec;
  }
  return undefined;
}

function requireSecret(region: RegionState, params: Record<string, unknown>, allowDeleted = false): Secret {
  if (params.SecretId === undefined || params.SecretId === '') {
    throw new AwsError('ValidationException', "1 validation error detected: Value null at 'secretId' failed to satisfy constraint: Member must not be null");
  }
  const s = findSecret(region, params.SecretId);
  if (!s) throw new AwsError('ResourceNotFoundException', NOT_FOUND);
  if (s.deletedAt !== undefined && !allowDeleted) {
    throw new AwsError('InvalidRequestException', "You can't perform this operation on the secret because it was marked for deletion.");
  }
  return s;
}

function tagList(tags: Record<string, string>) {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

function describe(s: Secret) {
  return {
    ARN: s.arn,
    Name: s.name,
    ...(s.description !== undefined ? { Description: s.description } : {}),
    LastChangedDate: new Date(s.lastChangedAt),
    LastAccessedDate: new Date(Math.floor(s.lastChangedAt / 86_400_000) * 86_400_000),
    ...(s.deletedAt !== undefined ? { DeletedDate: new Date(s.deletedAt) } : {}),
    Tags: tagList(s.tags),
    VersionIdsToStages: { [s.versionId]: ['AWSCURRENT'] },
    CreatedDate: new Date(s.createdAt),
  };
}

const getSecretValue: Handler = ({ region, params }) => {
  const s = requireSecret(region, params);
  if (params.VersionId !== undefined && params.VersionId !== s.versionId) {
    throw new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret value for VersionId: " + String(params.VersionId));
  }
  if (params.VersionStage !== undefined && params.VersionStage !== 'AWSCURRENT') {
    throw new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret value for staging label: " + String(params.VersionStage));
  }
  return {
    ARN: s.arn,
    Name: s.name,
    VersionId: s.versionId,
    SecretString: s.secretString,
    VersionStages: ['AWSCURRENT'],
    CreatedDate: new Date(s.lastChangedAt),
  };
};

const describeSecret: Handler = ({ region, params }) => describe(requireSecret(region, params, true));

const listSecrets: Handler = ({ region, params }) => {
  const filters = (params.Filters as { Key?: string; Values?: string[] }[] | undefined) ?? [];
  const validKeys = ['description', 'name', 'tag-key', 'tag-value', 'primary-region', 'owning-service', 'all'];
  for (const f of filters) {
    if (!validKeys.includes(String(f.Key))) {
      throw new AwsError('ValidationException', `1 validation error detected: Value '${f.Key}' at 'filters.1.member.key' failed to satisfy constraint: Member must satisfy enum value set: [${validKeys.join(', ')}]`);
    }
  }
  const max = params.MaxResults;
  if (max !== undefined && (typeof max !== 'number' || max < 1 || max > 100)) {
    throw new AwsError('ValidationException', `1 validation error detected: Value '${String(max)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100`);
  }
  const matches = (s: Secret, key: string, value: string): boolean => {
    const neg = value.startsWith('!');
    const v = (neg ? value.slice(1) : value).toLowerCase();
    const prefix = (x: string | undefined) => (x ?? '').toLowerCase().startsWith(v);
    let hit: boolean;
    if (key === 'name') hit = prefix(s.name);
    else if (key === 'description') hit = prefix(s.description);
    else if (key === 'tag-key') hit = Object.keys(s.tags).some(prefix);
    else if (key === 'tag-value') hit = Object.values(s.tags).some(prefix);
    else if (key === 'primary-region') hit = prefix(s.region);
    else if (key === 'owning-service') hit = false;
    else hit = prefix(s.name) || prefix(s.description) || Object.keys(s.tags).some(prefix) || Object.values(s.tags).some(prefix);
    return neg ? !hit : hit;
  };
  let list = [...region.secrets.values()].filter((s) => params.IncludePlannedDeletion === true || s.deletedAt === undefined);
  for (const f of filters) list = list.filter((s) => (f.Values ?? []).some((v) => matches(s, String(f.Key), v)));
  list.sort((a, b) => (params.SortOrder === 'asc' ? a.createdAt - b.createdAt : b.createdAt - a.createdAt) || a.name.localeCompare(b.name));
  let start = 0;
  if (params.NextToken !== undefined) {
    const m = /^st:(\d+)$/.exec(Buffer.from(String(params.NextToken), 'base64').toString('utf8'));
    if (!m) throw new AwsError('InvalidNextTokenException', 'The NextToken value is invalid.');
    start = Number(m[1]);
  }
  const size = (max as number | undefined) ?? 100;
  const pageItems = list.slice(start, start + size);
  const next = start + size < list.length ? Buffer.from(`st:${start + size}`).toString('base64') : undefined;
  return {
    SecretList: pageItems.map((s) => {
      const d = describe(s);
      return { ...d, SecretVersionsToStages: d.VersionIdsToStages, VersionIdsToStages: undefined };
    }),
    ...(next ? { NextToken: next } : {}),
  };
};

const putSecretValue: Handler = ({ world, region, params }) => {
  const s = requireSecret(region, params);
  if (params.SecretString === undefined && params.SecretBinary === undefined) {
    throw new AwsError('InvalidRequestException', 'You must provide either SecretString or SecretBinary.');
  }
  s.secretString = String(params.SecretString ?? '');
  s.versionId = params.ClientRequestToken ? String(params.ClientRequestToken) : world.rng.uuid();
  s.lastChangedAt = world.now();
  return { ARN: s.arn, Name: s.name, VersionId: s.versionId, VersionStages: ['AWSCURRENT'] };
};

const createSecret: Handler = ({ world, region, params }) => {
  const name = String(params.Name ?? '');
  if (!name) throw new AwsError('ValidationException', "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null");
  const existing = region.secrets.get(name);
  if (existing && existing.deletedAt === undefined) throw new AwsError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`);
  if (existing) throw new AwsError('InvalidRequestException', `You can't create this secret because a secret with this name is already scheduled for deletion.`);
  const tags: Record<string, string> = {};
  for (const t of (params.Tags as { Key: string; Value: string }[] | undefined) ?? []) tags[t.Key] = t.Value;
  const s = putSecret(world, region, name, String(params.SecretString ?? ''), { description: params.Description as string | undefined, tags });
  return { ARN: s.arn, Name: s.name, VersionId: s.versionId };
};

export const secretsmanager: ServiceModule = {
  service: 'secretsmanager',
  handlers: {
    GetSecretValue: getSecretValue,
    DescribeSecret: describeSecret,
    ListSecrets: listSecrets,
    PutSecretValue: putSecretValue,
    CreateSecret: createSecret,
  },
};
