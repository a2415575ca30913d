import type { ExplorerNode } from '../../explorer';
import { envLines, envValues, presetById } from '../../../openvidu/credentials';
import { quoteDotenvValue } from '../../../openvidu/dotenv';
import type { CredentialsFeature, StackRef } from '../feature';
import { loadReadyCredentials } from '../loadCredentials';
import { pickAndCopy } from '../copyChoice';

/** LiveKit SDK credentials: URL (wss / https), API key, API secret, or all three as .env lines. */
export async function copyLiveKitCredentials(feature: CredentialsFeature, node?: ExplorerNode | StackRef): Promise<void> {
  const stack = await feature.resolveStack(node, 'Copy LiveKit credentials of…');
  if (!stack) return;
  const creds = await loadReadyCredentials(feature, stack);
  const lk = creds?.livekit;
  if (!creds || !lk) return;
  await pickAndCopy(feature, stack, `LiveKit credentials of ${stack.summary.stackName}`, [
    { label: 'LiveKit URL (wss://)', visible: lk.url, what: 'the LiveKit URL (wss://)', value: lk.url, secret: false },
    { label: 'LiveKit URL (https://)', visible: lk.httpsUrl, what: 'the LiveKit URL (https://)', value: lk.httpsUrl, secret: false },
    { label: 'API key', what: 'the LiveKit API key', value: lk.apiKey, secret: true },
    { label: 'API secret', what: 'the LiveKit API secret', value: lk.apiSecret, secret: true },
    {
      label: 'All three as .env lines',
      what: 'LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET as .env lines',
      value: envLines(envValues(creds, presetById('livekit')!.mapping), quoteDotenvValue),
      secret: true,
    },
  ]);
}
