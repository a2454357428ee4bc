// Blocking: <script type="text/plain" data-category="ID" [src]>,
// <iframe data-category="ID" data-src="…"> and <img data-category="ID"
// data-src="…"> wait for their category.

import { config, doc, lang, texts } from './config';
import { element, fill, mount } from './ui';

const placeholders = new Map<Element, HTMLElement>();
let queue = Promise.resolve();

/**
 * scripts runs, once, every blocked script whose category is granted: each
 * is replaced by a real script with the same attributes. They run in
 * document order: an external script is loaded before the next one runs.
 */
export function scripts(granted: (id: string) => boolean) {
  for (const blocked of doc.querySelectorAll<HTMLScriptElement>('script[type="text/plain"][data-category]')) {
    if (!granted(blocked.dataset.category!)) continue;
    // A text/plain script never started, so changing its type runs nothing:
    // it only takes the script out of the next look-ups.
    blocked.type = 'text/charte';
    queue = queue.then(
      () =>
        new Promise<void>((done) => {
          const script = doc.createElement('script');
          for (const attr of blocked.attributes) if (attr.name != 'type') script.setAttribute(attr.name, attr.value);
          script.nonce = blocked.nonce;
          script.text = blocked.text;
          if (blocked.src) script.onload = script.onerror = () => done();
          blocked.replaceWith(script);
          if (!blocked.src) done();
        }),
    );
  }
}

/**
 * frames loads each blocked iframe and image (a pixel) whose category is
 * granted, and puts a placeholder, with a button that grants the category,
 * before the other iframes; images wait unseen.
 */
export function frames(granted: (id: string) => boolean, click: (event: Event) => void) {
  for (const frame of doc.querySelectorAll<HTMLIFrameElement>('iframe[data-category][data-src],img[data-category][data-src]')) {
    const id = frame.dataset.category!, placeholder = placeholders.get(frame);
    if (granted(id)) {
      if (frame.getAttribute('src') != frame.dataset.src) frame.src = frame.dataset.src!;
      if (placeholder) {
        frame.hidden = false;
        placeholder.remove();
        placeholders.delete(frame);
      }
    } else if (!placeholder && frame.tagName == 'IFRAME') {
      const host = element('div', { 'data-charte-placeholder': id }),
        name = config.categories.find((category) => category.id == id)?.name[lang] || id;
      mount(host, click).append(
        element('div', { class: 'ph' }, element('button', { 'data-charte-grant': id }, fill(texts.allow, name))),
      );
      if (frame.getAttribute('src')) frame.src = 'about:blank';
      frame.hidden = true;
      frame.before(host);
      placeholders.set(frame, host);
    }
  }
}
