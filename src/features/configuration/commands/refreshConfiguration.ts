import type { ConfigTreeProvider } from '../configTree';

/** Reloads the configuration view (masters and listings are read again when expanded). */
export function refreshConfiguration(tree: ConfigTreeProvider): void {
  tree.refresh();
}
