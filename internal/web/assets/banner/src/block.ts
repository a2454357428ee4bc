// Blocking: <script type="text/plain" data-category="ID" [src]> and
// <iframe data-category="ID" data-src="…"> wait for their category.

import { cfg, d, L, t } from './config';
import { fill, h, mount } from './ui';

const holders = new Map<Element, HTMLElement>();
let queue = Promise.resolve();

/**
 * scripts runs, once, every blocked script whose category is granted: each
 * is replaced by a real script with the same attributes. They run in
 * document order: an external script is loaded before the next one runs.
 */
export function scripts(ok: (id: string) => boolean) {
  for (const s of d.querySelectorAll<HTMLScriptElement>('script[type="text/plain"][data-category]')) {
    if (!ok(s.dataset.category!)) continue;
    // A text/plain script never started, so changing its type runs nothing:
    // it only takes the script out of the next look-ups.
    s.type = 'text/charte';
    queue = queue.then(
      () =>
        new Promise<void>((done) => {
          const n = d.createElement('script');
          for (const a of s.attributes) if (a.name != 'type') n.setAttribute(a.name, a.value);
          n.nonce = s.nonce;
          n.text = s.text;
          if (s.src) n.onload = n.onerror = () => done();
          s.replaceWith(n);
          if (!s.src) done();
        }),
    );
  }
}

/**
 * frames loads each blocked iframe whose category is granted, and puts a
 * placeholder, with a button that grants the category, before the others.
 */
export function frames(ok: (id: string) => boolean, grant: (e: Event) => void) {
  for (const f of d.querySelectorAll<HTMLIFrameElement>('iframe[data-category][data-src]')) {
    const id = f.dataset.category!, p = holders.get(f);
    if (ok(id)) {
      if (f.getAttribute('src') != f.dataset.src) f.src = f.dataset.src!;
      if (p) {
        f.hidden = false;
        p.remove();
        holders.delete(f);
      }
    } else if (!p) {
      const host = h('div', { 'data-charte-placeholder': id }), name = cfg.categories.find((c) => c.id == id)?.name[L] || id;
      mount(host, grant).append(
        h('div', { class: 'ph' }, h('button', { 'data-charte-grant': id }, fill(t.allow, name))),
      );
      if (f.getAttribute('src')) f.src = 'about:blank';
      f.hidden = true;
      f.before(host);
      holders.set(f, host);
    }
  }
}
