/**
 * The explorer's context menu as VS Code computes it from package.json: `contributes.menus["view/item/context"]`
 * entries whose `when` clause holds for a row's context value. Only the clause forms the manifest uses are
 * understood (`view == X`, `viewItem == X`, `viewItem =~ /re/`, joined by `&&`); anything else throws, so a new
 * form cannot silently count as true.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface MenuEntry {
  command: string;
  when?: string;
  group?: string;
}

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { contributes: { menus: Record<string, MenuEntry[]> } };

function holds(when: string, view: string, viewItem: string): boolean {
  return when.split('&&').every((raw) => {
    const term = raw.trim();
    let m = /^view == (\S+)$/.exec(term);
    if (m) return m[1] === view;
    m = /^viewItem == (\S+)$/.exec(term);
    if (m) return m[1] === viewItem;
    m = /^viewItem =~ \/(.*)\/([a-z]*)$/.exec(term);
    if (m) return new RegExp(m[1], m[2]).test(viewItem);
    throw new Error(`menus.ts does not understand the when clause term "${term}"`);
  });
}

/** Command ids (without the `openviduHa.` prefix) the row's context menu offers, inline or not. */
export function offeredCommands(contextValue: string | undefined, view = 'openviduHa.explorer'): Set<string> {
  const out = new Set<string>();
  for (const e of manifest.contributes.menus['view/item/context'] ?? []) {
    if (holds(e.when ?? '', view, contextValue ?? '')) out.add(e.command.replace(/^openviduHa\./, ''));
  }
  return out;
}
