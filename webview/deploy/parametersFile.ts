/** Parameters files: export the draft (NoEcho values left out by the host) and import one into the form. */
import { STACK_NAME_FIELD, isValidStackName } from '../../src/openvidu/validation';
import { currentVpc, loadFacts } from './load';
import { request } from './rpc';
import { fullDraft, persist, render, st } from './state';

export async function exportParameters(): Promise<void> {
  if (!st.spec) return;
  // The host refuses a draft whose stack name is not a CloudFormation stack name (it names the file).
  const name = st.draft.stackName.trim();
  if (name && !isValidStackName(name)) {
    st.banner = { kind: 'error', text: `Fix ${STACK_NAME_FIELD} before exporting: it must start with a letter and contain only letters, digits and hyphens (at most 128).` };
    render();
    return;
  }
  const r = await request({ type: 'exportParameters', draft: fullDraft() });
  if (r.type === 'exportResult' || r.type === 'error') {
    st.banner = { kind: r.type === 'error' ? 'error' : r.ok ? 'info' : 'warning', text: r.message };
    render();
  }
}

export async function importParameters(): Promise<void> {
  if (!st.spec) return;
  const r = await request({ type: 'importParameters', version: st.draft.version });
  if (r.type === 'importResult') {
    if (r.ok && r.values) {
      const vpcBefore = currentVpc();
      Object.assign(st.draft.values, r.values);
      for (const k of Object.keys(r.values)) st.touched.add(k);
      persist();
      if (currentVpc() !== vpcBefore) void loadFacts();
    }
    st.banner = { kind: r.ok ? 'info' : 'warning', text: r.message };
    render();
  } else if (r.type === 'error') {
    st.banner = { kind: 'error', text: r.message };
    render();
  }
}
