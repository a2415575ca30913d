import type { ExplorerNode } from '../../explorer';
import { envLines, envValues, presetById } from '../../../openvidu/credentials';
import { quoteDotenvValue } from '../../../openvidu/dotenv';
import type { CredentialsFeature, StackRef } from '../feature';
import { loadReadyCredentials } from '../loadCredentials';
import { pickAndCopy } from '../copyChoice';

/** OpenVidu v2 compatibility credentials: URL, username OPENVIDUAPP, password, or all as .env lines. */
export async function copyOpenViduV2Credentials(feature: CredentialsFeature, node?: ExplorerNode | StackRef): Promise<void> {
  const stack = await feature.resolveStack(node, 'Copy OpenVidu v2 credentials of…');
  if (!stack) return;
  const creds = await loadReadyCredentials(feature, stack);
  const v2 = creds?.openviduV2;
  if (!creds || !v2) return;
  await pickAndCopy(feature, stack, `OpenVidu v2 credentials of ${stack.summary.stackName}`, [
    { label: 'OpenVidu URL', visible: v2.url, what: 'the OpenVidu v2 URL', value: v2.url, secret: false },
    { label: 'Username', visible: v2.username, what: 'the OpenVidu v2 username', value: v2.username, secret: false },
    { label: 'Password (OPENVIDU_SECRET)', what: 'the OpenVidu v2 password', value: v2.password, secret: true },
    {
      label: 'All as .env lines',
      what: 'OPENVIDU_URL and OPENVIDU_SECRET as .env lines',
      value: envLines(envValues(creds, presetById('openviduV2')!.mapping), quoteDotenvValue),
      secret: true,
    },
  ]);
}
