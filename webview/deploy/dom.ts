/**
 * Tiny DOM helpers for the deploy webview: elements are built with properties, attributes and textContent,
 * never with innerHTML, so data from AWS or the template can never become markup.
 */
export type Child = Node | string | null | undefined | false;

export interface Props {
  class?: string;
  id?: string;
  /** attributes (string values; `true` for a boolean attribute; false/undefined to omit) */
  attrs?: Record<string, string | boolean | undefined>;
  /** element properties (value, checked, …) */
  props?: Record<string, unknown>;
  on?: Record<string, (e: Event) => void>;
  text?: string;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, p?: Props, ...children: Child[]): HTMLElementTagNameMap[K];
export function h(tag: string, p?: Props, ...children: Child[]): HTMLElement;
export function h(tag: string, p: Props = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  if (p.class) el.className = p.class;
  if (p.id) el.id = p.id;
  for (const [k, v] of Object.entries(p.attrs ?? {})) {
    if (v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? '' : v);
  }
  for (const [k, v] of Object.entries(p.props ?? {})) (el as unknown as Record<string, unknown>)[k] = v;
  for (const [k, fn] of Object.entries(p.on ?? {})) el.addEventListener(k, fn);
  if (p.text !== undefined) el.textContent = p.text;
  append(el, ...children);
  return el;
}

export function append(el: Element, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

/** A codicon as a span (the codicons stylesheet is loaded by the page). */
export function icon(name: string, extra = ''): HTMLElement {
  return h('span', { class: `codicon codicon-${name}${extra ? ` ${extra}` : ''}`, attrs: { 'aria-hidden': 'true' } });
}
