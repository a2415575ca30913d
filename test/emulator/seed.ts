/**
 * The simulated account's contents. `seedAccount` builds the base account (regions, VPCs, subnets, key pairs,
 * certificates, instance type offerings); `seedDemo` adds the demo OpenVidu stacks used by the sandbox.
 */
import { World } from './world';

export function seedAccount(world: World): void {
  void world;
}

export function seedDemo(world: World): void {
  void world;
}
