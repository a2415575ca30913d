/**
 * SSM against the emulator through the real @aws-sdk/client-ssm: inventory (registered vs not, late registration),
 * Run Command lifecycle, limits, and the node simulator's answers to the commands the extension sends.
 */
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  SSMClient,
  DescribeInstanceInformationCommand,
  SendCommandCommand,
  GetCommandInvocationCommand,
  GetCommandInvocationCommandOutput,
  ListCommandInvocationsCommand,
  ListCommandsCommand,
  CancelCommandCommand,
} from '@aws-sdk/client-ssm';
import { startEmulator, Emulator } from '../server';
import { launchInstance, stopInstance, startInstance } from '../services/ec2';
import { createAsg, updateAsgCapacity } from '../services/autoscaling';
import { SSM_CORE_POLICY_ARN, truncatePluginOutput, TRUNCATE_OUT, TRUNCATE_ERROR, ERROR_TITLE } from '../services/ssm';
import { addService, configureSimNode, setServiceState } from '../node-sim';
import type { Instance } from '../world';
import { clientConfig } from '../clientConfig';

const REGION = 'eu-west-1';
let emu: Emulator;
let ssm: SSMClient;

before(async () => {
  emu = await startEmulator({ start: Date.parse('2026-11-24T06:00:00Z') });
  ssm = new SSMClient(clientConfig(emu, REGION));
});
after(async () => {
  ssm.destroy();
  await emu.stop();
});
beforeEach(() => {
  // each test works with its own instances; remove the previous ones' so inventories stay small
  emu.world.region(REGION).instances.clear();
  emu.world.settings.defaultHostManagement = false;
});

function subnetId(): string {
  const s = emu.world.region(REGION).subnets.find((x) => x.mapPublicIpOnLaunch);
  assert.ok(s, 'seeded account has a public subnet');
  return s.subnetId;
}

function launch(kind: 'master' | 'media', ssmRegistered: boolean, extra: { iamInstanceProfileArn?: string; name?: string } = {}): Instance {
  return launchInstance(emu.world, REGION, {
    subnetId: subnetId(),
    instanceType: 'c7i.xlarge',
    tags: { Name: extra.name ?? `demo - OpenVidu HA - ${kind === 'master' ? 'Master Node 1' : 'Media Node'}` },
    nodeKind: kind,
    ssmRegistered,
    iamInstanceProfileArn: extra.iamInstanceProfileArn,
    bootSeconds: 0,
  });
}

function advance(ms: number): void {
  emu.clock.advance(ms);
}

async function send(ids: string[], commands: string[], extra: { TimeoutSeconds?: number; executionTimeout?: string } = {}): Promise<string> {
  const r = await ssm.send(
    new SendCommandCommand({
      InstanceIds: ids,
      DocumentName: 'AWS-RunShellScript',
      Parameters: { commands, ...(extra.executionTimeout ? { executionTimeout: [extra.executionTimeout] } : {}) },
      TimeoutSeconds: extra.TimeoutSeconds,
      Comment: 'openvidu-ha test',
    }),
  );
  assert.ok(r.Command?.CommandId);
  return r.Command.CommandId;
}

/** send, let simulated time pass (3 s, more for slow commands), and read the finished invocation */
async function run(inst: Instance, commands: string[]): Promise<GetCommandInvocationCommandOutput> {
  const id = await send([inst.instanceId], commands);
  advance(3_000);
  let inv = await ssm.send(new GetCommandInvocationCommand({ CommandId: id, InstanceId: inst.instanceId }));
  for (let i = 0; i < 10 && (inv.Status === 'InProgress' || inv.Status === 'Pending'); i++) {
    advance(5_000);
    inv = await ssm.send(new GetCommandInvocationCommand({ CommandId: id, InstanceId: inst.instanceId }));
  }
  assert.ok(inv.Status === 'Success' || inv.Status === 'Failed', `finished, got ${inv.Status}`);
  return inv;
}

// ---------------------------------------------------------------------------------------------------------------
// inventory

test('only managed instances are listed: registered media node yes, v3.8 masters no', async () => {
  const master = launch('master', false);
  const media = launch('media', true);
  const r = await ssm.send(new DescribeInstanceInformationCommand({}));
  const ids = (r.InstanceInformationList ?? []).map((i) => i.InstanceId);
  assert.deepEqual(ids, [media.instanceId]);
  const info = r.InstanceInformationList![0];
  assert.equal(info.PingStatus, 'Online');
  assert.equal(info.PlatformType, 'Linux');
  assert.equal(info.PlatformName, 'Ubuntu');
  assert.equal(info.ResourceType, 'EC2Instance');
  assert.equal(info.IPAddress, media.privateIpAddress);
  assert.equal(info.ComputerName, `ip-${media.privateIpAddress.replace(/\./g, '-')}.${REGION}.compute.internal`);
  assert.ok(info.LastPingDateTime instanceof Date);
  assert.match(info.AgentVersion ?? '', /^\d+\.\d+\.\d+\.\d+$/);
  // filtering on the master's id finds nothing: it is not a managed node
  const f = await ssm.send(new DescribeInstanceInformationCommand({ Filters: [{ Key: 'InstanceIds', Values: [master.instanceId] }] }));
  assert.deepEqual(f.InstanceInformationList, []);
  const g = await ssm.send(new DescribeInstanceInformationCommand({ InstanceInformationFilterList: [{ key: 'PingStatus', valueSet: ['Online'] }] }));
  assert.equal(g.InstanceInformationList?.length, 1);
});

test('a master registers after AmazonSSMManagedInstanceCore is attached to its role (agent picks it up later)', async () => {
  const w = emu.world;
  w.iam.roles.set('demo-master-role', {
    roleName: 'demo-master-role',
    roleId: 'AROATEST',
    arn: `arn:aws:iam::${w.accountId}:role/demo-master-role`,
    path: '/',
    createdAt: w.now(),
    assumeRolePolicyDocument: '{}',
    attachedPolicyArns: [],
  });
  const profileArn = `arn:aws:iam::${w.accountId}:instance-profile/demo-master-profile`;
  w.iam.instanceProfiles.set('demo-master-profile', { name: 'demo-master-profile', id: 'AIPATEST', arn: profileArn, path: '/', createdAt: w.now(), roleNames: ['demo-master-role'] });
  const master = launch('master', false, { iamInstanceProfileArn: profileArn });
  const list = async () => (await ssm.send(new DescribeInstanceInformationCommand({}))).InstanceInformationList ?? [];
  assert.deepEqual(await list(), []);
  w.iam.roles.get('demo-master-role')!.attachedPolicyArns.push(SSM_CORE_POLICY_ARN);
  assert.deepEqual(await list(), [], 'the agent has not retried yet');
  advance(121_000);
  const l = await list();
  assert.equal(l.length, 1);
  assert.equal(l[0].InstanceId, master.instanceId);
  assert.equal(l[0].PingStatus, 'Online');
  assert.equal(l[0].IamRole, 'demo-master-role');
});

test('the Default Host Management Configuration account setting registers the masters too', async () => {
  const m1 = launch('master', false);
  const m2 = launch('master', false);
  await ssm.send(new DescribeInstanceInformationCommand({}));
  const res = await fetch(`${emu.endpoint}/_emulator/settings`, { method: 'POST', body: JSON.stringify({ defaultHostManagement: true }) });
  assert.equal(res.status, 200);
  advance(121_000);
  const r = await ssm.send(new DescribeInstanceInformationCommand({ Filters: [{ Key: 'PingStatus', Values: ['Online'] }] }));
  assert.deepEqual((r.InstanceInformationList ?? []).map((i) => i.InstanceId).sort(), [m1.instanceId, m2.instanceId].sort());
});

test('DescribeInstanceInformation: MaxResults 5..50 and NextToken pagination', async () => {
  for (let i = 0; i < 7; i++) launch('media', true);
  await assert.rejects(ssm.send(new DescribeInstanceInformationCommand({ MaxResults: 4 })), (e: Error) => e.name === 'ValidationException');
  await assert.rejects(ssm.send(new DescribeInstanceInformationCommand({ MaxResults: 51 })), (e: Error) => e.name === 'ValidationException');
  const p1 = await ssm.send(new DescribeInstanceInformationCommand({ MaxResults: 5 }));
  assert.equal(p1.InstanceInformationList?.length, 5);
  assert.ok(p1.NextToken);
  const p2 = await ssm.send(new DescribeInstanceInformationCommand({ MaxResults: 5, NextToken: p1.NextToken }));
  assert.equal(p2.InstanceInformationList?.length, 2);
  assert.equal(p2.NextToken, undefined);
  const all = [...p1.InstanceInformationList!, ...p2.InstanceInformationList!].map((i) => i.InstanceId);
  assert.equal(new Set(all).size, 7);
});

// ---------------------------------------------------------------------------------------------------------------
// Run Command

test('SendCommand: 50 instance ids are accepted, 51 are refused with ValidationException', async () => {
  const nodes = Array.from({ length: 50 }, () => launch('media', true));
  const ids = nodes.map((n) => n.instanceId);
  const id = await send(ids, ['systemctl is-active openvidu']);
  const listed = await ssm.send(new ListCommandsCommand({ CommandId: id }));
  assert.equal(listed.Commands?.[0].TargetCount, 50);
  await assert.rejects(send([...ids, 'i-0123456789abcdef0'], ['true']), (e: Error) => {
    assert.equal(e.name, 'ValidationException');
    assert.match(e.message, /less than or equal to 50/);
    return true;
  });
  advance(3_000);
  // ListCommandInvocations paginates the 50 invocations
  const seen: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const p = await ssm.send(new ListCommandInvocationsCommand({ CommandId: id, MaxResults: 20, NextToken: token }));
    for (const inv of p.CommandInvocations ?? []) {
      assert.equal(inv.Status, 'Success');
      seen.push(inv.InstanceId!);
    }
    token = p.NextToken;
    pages++;
  } while (token);
  assert.equal(pages, 3);
  assert.deepEqual([...seen].sort(), [...ids].sort());
  const cmd = (await ssm.send(new ListCommandsCommand({ CommandId: id }))).Commands![0];
  assert.equal(cmd.Status, 'Success');
  assert.equal(cmd.CompletedCount, 50);
});

test('SendCommand refuses unmanaged masters with InvalidInstanceId, and documents other than AWS-RunShellScript', async () => {
  const master = launch('master', false);
  await assert.rejects(send([master.instanceId], ['true']), (e: Error) => {
    assert.equal(e.name, 'InvalidInstanceId');
    assert.match(e.message, new RegExp(master.instanceId));
    return true;
  });
  await assert.rejects(
    ssm.send(new SendCommandCommand({ InstanceIds: [master.instanceId], DocumentName: 'AWS-RunPowerShellScript', Parameters: { commands: ['dir'] } })),
    (e: Error) => e.name === 'InvalidDocument',
  );
});

test('an invocation goes Pending → InProgress → Success; output stays empty until it ends', async () => {
  const media = launch('media', true);
  const id = await send([media.instanceId], ['echo "===STATUS==="', 'systemctl is-active openvidu']);
  const get = () => ssm.send(new GetCommandInvocationCommand({ CommandId: id, InstanceId: media.instanceId }));
  let inv = await get();
  assert.equal(inv.Status, 'Pending');
  assert.equal(inv.ResponseCode, -1);
  assert.equal(inv.StandardOutputContent, '');
  advance(550);
  inv = await get();
  assert.equal(inv.Status, 'InProgress');
  assert.equal(inv.StandardOutputContent, '');
  assert.notEqual(inv.ExecutionStartDateTime, '');
  advance(2_000);
  inv = await get();
  assert.equal(inv.Status, 'Success');
  assert.equal(inv.StatusDetails, 'Success');
  assert.equal(inv.ResponseCode, 0);
  assert.equal(inv.PluginName, 'aws:runShellScript');
  assert.equal(inv.StandardOutputContent, '===STATUS===\nactive\n');
  assert.match(inv.ExecutionElapsedTime ?? '', /^PT\d+\.\d+S$/);
  await assert.rejects(ssm.send(new GetCommandInvocationCommand({ CommandId: id, InstanceId: 'i-0000000000000000a' })), (e: Error) => e.name === 'InvocationDoesNotExist');
  await assert.rejects(
    ssm.send(new GetCommandInvocationCommand({ CommandId: '11111111-2222-4333-a444-555555555555', InstanceId: media.instanceId })),
    (e: Error) => e.name === 'InvocationDoesNotExist',
  );
});

test('service status: `docker compose ps --format json` prints one JSON object per line, like compose v2', async () => {
  const master = launch('master', true);
  advance(3 * 3_600_000);
  const inv = await run(master, ['cd /opt/openvidu && docker compose ps --format json']);
  const rows = inv.StandardOutputContent!.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const names = rows.map((r) => r.Service);
  for (const s of ['caddy', 'openvidu-meet', 'dashboard', 'operator', 'redis-server', 'redis-sentinel', 'mongo', 'grafana', 'loki', 'mimir', 'alloy']) {
    assert.ok(names.includes(s), `${s} listed`);
  }
  assert.ok(!names.includes('minio'), 'minio exited (external S3): not in the default (running) list');
  const caddy = rows.find((r) => r.Service === 'caddy')!;
  for (const k of ['Name', 'Service', 'State', 'Health', 'Status', 'Image', 'CreatedAt', 'RunningFor', 'ExitCode', 'ID', 'Project', 'Labels']) assert.ok(k in caddy, k);
  assert.equal(caddy.State, 'running');
  assert.equal(caddy.Health, 'healthy');
  assert.equal(caddy.Status, 'Up 3 hours (healthy)');
  assert.equal(caddy.RunningFor, '3 hours ago');
  assert.match(String(caddy.CreatedAt), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \+0000 UTC$/);
  // -a shows the exited minio
  const all = await run(master, ['cd /opt/openvidu && docker compose ps -a --format json']);
  const minio = all.StandardOutputContent!.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).find((r) => r.Service === 'minio')!;
  assert.equal(minio.State, 'exited');
  assert.equal(minio.ExitCode, 0);
  assert.match(String(minio.Status), /^Exited \(0\) 3 hours ago$/);
  // without cd, compose finds no project
  const nocd = await run(master, ['docker compose ps']);
  assert.equal(nocd.Status, 'Failed');
  assert.match(nocd.StandardErrorContent ?? '', /no configuration file provided: not found/);
});

test('unhealthy / crash-looping services and agent containers show up as docker reports them', async () => {
  const media = launch('media', true);
  advance(600_000);
  const node = media.node!;
  assert.ok(setServiceState(node, 'openvidu', 'restarting', '', { at: emu.clock.now() }));
  assert.ok(setServiceState(node, 'egress', 'running', 'unhealthy', { at: emu.clock.now() - 60_000 }));
  addService(node, 'agent-speech-processing', emu.clock.now() - 120_000);
  advance(30_000);
  const inv = await run(media, ['cd /opt/openvidu && docker compose ps -a --format json']);
  const rows = inv.StandardOutputContent!.trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
  const by = (s: string) => rows.find((r) => r.Service === s)!;
  assert.equal(by('openvidu').State, 'restarting');
  assert.match(by('openvidu').Status, /^Restarting \(1\) /);
  assert.match(by('egress').Status, /\(unhealthy\)$/);
  assert.match(by('agent-speech-processing').Labels, /openvidu-agent=true/);
  const agents = await run(media, ['docker ps --filter label=openvidu-agent=true --format "{{.Names}}"']);
  assert.equal(agents.StandardOutputContent, 'agent-speech-processing\n');
  const logs = await run(media, ['cd /opt/openvidu && docker compose logs --tail 3 openvidu']);
  assert.match(logs.StandardOutputContent ?? '', /could not start server/);
});

test('a long log read is truncated at 24,000 characters (GetCommandInvocation) and 2,500 (ListCommandInvocations Output)', async () => {
  const media = launch('media', true);
  advance(2 * 3_600_000);
  const id = await send([media.instanceId], ['cd /opt/openvidu && docker compose logs --tail 1000 --timestamps openvidu']);
  advance(3_000);
  const inv = await ssm.send(new GetCommandInvocationCommand({ CommandId: id, InstanceId: media.instanceId }));
  assert.equal(inv.Status, 'Success');
  assert.equal(inv.StandardOutputContent!.length, 24_000);
  assert.match(inv.StandardOutputContent!, /^openvidu {2}\| \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z /);
  const listed = await ssm.send(new ListCommandInvocationsCommand({ CommandId: id, Details: true }));
  const plugin = listed.CommandInvocations![0].CommandPlugins![0];
  assert.equal(plugin.Name, 'aws:runShellScript');
  // the agent's TruncateOutput: 2,500 bytes, the first 2,478 of stdout and its "---Output truncated---" marker
  assert.equal(Buffer.byteLength(plugin.Output!), 2_500);
  assert.ok(plugin.Output!.endsWith(TRUNCATE_OUT));
  assert.equal(plugin.ResponseCode, 0);
  assert.ok(inv.StandardOutputContent!.startsWith(plugin.Output!.slice(0, -TRUNCATE_OUT.length)));
});

// Inline output as the SSM agent builds it: amazon-ssm-agent agent/framework/processor/executer/iohandler/iohandler.go
// TruncateOutput (cases as in iohandler_test.go): bytes, markers, the 24-byte error title, room kept for stderr.
test('agent TruncateOutput: fits whole below capacity; the error title only with stderr', () => {
  assert.equal(ERROR_TITLE.length, 24);
  assert.equal(truncatePluginOutput('out', ''), 'out');
  assert.equal(truncatePluginOutput('out', 'err'), `out${ERROR_TITLE}err`);
  // stdout + stderr + title exactly at capacity does not fit (the agent compares with <)
  const full = truncatePluginOutput('a'.repeat(2500 - 24 - 10), 'e'.repeat(10));
  assert.ok(full.endsWith(TRUNCATE_OUT + ERROR_TITLE + 'e'.repeat(10)), 'short stderr kept whole, stdout cut');
  assert.equal(Buffer.byteLength(full), 2500);
});

test('agent TruncateOutput: long stdout + 200 bytes of stderr keeps all of stderr and cuts stdout at 2,253 bytes', () => {
  const out = truncatePluginOutput('x'.repeat(10_000), 'E'.repeat(200));
  assert.equal(out, `${'x'.repeat(2500 - 24 - TRUNCATE_OUT.length - 200)}${TRUNCATE_OUT}${ERROR_TITLE}${'E'.repeat(200)}`);
  assert.equal(TRUNCATE_OUT.length, 23);
  assert.equal(Buffer.byteLength(out), 2500);
});

test('agent TruncateOutput: both long → both cut to halves with both markers; short stdout → stderr cut', () => {
  const both = truncatePluginOutput('o'.repeat(5000), 'e'.repeat(5000));
  const half = Math.trunc((2500 - 24 - TRUNCATE_ERROR.length - TRUNCATE_OUT.length) / 2);
  assert.equal(both, `${'o'.repeat(half)}${TRUNCATE_OUT}${ERROR_TITLE}${'e'.repeat(half)}${TRUNCATE_ERROR}`);
  const errCut = truncatePluginOutput('o'.repeat(100), 'e'.repeat(5000));
  assert.equal(errCut, `${'o'.repeat(100)}${ERROR_TITLE}${'e'.repeat(2500 - 24 - TRUNCATE_ERROR.length - 100)}${TRUNCATE_ERROR}`);
  // older agents: capacity 2400
  assert.equal(Buffer.byteLength(truncatePluginOutput('z'.repeat(3000), '', 2400)), 2400);
});

test('agent TruncateOutput counts bytes: 1,000 three-byte characters (3,000 bytes) are cut although 1,000 < 2,500 characters', () => {
  const out = truncatePluginOutput('€'.repeat(1000), '');
  assert.ok(out.endsWith(TRUNCATE_OUT));
  // 2,477 bytes of stdout: 825 whole characters, then 2 bytes of the next one, which arrive as U+FFFD
  assert.equal(out, `${'€'.repeat(825)}\uFFFD${TRUNCATE_OUT}`);
});

test('ListCommandInvocations Output through the SDK: 10 KB stdout + 200 bytes stderr, as the agent cuts it', async () => {
  const media = launch('media', true);
  advance(3_600_000);
  const id = await send([media.instanceId], ['journalctl -u openvidu -n 100 --no-pager', `echo ${'E'.repeat(99)} >&2`, `echo ${'E'.repeat(99)} >&2`]);
  advance(5_000);
  const listed = await ssm.send(new ListCommandInvocationsCommand({ CommandId: id, Details: true }));
  const output = listed.CommandInvocations![0].CommandPlugins![0].Output!;
  assert.equal(Buffer.byteLength(output), 2500);
  assert.ok(output.includes(TRUNCATE_OUT + ERROR_TITLE), output.slice(-300));
  assert.ok(output.endsWith(`${'E'.repeat(99)}\n${'E'.repeat(99)}\n`));
  const inv = await ssm.send(new GetCommandInvocationCommand({ CommandId: id, InstanceId: media.instanceId }));
  assert.ok(inv.StandardOutputContent!.split('\n').length >= 90);
  assert.ok(inv.StandardOutputContent!.length > 5_000);
  assert.ok(output.startsWith(inv.StandardOutputContent!.slice(0, 2000)));
});

test('older agent (capacity 2,400): the inline output is 2,400 bytes', async () => {
  const media = launch('media', true);
  emu.world.settings.ssmPluginOutputCapacity = 2400;
  try {
    advance(3_600_000);
    const id = await send([media.instanceId], ['journalctl -u openvidu -n 100 --no-pager']);
    advance(5_000);
    const listed = await ssm.send(new ListCommandInvocationsCommand({ CommandId: id, Details: true }));
    assert.equal(Buffer.byteLength(listed.CommandInvocations![0].CommandPlugins![0].Output!), 2400);
  } finally {
    emu.world.settings.ssmPluginOutputCapacity = undefined;
  }
});

test('logs grow with simulated time: two --since polls see new lines and never repeat one', async () => {
  const master = launch('master', true);
  advance(3_600_000);
  const first = await run(master, ['cd /opt/openvidu && docker compose logs --tail 20 --timestamps --no-color caddy']);
  const lines1 = first.StandardOutputContent!.trim().split('\n');
  assert.equal(lines1.length, 20);
  const ts = (l: string) => /\| (\S+) /.exec(l)![1];
  const last = ts(lines1[lines1.length - 1]);
  advance(60_000);
  // docker's --since is inclusive: the extension passes the last timestamp + 1 ns
  const next = last.replace(/(\d{9})Z$/, (_m, ns: string) => `${String(Number(ns) + 1).padStart(9, '0')}Z`);
  const second = await run(master, [`cd /opt/openvidu && docker compose logs --since ${next} --timestamps --no-color caddy`]);
  const lines2 = second.StandardOutputContent!.trim().split('\n');
  assert.ok(lines2.length >= 6, `a minute of caddy logs (one line every ~5 s), got ${lines2.length}`);
  for (const l of lines2) assert.ok(!lines1.includes(l), 'no repeated line');
  assert.ok(lines2.every((l) => ts(l) > last));
  // the same poll with the exact last timestamp repeats exactly that line, as docker does
  const inclusive = await run(master, [`cd /opt/openvidu && docker compose logs --since ${last} --timestamps caddy`]);
  assert.equal(inclusive.StandardOutputContent!.split('\n')[0], lines1[lines1.length - 1]);
  // deterministic: the same query gives the same lines
  const again = await run(master, [`cd /opt/openvidu && docker compose logs --since ${next} --until ${ts(lines2[lines2.length - 1])} --timestamps --no-color caddy`]);
  assert.deepEqual(again.StandardOutputContent!.trim().split('\n'), lines2);
});

test('systemctl restart openvidu: uptime resets, the journal and status show it, restarts[] records it', async () => {
  const master = launch('master', true);
  advance(5 * 3_600_000);
  const before = await run(master, ['cd /opt/openvidu && docker compose ps --format "{{.Service}} {{.Status}}" caddy']);
  assert.equal(before.StandardOutputContent, 'caddy Up 5 hours (healthy)\n');
  const id = await send([master.instanceId], ['systemctl restart openvidu']);
  advance(3_000);
  const mid = await ssm.send(new GetCommandInvocationCommand({ CommandId: id, InstanceId: master.instanceId }));
  assert.equal(mid.Status, 'InProgress', 'a restart takes several seconds');
  advance(30_000);
  const done = await ssm.send(new GetCommandInvocationCommand({ CommandId: id, InstanceId: master.instanceId }));
  assert.equal(done.Status, 'Success');
  assert.equal(master.node!.restarts.length, 1);
  const after = await run(master, ['cd /opt/openvidu && docker compose ps --format "{{.Service}} {{.Status}}" caddy']);
  assert.match(after.StandardOutputContent!, /^caddy Up \d+ seconds \(healthy\)\n$/);
  const status = await run(master, ['systemctl status openvidu --no-pager', 'echo "===JOURNAL==="', 'journalctl -u openvidu -n 400 --no-pager | grep systemd']);
  const [st, journal] = status.StandardOutputContent!.split('===JOURNAL===\n');
  assert.match(st, /^● openvidu\.service - OpenVidu\n/);
  assert.match(st, /Active: active \(running\) since \w{3} \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC; \d+s ago/);
  assert.match(journal, /systemd\[1\]: Stopping openvidu\.service - OpenVidu\.\.\./);
  assert.match(journal, /systemd\[1\]: Stopped openvidu\.service - OpenVidu\./);
  assert.match(journal, /systemd\[1\]: Started openvidu\.service - OpenVidu\./);
});

test('systemctl stop / is-active / start: inactive exits 3, containers are gone while stopped', async () => {
  const media = launch('media', true);
  advance(600_000);
  const stop = await run(media, ['systemctl stop openvidu']);
  assert.equal(stop.ResponseCode, 0);
  advance(10_000);
  const st = await run(media, ['systemctl is-active openvidu']);
  assert.equal(st.Status, 'Failed');
  assert.equal(st.ResponseCode, 3);
  assert.equal(st.StandardOutputContent, 'inactive\n');
  const ps = await run(media, ['cd /opt/openvidu && docker compose ps -a --format json', 'systemctl status openvidu || true']);
  assert.equal(ps.Status, 'Success');
  assert.match(ps.StandardOutputContent!, /^○ openvidu\.service - OpenVidu\n.*Active: inactive \(dead\)/s);
  await run(media, ['systemctl start openvidu']);
  advance(30_000);
  const up = await run(media, ['systemctl is-active openvidu && cd /opt/openvidu && docker compose ps --format "{{.Service}}" | wc -l']);
  assert.equal(up.StandardOutputContent, 'active\n6\n');
});

test('docker compose restart <service> keeps the container: its log shows the shutdown and the new start', async () => {
  const master = launch('master', true);
  advance(3_600_000);
  const r = await run(master, ['cd /opt/openvidu && docker compose restart redis-server']);
  assert.equal(r.ResponseCode, 0);
  assert.match(r.StandardErrorContent!, /Container redis-server {2}Restarting/);
  advance(120_000);
  const logs = await run(master, ['cd /opt/openvidu && docker compose logs --since 3m --no-color redis-server']);
  const text = logs.StandardOutputContent!;
  const bye = text.indexOf('Redis is now ready to exit, bye bye');
  const hello = text.indexOf('Redis is starting');
  assert.ok(bye >= 0 && hello > bye, 'shutdown lines, then startup lines');
  const ps = await run(master, ['cd /opt/openvidu && docker compose ps --format "{{.Status}}" redis-server', 'docker restart caddy', 'docker restart nope || true']);
  assert.match(ps.StandardOutputContent!, /^Up 2 minutes \(healthy\)\ncaddy\n$/);
  assert.match(ps.StandardErrorContent!, /No such container: nope/);
});

test('a cancelled command ends Cancelled (invocation and command)', async () => {
  const media = launch('media', true);
  const id = await send([media.instanceId], ['echo start', 'sleep 600', 'echo never']);
  advance(1_000);
  let inv = await ssm.send(new GetCommandInvocationCommand({ CommandId: id, InstanceId: media.instanceId }));
  assert.equal(inv.Status, 'InProgress');
  await ssm.send(new CancelCommandCommand({ CommandId: id }));
  inv = await ssm.send(new GetCommandInvocationCommand({ CommandId: id, InstanceId: media.instanceId }));
  assert.equal(inv.Status, 'Cancelled');
  const cmd = (await ssm.send(new ListCommandsCommand({ CommandId: id }))).Commands![0];
  assert.equal(cmd.Status, 'Cancelled');
  await assert.rejects(ssm.send(new CancelCommandCommand({ CommandId: '00000000-0000-4000-a000-000000000000' })), (e: Error) => e.name === 'InvalidCommandId');
});

test('an unknown command fails like bash (exit 127); an unknown compose service fails with "no such service"', async () => {
  const media = launch('media', true);
  const inv = await run(media, ['echo "===A==="', 'openvidu-doctor --all']);
  assert.equal(inv.Status, 'Failed');
  assert.equal(inv.StatusDetails, 'Failed');
  assert.equal(inv.ResponseCode, 127);
  assert.equal(inv.StandardOutputContent, '===A===\n');
  assert.match(inv.StandardErrorContent!, /^bash: line 2: openvidu-doctor: command not found\n/);
  assert.match(inv.StandardErrorContent!, /failed to run commands: exit status 127/);
  const svc = await run(media, ['cd /opt/openvidu && docker compose logs --tail 10 nosuch']);
  assert.equal(svc.ResponseCode, 1);
  assert.match(svc.StandardErrorContent!, /^no such service: nosuch\n/);
});

test('script composition: set -e, &&, ;, || true, 2>&1, quotes and section markers', async () => {
  const master = launch('master', true);
  advance(3_600_000);
  const inv = await run(master, [
    'set -e',
    "echo '===VERSION==='",
    'cat /opt/openvidu/deployment-info.yaml',
    'echo "===BOOT===" ; tail -n 2 /var/log/cloud-init-output.log',
    'echo "===ERRORS==="',
    'cat /var/log/openvidu/nodes_errors.log',
    'echo "===MISSING==="',
    'cat /var/log/stop_media_node.log 2>&1 || true',
    'echo "===RESTART==="',
    'tail -n 3 /var/log/openvidu-restart.log',
    'false',
    'echo "not reached"',
  ]);
  assert.equal(inv.ResponseCode, 1);
  const out = inv.StandardOutputContent!;
  const section = (name: string) => out.split(`===${name}===\n`)[1].split('===')[0];
  assert.match(section('VERSION'), /version: 3\.8\.0/);
  assert.match(section('VERSION'), /node_role: master-node/);
  assert.match(section('BOOT'), /Cloud-init v\. .* finished at /);
  assert.equal(section('ERRORS'), '');
  assert.equal(section('MISSING'), 'cat: /var/log/stop_media_node.log: No such file or directory\n');
  assert.match(section('RESTART'), /OpenVidu restarted successfully/);
  assert.ok(!out.includes('not reached'));
});

test('journalctl -u openvidu -n N --no-pager prints N journal lines', async () => {
  const media = launch('media', true);
  advance(3_600_000);
  const inv = await run(media, ['journalctl -u openvidu -n 25 --no-pager']);
  const lines = inv.StandardOutputContent!.trim().split('\n');
  assert.equal(lines.length, 25);
  for (const l of lines) assert.match(l, /^[A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} ip-\d+-\d+-\d+-\d+ (docker\[\d+\]|systemd\[1\]): /);
});

test('a stopped instance: ConnectionLost, a command times out undelivered; a node stopping mid-run fails Undeliverable', async () => {
  const media = launch('media', true);
  advance(60_000);
  // mid-run stop
  const running = await send([media.instanceId], ['sleep 120']);
  advance(1_000);
  const started = await ssm.send(new GetCommandInvocationCommand({ CommandId: running, InstanceId: media.instanceId }));
  assert.equal(started.Status, 'InProgress');
  stopInstance(emu.world, REGION, media.instanceId);
  await ssm.send(new DescribeInstanceInformationCommand({}));
  advance(120_000);
  const broken = await ssm.send(new GetCommandInvocationCommand({ CommandId: running, InstanceId: media.instanceId }));
  assert.equal(broken.Status, 'Failed');
  assert.equal(broken.StatusDetails, 'Undeliverable');
  const info = await ssm.send(new DescribeInstanceInformationCommand({ Filters: [{ Key: 'InstanceIds', Values: [media.instanceId] }] }));
  assert.equal(info.InstanceInformationList?.[0].PingStatus, 'ConnectionLost');
  // a command sent to the stopped instance waits for delivery, then times out
  const id = await send([media.instanceId], ['systemctl is-active openvidu'], { TimeoutSeconds: 30 });
  advance(5_000);
  const waiting = await ssm.send(new GetCommandInvocationCommand({ CommandId: id, InstanceId: media.instanceId }));
  assert.ok(['Pending', 'Delayed'].includes(waiting.Status!), waiting.Status);
  advance(30_000);
  const timedOut = await ssm.send(new GetCommandInvocationCommand({ CommandId: id, InstanceId: media.instanceId }));
  assert.equal(timedOut.Status, 'TimedOut');
  assert.equal(timedOut.StatusDetails, 'DeliveryTimedOut');
  // started again: the node reboots, openvidu comes back with fresh containers
  startInstance(emu.world, REGION, media.instanceId);
  advance(60_000);
  const online = await ssm.send(new DescribeInstanceInformationCommand({ Filters: [{ Key: 'InstanceIds', Values: [media.instanceId] }] }));
  assert.equal(online.InstanceInformationList?.[0].PingStatus, 'Online');
  advance(120_000);
  const back = await run(media, ['systemctl is-active openvidu', 'uptime -p', 'cd /opt/openvidu && docker compose ps --format "{{.Service}} {{.RunningFor}}" openvidu']);
  // the boot is dated at the last observation before the instance was seen running (here: the start call)
  assert.equal(back.StandardOutputContent, 'active\nup 3 minutes\nopenvidu 2 minutes ago\n');
});

// GetCommandInvocation StatusDetails (API reference): "Delayed: The system attempted to send the command to the target,
// but the target wasn't available. The managed node might not be available because of network issues…" and
// "Delivery Timed Out: The command wasn't delivered to the managed node before the delivery timeout expired". A
// running instance whose agent lost its connection takes no command; one that reconnects in time runs it then.
test('a running instance whose SSM agent is ConnectionLost: the command waits Delayed, times out undelivered, or runs once the agent is back', async () => {
  const media = launch('media', true);
  advance(60_000);
  await ssm.send(new DescribeInstanceInformationCommand({}));
  media.ssmRegistered = false; // the agent loses its credentials: it can no longer reach SSM
  const info = await ssm.send(new DescribeInstanceInformationCommand({ Filters: [{ Key: 'InstanceIds', Values: [media.instanceId] }] }));
  assert.equal(info.InstanceInformationList?.[0].PingStatus, 'ConnectionLost');
  const lost = await send([media.instanceId], ['echo hi'], { TimeoutSeconds: 30 });
  advance(5_000);
  const waiting = await ssm.send(new GetCommandInvocationCommand({ CommandId: lost, InstanceId: media.instanceId }));
  assert.ok(['Pending', 'Delayed'].includes(waiting.Status!), waiting.Status);
  advance(30_000);
  const timedOut = await ssm.send(new GetCommandInvocationCommand({ CommandId: lost, InstanceId: media.instanceId }));
  assert.equal(timedOut.StatusDetails, 'DeliveryTimedOut');
  // reconnected before the delivery timeout: the waiting command runs
  const later = await send([media.instanceId], ['echo back'], { TimeoutSeconds: 60 });
  advance(10_000);
  media.ssmRegistered = true;
  advance(5_000);
  const ran = await ssm.send(new GetCommandInvocationCommand({ CommandId: later, InstanceId: media.instanceId }));
  assert.equal(ran.Status, 'Success');
  assert.equal(ran.StandardOutputContent, 'back\n');
});

// API reference, SendCommand TimeoutSeconds (delivery: "If this time is reached and the command hasn't already started
// running, it won't run"), AWS-RunShellScript executionTimeout (1..172800, default 3600), GetCommandInvocation
// StatusDetails ("Execution Timed Out … This is a terminal state") and StandardOutputContent ("if ExecutionStatus is
// neither Succeeded nor Failed, then this string is empty"); the inline Output keeps what the script printed.
test('an execution timeout ends TimedOut / ExecutionTimedOut; stdout is empty in GetCommandInvocation, kept inline', async () => {
  const media = launch('media', true);
  const id = await send([media.instanceId], ['echo started', 'sleep 300'], { executionTimeout: '60' });
  advance(90_000);
  const inv = await ssm.send(new GetCommandInvocationCommand({ CommandId: id, InstanceId: media.instanceId }));
  assert.equal(inv.Status, 'TimedOut');
  assert.equal(inv.StatusDetails, 'ExecutionTimedOut');
  assert.equal(inv.StandardOutputContent, '');
  const listed = await ssm.send(new ListCommandInvocationsCommand({ CommandId: id, Details: true }));
  assert.match(listed.CommandInvocations![0].CommandPlugins![0].Output!, /^started\n/);
  // without executionTimeout the document's default (3600 s) applies: still running after 20 minutes
  const hung = await send([media.instanceId], ['sleep 100000']);
  advance(20 * 60_000);
  assert.equal((await ssm.send(new GetCommandInvocationCommand({ CommandId: hung, InstanceId: media.instanceId }))).Status, 'InProgress');
  advance(45 * 60_000);
  assert.equal((await ssm.send(new GetCommandInvocationCommand({ CommandId: hung, InstanceId: media.instanceId }))).StatusDetails, 'ExecutionTimedOut');
});

test('executionTimeout must match AWS-RunShellScript\'s allowed pattern (1..172800)', async () => {
  const media = launch('media', true);
  for (const bad of ['0', '172801', '1.5', 'abc']) {
    await assert.rejects(send([media.instanceId], ['true'], { executionTimeout: bad }), (e: Error) => e.name === 'InvalidParameters', bad);
  }
  await send([media.instanceId], ['true'], { executionTimeout: '172800' });
});

test('SendCommand Parameters over 64 KB are refused with MaxDocumentSizeExceeded; 64 KB exactly is accepted', async () => {
  // SSM API reference, SendCommand errors: MaxDocumentSizeExceeded, "The size limit of a document is 64 KB"
  const media = launch('media', true);
  const sized = (n: number) => [`: ${'A'.repeat(n - Buffer.byteLength(JSON.stringify({ commands: [': '] })))}`];
  assert.equal(Buffer.byteLength(JSON.stringify({ commands: sized(64 * 1024) })), 64 * 1024);
  await send([media.instanceId], sized(64 * 1024));
  await assert.rejects(send([media.instanceId], sized(64 * 1024 + 1)), (e: Error) => e.name === 'MaxDocumentSizeExceeded' && /64 KB/.test(e.message));
});

test('InvocationDoesNotExist right after SendCommand when the emulator is told to mimic AWS propagation delay', async () => {
  const media = launch('media', true);
  emu.world.settings.ssmInvocationVisibleAfterMs = 500;
  try {
    const id = await send([media.instanceId], ['true']);
    await assert.rejects(ssm.send(new GetCommandInvocationCommand({ CommandId: id, InstanceId: media.instanceId })), (e: Error) => e.name === 'InvocationDoesNotExist');
    // ListCommandInvocations: no invocation listed yet either
    assert.deepEqual((await ssm.send(new ListCommandInvocationsCommand({ CommandId: id, Details: true }))).CommandInvocations, []);
    advance(3_000);
    const inv = await ssm.send(new GetCommandInvocationCommand({ CommandId: id, InstanceId: media.instanceId }));
    assert.equal(inv.Status, 'Success');
  } finally {
    emu.world.settings.ssmInvocationVisibleAfterMs = undefined;
  }
});

// API reference, DescribeInstanceInformation: "If you specify a node ID that isn't valid or a node that you don't own,
// you receive an error" (InvalidInstanceId) for the legacy InstanceInformationFilterList; Filters leaves them out.
test('DescribeInstanceInformation: an unmanaged id is left out with Filters, InvalidInstanceId with the legacy filter list', async () => {
  const media = launch('media', true);
  const master = launch('master', false);
  await ssm.send(new DescribeInstanceInformationCommand({}));
  const filtered = await ssm.send(new DescribeInstanceInformationCommand({ Filters: [{ Key: 'InstanceIds', Values: [media.instanceId, master.instanceId] }] }));
  assert.deepEqual(filtered.InstanceInformationList!.map((i) => i.InstanceId), [media.instanceId]);
  await assert.rejects(
    ssm.send(new DescribeInstanceInformationCommand({ InstanceInformationFilterList: [{ key: 'InstanceIds', valueSet: [media.instanceId, master.instanceId] }] })),
    (e: Error) => e.name === 'InvalidInstanceId' && e.message.includes(master.instanceId) && !e.message.includes(media.instanceId),
  );
  const legacy = await ssm.send(new DescribeInstanceInformationCommand({ InstanceInformationFilterList: [{ key: 'InstanceIds', valueSet: [media.instanceId] }] }));
  assert.equal(legacy.InstanceInformationList!.length, 1);
});

// Eventual consistency of the inventory: the agent registers after the OS boots (settings.ssmRegistrationDelayMs).
test('a new instance is missing from DescribeInstanceInformation until its agent registers (switch on)', async () => {
  emu.world.settings.ssmRegistrationDelayMs = 30_000;
  try {
    const media = launch('media', true);
    const ask = () => ssm.send(new DescribeInstanceInformationCommand({ Filters: [{ Key: 'InstanceIds', Values: [media.instanceId] }] }));
    assert.equal((await ask()).InstanceInformationList!.length, 0);
    advance(31_000);
    assert.equal((await ask()).InstanceInformationList![0].PingStatus, 'Online');
  } finally {
    emu.world.settings.ssmRegistrationDelayMs = undefined;
  }
});

test('SendCommand with Targets (tag) runs on the managed instances that match; ls, test and command -v answer', async () => {
  const a = launch('media', true, { name: 'stack-x - OpenVidu HA - Media Node' });
  const b = launch('media', true, { name: 'stack-x - OpenVidu HA - Media Node' });
  launch('master', false, { name: 'stack-x - OpenVidu HA - Media Node' });
  launch('media', true, { name: 'other' });
  const r = await ssm.send(
    new SendCommandCommand({
      Targets: [{ Key: 'tag:Name', Values: ['stack-x - OpenVidu HA - Media Node'] }],
      DocumentName: 'AWS-RunShellScript',
      Parameters: { commands: ['ls /opt/openvidu', '[ -f /var/log/stop_media_node.log ] || echo "no drain log"', 'test -d /opt/openvidu/config && command -v docker'] },
    }),
  );
  assert.equal(r.Command?.TargetCount, 2);
  advance(3_000);
  for (const inst of [a, b]) {
    const inv: GetCommandInvocationCommandOutput = await ssm.send(new GetCommandInvocationCommand({ CommandId: r.Command!.CommandId, InstanceId: inst.instanceId }));
    assert.equal(inv.Status, 'Success');
    assert.equal(inv.StandardOutputContent, 'config\ndeployment-info.yaml\ndocker-compose.yaml\nno drain log\n/usr/bin/docker\n');
  }
});

test('an instance without an OpenVidu node answers as a plain Ubuntu host', async () => {
  const plain = launchInstance(emu.world, REGION, { subnetId: subnetId(), instanceType: 't3.micro', tags: {}, ssmRegistered: true, bootSeconds: 0 });
  const inv = await run(plain, ['echo hello', 'hostname', 'systemctl is-active openvidu || true', 'cd /opt/openvidu']);
  assert.equal(inv.Status, 'Failed');
  assert.equal(inv.StandardOutputContent, `hello\nip-${plain.privateIpAddress.replace(/\./g, '-')}\ninactive\n`);
  assert.match(inv.StandardErrorContent!, /cd: \/opt\/openvidu: No such file or directory/);
});

test('a media node draining in the ASG lifecycle hook writes /var/log/stop_media_node.log', async () => {
  const asg = createAsg(emu.world, REGION, {
    name: 'openvidu-ha-media-asg-eu-west-1-drain',
    minSize: 1,
    maxSize: 1,
    desiredCapacity: 1,
    subnetIds: [subnetId()],
    instanceType: 'c7i.xlarge',
    tags: { Name: 'drain - OpenVidu HA - Media Node' },
    drainSeconds: 3600,
    launchSeconds: 0,
    nodeKind: 'media',
  });
  advance(120_000);
  await ssm.send(new DescribeInstanceInformationCommand({}));
  const media = emu.world.region(REGION).instances.get(asg.instances[0].instanceId)!;
  const before = await run(media, ['tail -n 5 /var/log/stop_media_node.log 2>&1']);
  assert.match(before.StandardOutputContent!, /cannot open '\/var\/log\/stop_media_node.log' for reading: No such file or directory/);
  updateAsgCapacity(emu.world, asg, { minSize: 0, maxSize: 0, desiredCapacity: 0 });
  await ssm.send(new DescribeInstanceInformationCommand({}));
  advance(5 * 60_000);
  const during = await run(media, ['cat /var/log/stop_media_node.log']);
  assert.match(during.StandardOutputContent!, /Lifecycle hook received: autoscaling:EC2_INSTANCE_TERMINATING/);
  assert.match(during.StandardOutputContent!, /active room\(s\) on this node, waiting\.\.\./);
});

test('configureSimNode reshapes a node for an older template (promtail, no Meet); /_sim control routes change services', async () => {
  const master = launch('master', true);
  configureSimNode(master.node!, { version: '3.3.0' });
  const media = launch('media', true);
  advance(3_600_000);
  const ps = await run(master, ['cd /opt/openvidu && docker compose ps --format "{{.Service}}"', 'grep version /opt/openvidu/deployment-info.yaml']);
  const out = ps.StandardOutputContent!;
  assert.ok(out.includes('promtail\n') && !out.includes('alloy\n') && !out.includes('openvidu-meet\n'), out);
  assert.match(out, /version: 3\.3\.0/);

  const post = (path: string, body: unknown) => fetch(`${emu.endpoint}${path}`, { method: 'POST', body: JSON.stringify(body) });
  assert.equal((await post(`/_sim/nodes/${media.instanceId}/services/egress`, { state: 'running', health: 'unhealthy' })).status, 200);
  assert.equal((await post(`/_sim/nodes/${media.instanceId}/services`, { name: 'agent-speech-processing', labels: { 'openvidu-agent': 'true' } })).status, 200);
  assert.equal((await post(`/_sim/nodes/${media.instanceId}/services/nope`, { state: 'exited' })).status, 404);
  assert.equal((await post(`/_sim/nodes/${master.instanceId}/node-errors`, { text: 'Media node 10.0.2.17 failed to start: license check failed' })).status, 200);
  const info = (await (await fetch(`${emu.endpoint}/_sim/nodes/${media.instanceId}`)).json()) as { services: { name: string; health: string }[] };
  assert.equal(info.services.find((x) => x.name === 'egress')?.health, 'unhealthy');
  advance(30_000);
  const st = await run(media, ['cd /opt/openvidu && docker compose ps --format "{{.Service}} {{.Health}}" egress agent-speech-processing']);
  assert.equal(st.StandardOutputContent, 'agent-speech-processing \negress unhealthy\n');
  const errs = await run(master, ['cat /var/log/openvidu/nodes_errors.log']);
  assert.match(errs.StandardOutputContent!, /^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\] Media node 10\.0\.2\.17 failed to start/);
});

test('variables and command substitution: $(…), ${X:-default}, $?, subshell cd does not leak', async () => {
  const media = launch('media', true);
  advance(3_600_000);
  const inv = await run(media, [
    'n=$(cd /opt/openvidu && docker compose ps -q | wc -l)',
    'echo "containers=$n host=$(hostname) missing=${NOPE:-none}"',
    'false || echo "status=$?"',
    "echo '$n stays literal in single quotes'",
    'pwd',
  ]);
  const lines = inv.StandardOutputContent!.split('\n');
  assert.equal(lines[0], `containers=6 host=ip-${media.privateIpAddress.replace(/\./g, '-')} missing=none`);
  assert.equal(lines[1], 'status=1');
  assert.equal(lines[2], '$n stays literal in single quotes');
  assert.match(lines[3], /^\/var\/lib\/amazon\/ssm\/i-[0-9a-f]+\/document\/orchestration\/[0-9a-f-]+\/awsrunShellScript\/0\.awsrunShellScript$/);
});

test('a node still installing (installSeconds): docker not found, no /opt/openvidu, no openvidu unit; then it appears', async () => {
  const media = launch('media', true);
  configureSimNode(media.node!, { installSeconds: 300 });
  advance(60_000);
  const early = await run(media, ['systemctl is-active openvidu; systemctl status openvidu; echo "rc=$?"', 'ls /opt', 'docker compose ps || true', 'tail -n 1 /var/log/cloud-init-output.log']);
  const out = early.StandardOutputContent!;
  assert.match(out, /^inactive\nrc=4\n/);
  assert.match(early.StandardErrorContent!, /Unit openvidu\.service could not be found\./);
  assert.match(early.StandardErrorContent!, /docker: command not found/);
  assert.doesNotMatch(out, /openvidu\n/);
  assert.doesNotMatch(out, /finished at/);
  advance(300_000);
  const later = await run(media, ['systemctl is-active openvidu', 'cd /opt/openvidu && docker compose ps --format "{{.Service}}" | wc -l', 'tail -n 1 /var/log/cloud-init-output.log']);
  assert.match(later.StandardOutputContent!, /^active\n6\nCloud-init v\. .* finished at /);
});

test('text tools in pipelines: cut, sort, uniq -c, awk print, wc -l < file', async () => {
  const master = launch('master', true);
  advance(3_600_000);
  const inv = await run(master, [
    "cd /opt/openvidu && docker compose ps -a --format '{{.Service}}|{{.State}}' | cut -d '|' -f 2 | sort | uniq -c",
    "docker compose ps --format '{{.Service}} {{.Health}}' | awk '{print $2}' | grep -c healthy",
    'wc -l < /opt/openvidu/deployment-info.yaml',
  ]);
  assert.equal(inv.StandardOutputContent, '      1 exited\n     12 running\n5\n12\n');
});

test('redirections write files on the node; set -euo pipefail; a bad script never breaks the emulator', async () => {
  const media = launch('media', true);
  const w = await run(media, ['echo first > /tmp/probe.txt', 'echo second >> /tmp/probe.txt', 'cat /tmp/probe.txt', 'echo x > /nope/dir/file || echo "write failed"']);
  assert.equal(w.StandardOutputContent, 'first\nsecond\nwrite failed\n');
  assert.match(w.StandardErrorContent!, /\/nope\/dir\/file: No such file or directory/);
  const again = await run(media, ['cat /tmp/probe.txt']);
  assert.equal(again.StandardOutputContent, 'first\nsecond\n', 'files persist between commands');
  const pf = await run(media, ['set -euo pipefail', 'false | true', 'echo unreachable']);
  assert.equal(pf.ResponseCode, 1);
  assert.equal(pf.StandardOutputContent, '');
  const bad = await run(media, ["echo 'unterminated"]);
  assert.equal(bad.ResponseCode, 2);
  assert.match(bad.StandardErrorContent!, /unexpected EOF while looking for matching/);
  const info = await ssm.send(new DescribeInstanceInformationCommand({}));
  assert.ok(info.InstanceInformationList!.length >= 1, 'the emulator still answers');
});
