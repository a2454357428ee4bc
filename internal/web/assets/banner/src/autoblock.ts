// auto_block: put before charte.js's main code when the charter turns
// options.auto_block on (internal/web/banner.go). Loaded first in <head>,
// it holds the scripts, iframes and images of known service hosts that
// other scripts insert later, until their category is granted, by turning
// them into the blocked forms that charte.js releases (block.ts):
// <script type="text/plain" data-category>, <iframe data-category
// data-src>, <img data-category data-src>.
//
// It sees a src set through the property or setAttribute, before or after
// insertion, and nodes inserted with appendChild, insertBefore, append,
// prepend, before, after and replaceWith; a MutationObserver catches those
// the parser adds after it. What it cannot hold is in the README: a script
// that ran before it, document.write, fetch, XMLHttpRequest and
// sendBeacon, an Image never inserted in the page, frames and images in
// HTML strings (innerHTML: they may start loading before the observer
// holds them), and the browser's preloading of the page's own <script src>
// (the request goes, the script does not run).

import type { AutoBlockConfig } from './service';

declare const __CHARTE_CONFIG__: AutoBlockConfig;

const win = window as unknown as Record<string, any>,
  { hosts } = __CHARTE_CONFIG__,
  MARK = 'data-charte-auto',
  elements = [HTMLScriptElement, HTMLIFrameElement, HTMLImageElement],
  proto = Element.prototype,
  setAttribute = proto.setAttribute;

/**
 * known returns the [host, category, service] entry url comes from, if a
 * service's: an entry host/path names only the URLs under that path, and
 * the longest path wins (www.google.com/maps, www.google.com/recaptcha:
 * two services on one host); among equals, the first (the charter's).
 */
function known(url: string) {
  let where: URL;
  try {
    where = new URL(url, location.href);
  } catch {
    return;
  }
  const host = where.hostname;
  let best: AutoBlockConfig['hosts'][number] | undefined,
    longest = -1;
  for (const entry of hosts) {
    const slash = entry[0].indexOf('/'),
      name = slash < 0 ? entry[0] : entry[0].slice(0, slash),
      path = slash < 0 ? '' : entry[0].slice(slash);
    if (
      (name == host || (name.startsWith('*.') && (host.endsWith(name.slice(1)) || host == name.slice(2)))) &&
      where.pathname.startsWith(path) &&
      path.length > longest
    ) {
      best = entry;
      longest = path.length;
    }
  }
  return best;
}

/** granted is charte.js's answer; until charte.js has started, nothing is. */
const granted = (category: string) => !!win.charte?.accepted(category);

/**
 * hold turns el, about to take src, into its blocked form if src is a
 * service's whose category is not granted. It returns true when the src
 * must not be set (frames and images keep it in data-src).
 */
function hold(el: Element, src: string) {
  const match = known(src);
  if (!match || granted(match[1])) return false;
  setAttribute.call(el, 'data-category', match[1]);
  setAttribute.call(el, 'data-charte-service', match[2]);
  setAttribute.call(el, MARK, '');
  if (el instanceof HTMLScriptElement) {
    // A script of an unknown type never runs, nor is fetched.
    setAttribute.call(el, 'type', 'text/plain');
    return false;
  }
  setAttribute.call(el, 'data-src', src);
  return true;
}

/** check holds a node on its way into the page, and what it holds. */
function check(node: Node) {
  if (!(node instanceof Element)) return;
  for (const el of [node, ...node.querySelectorAll('script[src],iframe[src],img[src]')]) {
    if (!elements.some((type) => el instanceof type)) continue;
    const src = el.getAttribute('src');
    if (el instanceof HTMLScriptElement && el.hasAttribute(MARK) && el.type == 'text/plain') {
      // Held before it was inserted, and granted since: it may run.
      if (granted(el.dataset.category!)) el.removeAttribute('type');
    } else if (src && hold(el, src) && el.getAttribute('src')) {
      // about:blank first: removing src alone does not stop a frame loading.
      el.setAttribute('src', 'about:blank');
      el.removeAttribute('src');
    }
  }
}

// Unless a script of charte already did it (the script in the page's
// language comes second).
if (!win.__charteAutoBlock) {
  win.__charteAutoBlock = true;
  for (const type of elements) {
    const desc = Object.getOwnPropertyDescriptor(type.prototype, 'src')!;
    Object.defineProperty(type.prototype, 'src', {
      ...desc,
      set(this: Element, value: string) {
        if (!hold(this, String(value))) desc.set!.call(this, value);
      },
    });
  }
  proto.setAttribute = function (this: Element, name: string, value: string) {
    if (name.toLowerCase() == 'src' && elements.some((type) => this instanceof type) && hold(this, String(value))) return;
    setAttribute.call(this, name, value);
  };
  const wrap = (target: any, name: string) => {
    const original = target[name];
    target[name] = function (this: Node, ...nodes: Node[]) {
      for (const node of nodes) if (node instanceof DocumentFragment) node.childNodes.forEach(check);
      else check(node);
      return original.apply(this, nodes);
    };
  };
  for (const name of ['appendChild', 'insertBefore', 'replaceChild']) wrap(Node.prototype, name);
  for (const name of ['append', 'prepend', 'before', 'after', 'replaceWith']) wrap(proto, name);
  // Nodes the parser adds after this script: the observer's callback runs
  // before the parser runs a script it has just inserted.
  // Each batch that brings a held element in tells charte.js, which then
  // puts placeholders before the held frames (charte:held).
  new MutationObserver((records) => {
    let held = false;
    for (const record of records)
      record.addedNodes.forEach((node) => {
        check(node);
        held ||= node instanceof Element && (node.hasAttribute(MARK) || !!node.querySelector(`[${MARK}]`));
      });
    if (held) document.dispatchEvent(new Event('charte:held'));
  }).observe(document.documentElement, { childList: true, subtree: true });
}
