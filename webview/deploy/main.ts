/**
 * The deploy wizard's webview (deploy and update modes): the entry point and router. It talks to the extension
 * host only through the messages of src/protocol/deployForm.ts (rpc.ts), validates as the user types with the
 * same validation module the host runs before CreateStack (issues.ts), and keeps its draft in the webview state
 * WITHOUT NoEcho values (state.ts). One view per step in views/; this file picks the view for the current step.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-form-group/index.js';
import '@vscode-elements/elements/dist/vscode-form-helper/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-multi-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode/codicons/dist/codicon.css';
import './style.css';
import { append, clear, h } from './dom';
import { refreshFactFields } from './controls';
import { start } from './load';
import { onProgressPush } from './rpc';
import { app, st, view } from './state';
import { renderForm } from './views/deployForm';
import { onProgress, renderProgress } from './views/progress';
import { renderReview } from './views/review';
import { renderUpdateForm } from './views/updateForm';
import { renderUpdateReview } from './views/updateReview';

function render(): void {
  clear(app);
  if (st.banner) append(app, h('div', { class: `banner ${st.banner.kind}`, attrs: { role: st.banner.kind === 'error' ? 'alert' : 'status' } }, st.banner.text));
  if (st.step === 'progress') return renderProgress();
  if (st.step === 'review' && st.updateReview) return renderUpdateReview(st.updateReview);
  if (st.step === 'review' && st.review) return renderReview(st.review);
  if (st.update) return renderUpdateForm(st.update);
  renderForm();
}

view.render = render;
view.refreshFactFields = refreshFactFields;
onProgressPush(onProgress);

render();
void start();
