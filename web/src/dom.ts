/** Building the page from elements, never from HTML text: whatever the API says is shown as text. */
type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | EventListener | undefined>;

export const h = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] => {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.slice(2).toLowerCase(), value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  append(el, ...children);
  return el;
};

export const append = (el: Element, ...children: Child[]): void => {
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(typeof c === 'number' ? String(c) : c);
};

export const replace = (el: Element, ...children: Child[]): void => {
  el.replaceChildren();
  append(el, ...children);
};

/** A table from rows; `head` names the columns. */
export const table = (head: readonly string[], rows: readonly Child[][], attrs: Attrs = {}): HTMLTableElement =>
  h('table', attrs, h('thead', {}, h('tr', {}, ...head.map((c) => h('th', { scope: 'col' }, c)))), h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c) => h('td', {}, c))))));

/** What a page shows when its data does not exist yet, naming what produces it. */
export const emptyState = (title: string, producer: string): HTMLElement =>
  h('div', { class: 'empty', role: 'status' }, h('strong', {}, title), h('p', {}, producer));

export const errorBox = (message: string): HTMLElement => h('div', { class: 'error', role: 'alert' }, message);
