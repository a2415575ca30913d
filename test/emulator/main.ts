/**
 * Starts the emulator standalone with the demo world: `npm run emulator [-- --port 4599 --speed 30]`.
 * Prints the endpoint; Ctrl-C stops it.
 */
import { startEmulator } from './server';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const port = Number(arg('port') ?? process.env.OPENVIDU_EMULATOR_PORT ?? 4599);
const speed = Number(arg('speed') ?? 1);
async function main(): Promise<void> {
const emulator = await startEmulator({ port, speed, demo: true, seed: Number(arg('seed') ?? 42), clusterUrlsInSecret: true });
console.log(`AWS emulator listening on ${emulator.endpoint}`);
// Each cluster's LiveKit / OpenVidu API answers at an address of its own (its secret's URLs point there, as the
// demo domains do not resolve); clusters deployed later are printed when they install.
const printAddress = (a: { region: string; stackName: string; url: string }) => console.log(`  cluster ${a.stackName} (${a.region}): LiveKit and OpenVidu API at ${a.url}`);
for (const a of emulator.clusters.list()) printAddress(a);
emulator.clusters.onAddress = printAddress;
console.log(`  use it with: AWS_ENDPOINT_URL=${emulator.endpoint} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=eu-west-1`);
console.log('  Ctrl-C to stop.');
const stop = async () => {
  await emulator.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
}

void main();
