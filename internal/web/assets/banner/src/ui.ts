// DOM helpers: elements are built with h(), never from HTML strings, and
// styled by one constructable stylesheet adopted by each shadow root, so the
// banner needs neither 'unsafe-inline' styles nor style attributes.

import { d } from './config';

declare const __CHARTE_CSS__: string;

type Attrs = Record<string, string | number | boolean | undefined>;

/** h returns a new element; false and undefined attributes are left out, true is "true". */
export function h(tag: string, attrs: Attrs = {}, ...children: (Node | string)[]) {
  const e = d.createElement(tag);
  for (const k in attrs) if (attrs[k] !== false && attrs[k] != null) e.setAttribute(k, attrs[k] as string);
  e.append(...children);
  return e;
}

const sheet = new CSSStyleSheet();
sheet.replaceSync(__CHARTE_CSS__);

/** mount gives host an open shadow root styled by the banner's sheet. */
export function mount(host: HTMLElement, click: (e: Event) => void) {
  const root = host.attachShadow({ mode: 'open' });
  root.adoptedStyleSheets = [sheet];
  root.addEventListener('click', click);
  return root;
}

/** fill replaces %s in a text. */
export const fill = (s: string, v: string) => s.replace('%s', v);
