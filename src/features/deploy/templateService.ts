/**
 * Loads the chosen version's template spec: `GetTemplateSummary` (TemplateURL) for the parameter set, types,
 * defaults, NoEcho and groups, plus the template YAML itself (fetched and parsed) for AllowedPattern /
 * Min / Max / ConstraintDescription, merged with `mergeTemplateSummary`. Cached per version and base URL in
 * memory and in a Memento (`context.globalState`: no secrets there, only template facts). When neither can be
 * read, the bundled offline spec of that version is used and the form says so.
 */
import { templateSummary } from '../../aws/deployApi';
import type { AwsSession } from '../../aws/session';
import { bundledSpec } from '../../openvidu/bundled-specs';
import { LATEST, mergeTemplateSummary, parseTemplate, templateUrl } from '../../openvidu/template';
import type { TemplateSpec } from '../../openvidu/template';
import type { TemplateSource } from '../../protocol/deployForm';

export interface MementoLike {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void> | Promise<void>;
}

export interface LoadedTemplate {
  version: string;
  url: string;
  spec: TemplateSpec;
  source: TemplateSource;
  /** said on the form when the spec is not the full template (offline, summary only) */
  notice?: string;
}

export interface TemplateServiceDeps {
  session(region: string): AwsSession;
  baseUrl(): string;
  cache?: MementoLike;
  /** GET a URL as text (default: global fetch with a timeout) */
  fetchText?: (url: string) => Promise<string>;
  describeError?(error: unknown, region?: string): string;
  now?(): number;
}

const CACHE_KEY = 'openviduHa.deploy.templateSpecs.v1';
/** `latest` moves: re-read it after this long. Numbered versions never change. */
const LATEST_TTL_MS = 6 * 3600_000;
const FETCH_TIMEOUT_MS = 20_000;
/** The template is ~120 KB; refuse anything absurdly large. */
const MAX_TEMPLATE_BYTES = 5_000_000;

interface CacheEntry {
  spec: TemplateSpec;
  source: TemplateSource;
  notice?: string;
  at: number;
}

async function defaultFetchText(url: string): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  if (!res.ok) throw new Error(`HTTP ${res.status} for ${url}`);
  const text = await res.text();
  if (text.length > MAX_TEMPLATE_BYTES) throw new Error(`The template at ${url} is larger than ${MAX_TEMPLATE_BYTES} bytes.`);
  return text;
}

export class TemplateService {
  private readonly memory = new Map<string, CacheEntry>();
  private readonly inflight = new Map<string, Promise<LoadedTemplate>>();

  constructor(private readonly deps: TemplateServiceDeps) {}

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  private key(version: string): string {
    return `${this.deps.baseUrl()}|${version}`;
  }

  private fresh(version: string, e: CacheEntry | undefined): e is CacheEntry {
    return !!e && (version !== LATEST || this.now() - e.at < LATEST_TTL_MS);
  }

  /** The spec from the cache only (memory, then the Memento), or undefined. */
  cached(version: string): LoadedTemplate | undefined {
    const key = this.key(version);
    let e = this.memory.get(key);
    if (!this.fresh(version, e)) {
      const stored = this.deps.cache?.get<Record<string, CacheEntry>>(CACHE_KEY)?.[key];
      if (this.fresh(version, stored)) {
        e = stored;
        this.memory.set(key, stored);
      } else e = undefined;
    }
    return e ? { version, url: templateUrl(version, this.deps.baseUrl()), spec: structuredClone(e.spec), source: e.source, notice: e.notice } : undefined;
  }

  /** The spec of `version`, from the cache or read with `region`'s CloudFormation client. Never throws for a known version. */
  load(version: string, region: string): Promise<LoadedTemplate> {
    const hit = this.cached(version);
    if (hit) return Promise.resolve(hit);
    const key = this.key(version);
    let p = this.inflight.get(key);
    if (!p) {
      p = this.read(version, region).finally(() => this.inflight.delete(key));
      this.inflight.set(key, p);
    }
    return p.then((t) => ({ ...t, spec: structuredClone(t.spec) }));
  }

  private async read(version: string, region: string): Promise<LoadedTemplate> {
    const url = templateUrl(version, this.deps.baseUrl());
    const fetchText = this.deps.fetchText ?? defaultFetchText;
    const [summary, yaml] = await Promise.allSettled([
      (async () => templateSummary(this.deps.session(region), url))(),
      fetchText(url).then((text) => parseTemplate(text, version)),
    ]);
    let spec: TemplateSpec | undefined;
    let source: TemplateSource = 'template';
    let notice: string | undefined;
    if (summary.status === 'fulfilled') {
      spec = mergeTemplateSummary(summary.value, yaml.status === 'fulfilled' ? yaml.value : undefined);
      if (yaml.status === 'rejected') {
        source = 'summary';
        notice = `The template file could not be read (${reason(yaml.reason)}): patterns, bounds and constraint texts are not checked in the form; CloudFormation still checks them.`;
      }
    } else if (yaml.status === 'fulfilled') {
      spec = yaml.value;
      notice = undefined;
    }
    if (spec) {
      spec.version = version;
      const entry: CacheEntry = { spec, source, notice, at: this.now() };
      this.memory.set(this.key(version), entry);
      await this.store(this.key(version), entry);
      return { version, url, spec: structuredClone(spec), source, notice };
    }
    const why = summary.status === 'rejected' ? this.deps.describeError?.(summary.reason, region) ?? reason(summary.reason) : reason((yaml as PromiseRejectedResult).reason);
    const offline = bundledSpec(version);
    if (!offline) throw new Error(`The template of OpenVidu HA ${version} could not be read (${why}), and no offline copy of that version is bundled.`);
    return {
      version,
      url,
      spec: offline,
      source: 'bundled',
      notice: `The template could not be read (${why}). The form uses the offline copy of version ${offline.version === LATEST ? 'latest (newest known)' : offline.version} bundled with the extension; it may differ from the template CloudFormation will use.`,
    };
  }

  private async store(key: string, entry: CacheEntry): Promise<void> {
    if (!this.deps.cache) return;
    try {
      const all = { ...(this.deps.cache.get<Record<string, CacheEntry>>(CACHE_KEY) ?? {}) };
      all[key] = entry;
      // Keep the cache small: at most 12 versions.
      const keys = Object.keys(all).sort((a, b) => all[b].at - all[a].at);
      for (const k of keys.slice(12)) delete all[k];
      await this.deps.cache.update(CACHE_KEY, all);
    } catch {
      // a cache write failure only costs a re-read
    }
  }

  /** Forget everything (tests, a changed base URL). */
  clear(): void {
    this.memory.clear();
  }
}

function reason(e: unknown): string {
  const m = (e as Error)?.message ?? String(e);
  return m.length > 200 ? `${m.slice(0, 200)}…` : m;
}
