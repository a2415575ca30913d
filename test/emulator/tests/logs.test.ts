/** CloudWatch Logs against the emulator through the real @aws-sdk/client-cloudwatch-logs. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  FilteredLogEvent,
  GetLogEventsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import { startEmulator, Emulator } from '../server';
import { appendLogEvents, createLogGroup } from '../services/logs';
import { clientConfig } from '../clientConfig';

const REGION = 'eu-west-1';
const LAMBDA_GROUP = '/aws/lambda/SubnetProcessor-eu-west-1-demo';
const T0 = Date.parse('2026-11-24T08:00:00Z');
let emu: Emulator;
let cwl: CloudWatchLogsClient;

before(async () => {
  emu = await startEmulator({ start: Date.parse('2026-11-24T10:00:00Z') });
  cwl = new CloudWatchLogsClient(clientConfig(emu, REGION));
  const r = emu.world.region(REGION);
  const g = createLogGroup(emu.world, r, LAMBDA_GROUP, 7);
  // two Lambda invocations' streams, interleaved in time: 30 events each, one every 10 s, offset by 5 s
  for (const [k, stream] of ['2026/11/24/[$LATEST]aaaa1111', '2026/11/24/[$LATEST]bbbb2222'].entries()) {
    appendLogEvents(
      emu.world,
      g,
      stream,
      Array.from({ length: 30 }, (_, i) => ({
        timestamp: T0 + k * 5_000 + i * 10_000,
        message: i % 10 === 0 ? `ERROR subnet processing failed for subnet-0${k}${i}` : `INFO processed subnet-0${k}${i} (stream ${k}, event ${i})`,
      })),
    );
  }
  for (let i = 0; i < 4; i++) createLogGroup(emu.world, r, `/aws/other/group-${i}`);
});
after(async () => {
  cwl.destroy();
  await emu.stop();
});

test('DescribeLogGroups: prefix and pagination', async () => {
  const p = await cwl.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/lambda/' }));
  assert.deepEqual(p.logGroups?.map((g) => g.logGroupName), [LAMBDA_GROUP]);
  const g = p.logGroups![0];
  assert.equal(g.retentionInDays, 7);
  assert.equal(typeof g.creationTime, 'number');
  assert.match(g.arn!, /^arn:aws:logs:eu-west-1:123456789012:log-group:\/aws\/lambda\/SubnetProcessor-eu-west-1-demo:\*$/);
  const names: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const r = await cwl.send(new DescribeLogGroupsCommand({ limit: 2, nextToken: token }));
    names.push(...(r.logGroups ?? []).map((x) => x.logGroupName!));
    token = r.nextToken;
    pages++;
  } while (token);
  assert.equal(pages, 3);
  assert.equal(names.length, 5);
  assert.deepEqual(names, [...names].sort());
});

test('DescribeLogStreams: streams with first/last event times, ordered by last event', async () => {
  const r = await cwl.send(new DescribeLogStreamsCommand({ logGroupName: LAMBDA_GROUP, orderBy: 'LastEventTime', descending: true }));
  assert.deepEqual(r.logStreams?.map((s) => s.logStreamName), ['2026/11/24/[$LATEST]bbbb2222', '2026/11/24/[$LATEST]aaaa1111']);
  assert.equal(r.logStreams![1].firstEventTimestamp, T0);
  assert.equal(r.logStreams![1].lastEventTimestamp, T0 + 290_000);
  await assert.rejects(
    cwl.send(new DescribeLogStreamsCommand({ logGroupName: LAMBDA_GROUP, orderBy: 'LastEventTime', logStreamNamePrefix: '2026' })),
    (e: Error) => e.name === 'InvalidParameterException',
  );
  await assert.rejects(cwl.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/lambda/nope' })), (e: Error) => {
    assert.ok(e instanceof ResourceNotFoundException);
    assert.equal(e.message, 'The specified log group does not exist.');
    return true;
  });
});

test('FilterLogEvents: interleaved streams, time window, pattern, nextToken pagination', async () => {
  const all: FilteredLogEvent[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const r = await cwl.send(new FilterLogEventsCommand({ logGroupName: LAMBDA_GROUP, limit: 25, nextToken: token, interleaved: true }));
    all.push(...(r.events ?? []));
    token = r.nextToken;
    pages++;
  } while (token);
  assert.equal(pages, 3);
  assert.equal(all.length, 60);
  assert.equal(new Set(all.map((e) => e.eventId)).size, 60, 'no event twice across pages');
  for (let i = 1; i < all.length; i++) assert.ok(all[i].timestamp! >= all[i - 1].timestamp!, 'time-ordered across streams');
  assert.notEqual(all[0].logStreamName, all[1].logStreamName, 'interleaved');

  const window = await cwl.send(new FilterLogEventsCommand({ logGroupName: LAMBDA_GROUP, startTime: T0 + 100_000, endTime: T0 + 149_999 }));
  assert.equal(window.events?.length, 10);
  const errors = await cwl.send(new FilterLogEventsCommand({ logGroupName: LAMBDA_GROUP, filterPattern: 'ERROR' }));
  assert.equal(errors.events?.length, 6);
  assert.ok(errors.events!.every((e) => e.message!.startsWith('ERROR')));
  const phrase = await cwl.send(new FilterLogEventsCommand({ logGroupName: LAMBDA_GROUP, filterPattern: '"stream 1, event 3)"' }));
  assert.equal(phrase.events?.length, 1);
  const oneStream = await cwl.send(new FilterLogEventsCommand({ logGroupName: LAMBDA_GROUP, logStreamNames: ['2026/11/24/[$LATEST]aaaa1111'], filterPattern: 'INFO' }));
  assert.equal(oneStream.events?.length, 27);
  await assert.rejects(cwl.send(new FilterLogEventsCommand({ logGroupName: '/nope' })), (e: Error) => e.name === 'ResourceNotFoundException');
});

test('GetLogEvents: tail by default, startFromHead, forward/backward tokens, end of stream repeats the token', async () => {
  const stream = '2026/11/24/[$LATEST]aaaa1111';
  const tail = await cwl.send(new GetLogEventsCommand({ logGroupName: LAMBDA_GROUP, logStreamName: stream, limit: 10 }));
  assert.equal(tail.events?.length, 10);
  assert.equal(tail.events![9].timestamp, T0 + 290_000, 'without startFromHead: the newest events');
  const older = await cwl.send(new GetLogEventsCommand({ logGroupName: LAMBDA_GROUP, logStreamName: stream, limit: 10, nextToken: tail.nextBackwardToken }));
  assert.equal(older.events![9].timestamp, T0 + 190_000);

  const head = await cwl.send(new GetLogEventsCommand({ logGroupName: LAMBDA_GROUP, logStreamName: stream, limit: 20, startFromHead: true }));
  assert.equal(head.events![0].timestamp, T0);
  const rest = await cwl.send(new GetLogEventsCommand({ logGroupName: LAMBDA_GROUP, logStreamName: stream, limit: 20, nextToken: head.nextForwardToken }));
  assert.equal(rest.events?.length, 10);
  const end = await cwl.send(new GetLogEventsCommand({ logGroupName: LAMBDA_GROUP, logStreamName: stream, limit: 20, nextToken: rest.nextForwardToken }));
  assert.equal(end.events?.length, 0);
  assert.equal(end.nextForwardToken, rest.nextForwardToken, 'same token back: the end of the stream');

  await assert.rejects(cwl.send(new GetLogEventsCommand({ logGroupName: LAMBDA_GROUP, logStreamName: 'nope' })), (e: Error) => {
    assert.equal(e.name, 'ResourceNotFoundException');
    assert.equal(e.message, 'The specified log stream does not exist.');
    return true;
  });
});
