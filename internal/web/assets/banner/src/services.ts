// The services a charter names, added after charte.js's main code when it
// names any (internal/web/banner.go): each service's official tag loads
// once its category is granted, with the loader the server put before this
// module in the same closure; and the placeholder of a blocked iframe of a
// named service says which service and provider it is, with a link to the
// content on the provider's site.
//
// It works through window.charte, as a site's own script would: it waits
// for nothing charte.js does not publish, so charte.js carries none of it.

import type { Loaders, Service, ServicesConfig } from './service';

declare const __CHARTE_CONFIG__: ServicesConfig;
declare const __CHARTE_SERVICES_CSS__: string;
declare const __charteLoaders: Loaders;

const config = __CHARTE_CONFIG__,
  win = window as unknown as Record<string, any>,
  doc = document,
  /** loaded are the ids of the services whose tag is in the page. */
  loaded = new Set<string>(),
  self = doc.currentScript as HTMLScriptElement | null,
  pageLang = doc.documentElement.lang.split('-')[0].toLowerCase(),
  lang = config.texts[pageLang] ? pageLang : config.default_lang,
  texts = config.texts[lang]!;

/** add puts an async script in the head, with charte.js's nonce and attrs. */
function add(src: string, attrs: Record<string, string> = {}) {
  const script = doc.createElement('script');
  for (const name in attrs) script.setAttribute(name, attrs[name]);
  script.src = src;
  script.async = true;
  script.nonce = self?.nonce;
  doc.head.append(script);
  return script;
}

/**
 * own reports whether the page loads service's tag itself: a script of
 * the service (its blocked form, which charte.js releases, or one that
 * auto_block holds) or with the same src. The banner then loads nothing,
 * so that a pasted snippet does not count a page view twice.
 */
const own = (service: Service) =>
  [...doc.scripts].some((script) => script.dataset.charteService == service.id || (!!service.src && script.src == service.src));

/**
 * load adds the tag of every service whose category is granted, once, in
 * the charter's order, once the page is parsed (to see its own tags).
 */
function load() {
  if (doc.readyState == 'loading') return;
  for (const service of config.services) {
    if (!(service.src || service.loader) || loaded.has(service.id) || !win.charte.accepted(service.category)) continue;
    loaded.add(service.id);
    if (own(service)) continue;
    const loader = __charteLoaders[service.loader || 'script'];
    loader ? loader(service, add, win) : add(service.src!);
  }
}

let styles: CSSStyleSheet | undefined;

/** fill replaces each %s of text by the next value. */
const fill = (text: string, ...values: string[]) => text.replace(/%s/g, () => values.shift() || '');

/**
 * label names the service and its provider in each placeholder that
 * charte.js put before a blocked iframe of a named service, and links to
 * the content on the provider's site.
 */
function label() {
  for (const host of doc.querySelectorAll<HTMLElement>('[data-charte-placeholder]')) {
    const frame = host.nextElementSibling as HTMLIFrameElement | null,
      box = host.shadowRoot?.querySelector('.ph'),
      service = config.services.find((one) => one.id == frame?.dataset.charteService);
    if (!frame || !box || !service || box.querySelector('p')) continue;
    if (!styles) {
      styles = new CSSStyleSheet();
      styles.replaceSync(__CHARTE_SERVICES_CSS__);
    }
    host.shadowRoot!.adoptedStyleSheets = [...host.shadowRoot!.adoptedStyleSheets, styles];
    const text = doc.createElement('p'),
      link = doc.createElement('a');
    text.textContent = fill(texts.service, service.name, service.provider, config.categories[service.category]?.[lang] || service.category);
    link.href = frame.dataset.src!;
    link.textContent = fill(texts.open, service.name);
    box.prepend(text);
    box.append(link);
  }
}

// Unless charte.js stopped for the script in the page's language, which
// carries this module too.
if (win.charte) {
  win.charte.on('change', load);
  const start = () => {
    load();
    label();
    // charte.js's placeholders come and go with the decisions, and with
    // the frames auto_block holds.
    doc.addEventListener('charte:consent', label);
    doc.addEventListener('charte:held', label);
  };
  doc.readyState == 'loading' ? doc.addEventListener('DOMContentLoaded', start) : start();
}
