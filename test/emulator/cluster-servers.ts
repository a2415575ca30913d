/**
 * Each simulated OpenVidu cluster gets an address of its own: a loopback port whose root is the cluster's API,
 * as a real cluster's API is the root of its domain (`https://<DomainName>/twirp/…`, `/openvidu/api/…`). The
 * official LiveKit SDK builds its URLs from the host's root, so `<endpoint>/_cluster/<region>/<stack>/`
 * (still served, for old tests) is not enough for it.
 *
 * A server starts when the stack's secret has its credentials (the cluster has installed) and closes when the
 * stack is deleted. With `urlsInSecret` (the sandbox and `npm run emulator`, whose demo domains do not resolve)
 * the secret's URL keys (OPENVIDU_URL, LIVEKIT_URL, DASHBOARD_URL, GRAFANA_URL, MINIO_URL) are rewritten to the
 * loopback address, as an operator would point the domain at the load balancer; DOMAIN_NAME stays the domain.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { World } from './world';
import { clusterKeys, handleClusterApi, liveStack } from './livekit';

export interface ClusterAddress {
  region: string;
  stackName: string;
  url: string;
}

export class ClusterServers {
  private readonly servers = new Map<string, { server: Server; url?: string; ready: Promise<string> }>();
  private running = false;
  /** called once per cluster when its address is known (main.ts prints it) */
  onAddress?: (a: ClusterAddress) => void;

  constructor(
    private readonly world: World,
    private readonly urlsInSecret = false,
  ) {}

  /** Starts serving: every installed cluster now, and new ones as they install (call `sync` on every tick). */
  async start(): Promise<void> {
    this.running = true;
    this.sync();
    await Promise.all([...this.servers.values()].map((s) => s.ready));
  }

  async stop(): Promise<void> {
    this.running = false;
    const all = [...this.servers.values()];
    this.servers.clear();
    await Promise.all(all.map((s) => new Promise<void>((r) => (s.server.closeAllConnections(), s.server.close(() => r())))));
  }

  /** The address of a cluster's API (`http://127.0.0.1:<port>/`), starting its server if needed. */
  async address(region: string, stackName: string): Promise<string> {
    if (!this.running) throw new Error('the emulator is not started');
    return this.ensure(region, stackName);
  }

  /** Every known cluster address. */
  list(): ClusterAddress[] {
    return [...this.servers.entries()].filter(([, s]) => s.url).map(([k, s]) => ({ region: k.split('/')[0], stackName: k.slice(k.indexOf('/') + 1), url: s.url! }));
  }

  /** Opens servers for installed clusters, closes those of deleted stacks, keeps the secrets' URLs pointed. */
  sync(): void {
    if (!this.running) return;
    for (const region of this.world.regions.values()) {
      for (const stack of region.stacks) {
        const key = `${region.name}/${stack.stackName}`;
        const alive = !!liveStack(this.world, region.name, stack.stackName);
        if (!alive) {
          if (this.servers.has(key) && !liveStack(this.world, region.name, stack.stackName)) this.close(key);
          continue;
        }
        const keys = clusterKeys(this.world, region.name, stack.stackName);
        if (!keys || keys === 'none') continue;
        const s = this.servers.get(key);
        if (!s) void this.ensure(region.name, stack.stackName);
        else if (s.url) this.pointSecret(region.name, stack.stackName, s.url);
      }
    }
  }

  private close(key: string): void {
    const s = this.servers.get(key);
    this.servers.delete(key);
    if (s) {
      s.server.closeAllConnections();
      s.server.close();
    }
  }

  private ensure(region: string, stackName: string): Promise<string> {
    const key = `${region}/${stackName}`;
    const existing = this.servers.get(key);
    if (existing) return existing.ready;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        try {
          const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname.replace(/^\//, '');
          if (!handleClusterApi(this.world, region, stackName, req, res, path, Buffer.concat(chunks).toString('utf8'))) {
            res.writeHead(404, { 'content-type': 'text/plain' });
            res.end('404 page not found\n');
          }
        } catch (e) {
          res.writeHead(500);
          res.end(String(e));
        }
      });
    });
    server.keepAliveTimeout = 5000;
    const entry: { server: Server; url?: string; ready: Promise<string> } = {
      server,
      ready: new Promise<string>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
          entry.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
          this.pointSecret(region, stackName, entry.url);
          this.onAddress?.({ region, stackName, url: entry.url });
          resolve(entry.url);
        });
      }),
    };
    this.servers.set(key, entry);
    return entry.ready;
  }

  private pointSecret(region: string, stackName: string, url: string): void {
    if (!this.urlsInSecret) return;
    const secret = this.world.region(region).secrets.get(`openvidu-ha-${region}-${stackName}`);
    if (!secret || secret.deletedAt !== undefined) return;
    const values = JSON.parse(secret.secretString) as Record<string, string>;
    if (values.OPENVIDU_URL === url) return;
    const paths: Record<string, string> = { OPENVIDU_URL: '', DASHBOARD_URL: 'dashboard/', GRAFANA_URL: 'grafana/', MINIO_URL: 'minio-console/' };
    for (const [k, p] of Object.entries(paths)) if (k in values) values[k] = `${url}${p}`;
    if ('LIVEKIT_URL' in values) values.LIVEKIT_URL = url.replace(/^http/, 'ws');
    secret.secretString = JSON.stringify(values);
  }
}
