/**
 * The common set-up of glue tests: an emulator, the fake vscode module pointed at it (endpoint, region,
 * credentials from the environment) and an AppContext, plus small helpers to reach tree nodes and to make
 * simulated time run while a command waits.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startEmulator, Emulator, EmulatorOptions } from '../emulator/server';
import { AppContext } from '../../src/features/shared/appContext';
import { ClusterTreeProvider } from '../../src/features/explorer/clusterTreeProvider';
import type { StackNode } from '../../src/features/explorer/treeNodes';

export const fake = vscode as unknown as typeof import('../fakes/vscode');

export interface Testbed {
  emu: Emulator;
  app: AppContext;
  stop(): Promise<void>;
}

export async function startTestbed(options: EmulatorOptions = {}): Promise<Testbed> {
  process.env.AWS_ACCESS_KEY_ID = 'AKIATESTEMULATOR';
  process.env.AWS_SECRET_ACCESS_KEY = 'test-secret';
  const emu = await startEmulator(options);
  fake.resetFake();
  fake.setSetting('openviduHa.endpoint', emu.endpoint);
  fake.setSetting('openviduHa.regions', ['eu-west-1']);
  const app = new AppContext({} as never);
  return {
    emu,
    app,
    async stop() {
      app.dispose();
      await emu.stop();
    },
  };
}

/** The stack node named `name` in the first region, loaded. */
export async function stackNode(p: ClusterTreeProvider, name: string): Promise<StackNode> {
  const region = (await p.getChildren())[0];
  const s = (await p.getChildren(region)).find((x) => x.kind === 'stack' && x.summary.stackName === name);
  assert.ok(s && s.kind === 'stack', `stack ${name}`);
  await p.getChildren(s);
  return s;
}

/** Simulated time runs fast while a command waits in real time: `stepMs` every 20 ms. Returns the stopper. */
export function fastClock(emu: Emulator, stepMs = 120_000): () => void {
  const t = setInterval(() => emu.clock.advance(stepMs), 20);
  return () => clearInterval(t);
}

/** Runs `fn` with a fast simulated clock. */
export async function withFastClock<T>(emu: Emulator, fn: () => Promise<T>, stepMs?: number): Promise<T> {
  const stop = fastClock(emu, stepMs);
  try {
    return await fn();
  } finally {
    stop();
  }
}
