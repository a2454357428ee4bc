// DOM helpers: elements are built with element(), never from HTML strings,
// and styled by one constructable stylesheet adopted by each shadow root, so
// the banner needs neither 'unsafe-inline' styles nor style attributes.

import { config, doc } from './config';

declare const __CHARTE_CSS__: string;

type Attrs = Record<string, string | number | boolean | undefined>;

/** element returns a new element; false and undefined attributes are left out, true is "true". */
export function element(tag: string, attrs: Attrs = {}, ...children: (Node | string)[]) {
  const created = doc.createElement(tag);
  for (const name in attrs) {
    const value = attrs[name];
    if (value !== false && value != null) created.setAttribute(name, String(value));
  }
  created.append(...children);
  return created;
}

/** sheet builds a constructable stylesheet. */
export function sheet(css: string) {
  const built = new CSSStyleSheet();
  built.replaceSync(css);
  return built;
}

/** sheets are the banner's and, after it, the site's theme. */
export const sheets = [sheet(__CHARTE_CSS__), sheet(config.theme_css || '')];

/** mount gives host an open shadow root styled by the banner's sheets. */
export function mount(host: HTMLElement, click: (event: Event) => void) {
  const root = host.attachShadow({ mode: 'open' });
  root.adoptedStyleSheets = sheets;
  root.addEventListener('click', click);
  return root;
}

/** fill replaces %s in a text. */
export const fill = (text: string, value: string) => text.replace('%s', value);
