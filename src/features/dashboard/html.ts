/**
 * The dashboard panel's HTML shell: strict CSP (nothing by default; the script by nonce; styles only from the
 * extension's dist/webview; no 'unsafe-eval', no 'unsafe-inline'). Everything visible is built by
 * webview/dashboard/main.ts with DOM APIs. No `vscode` import.
 */
import { randomInt } from 'node:crypto';

export function dashboardNonce(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < 32; i++) s += chars[randomInt(chars.length)];
  return s;
}

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function dashboardCsp(cspSource: string, nonce: string): string {
  return ["default-src 'none'", `style-src ${cspSource}`, `font-src ${cspSource}`, `script-src 'nonce-${nonce}'`, "form-action 'none'", "base-uri 'none'"].join('; ');
}

export function renderDashboardHtml(o: { cspSource: string; nonce: string; scriptUri: string; styleUri: string; title: string }): string {
  if (!/^[A-Za-z0-9]{16,}$/.test(o.nonce)) throw new Error('The nonce must be 16+ alphanumeric characters.');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(dashboardCsp(o.cspSource, o.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(o.styleUri)}">
<title>${attr(o.title)}</title>
</head>
<body>
<main id="app" aria-live="polite"><p>Loading the dashboard…</p></main>
<script type="module" nonce="${o.nonce}" src="${attr(o.scriptUri)}"></script>
</body>
</html>
`;
}
