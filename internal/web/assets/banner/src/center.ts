// charte's preference center, in its own script (charte-center.js) that
// charte.js loads when the browser is idle or when a visitor first asks for
// it: its DOM, its styles and the details of the charter's categories stay
// out of the first script's budget. It announces itself with a
// charte:center event on the document, whose detail is a Center; charte.js
// shows what it builds and handles its actions, as it does the banner's.

import type { CenterTexts, Details, Texts } from './config';
import type { Choices } from './cookie';

declare const __CHARTE_CONFIG__: { categories: Details[]; texts: Record<string, CenterTexts | undefined> };

const config = __CHARTE_CONFIG__;
declare const __CHARTE_CENTER_CSS__: string;

/** Center is what charte-center.js gives charte.js. */
export interface Center {
  /** The center's stylesheet, adopted after the banner's. */
  css: string;
  /** build returns the center, a <dialog> to show with showModal(). */
  build(lang: string, texts: Texts, choices: Choices, policy: string): HTMLDialogElement;
}

type Attrs = Record<string, string | boolean | undefined>;

function el(tag: string, attrs: Attrs = {}, ...children: (Node | string)[]) {
  const created = document.createElement(tag);
  for (const name in attrs) {
    const value = attrs[name];
    if (value !== false && value != null) created.setAttribute(name, String(value));
  }
  created.append(...children);
  return created;
}

function build(lang: string, first: Texts, choices: Choices, policy: string) {
  // The center's texts, in the banner's language (asked for with ?lang=).
  const texts = { ...first, ...(config.texts[lang] || Object.values(config.texts)[0])! };
  const action = (name: string, text: string, secondary?: boolean) =>
    el('button', { 'data-charte-action': name, class: secondary && 's' }, text);
  const dialog = el(
    'dialog',
    { 'aria-labelledby': 't' },
    el(
      'div',
      { class: 'hd' },
      // First, so that focus lands on it: a control that decides nothing.
      el('button', { class: 'c', 'data-charte-action': 'close', 'aria-label': texts.back }),
      el('h2', { id: 't' }, texts.prefs),
      el('p', {}, el('a', { href: policy }, texts.policy)),
    ),
    el(
      'div',
      { class: 'bd' },
      ...config.categories.map((category, index) =>
        el(
          'section',
          {},
          el(
            'div',
            { class: 'h' },
            // The whole name is the switch's label.
            el('h3', { id: 'n' + index }, category.necessary ? category.name[lang] : el('label', { for: 's' + index }, category.name[lang])),
            category.necessary
              ? el('span', { class: 'on' }, texts.on)
              : el('input', {
                  type: 'checkbox',
                  role: 'switch',
                  id: 's' + index,
                  'data-charte-category': category.id,
                  'aria-describedby': 'e' + index,
                  checked: choices[category.id],
                }),
          ),
          el('p', { class: 'd', id: 'e' + index }, category.description[lang]),
          el('button', { class: 'x', 'aria-expanded': 'false', 'aria-controls': 'k' + index, 'aria-describedby': 'n' + index }, texts.details),
          el(
            'div',
            { id: 'k' + index, hidden: true },
            category.cookies.length
              ? el(
                  'ul',
                  { 'aria-label': texts.cookies },
                  ...category.cookies.map((cookie) =>
                    el(
                      'li',
                      {},
                      el('b', {}, cookie.name),
                      el('span', {}, cookie.purpose[lang]),
                      el('span', {}, `${texts.provider}${cookie.provider} · ${texts.lifetime}${cookie.lifetime[lang]}`),
                    ),
                  ),
                )
              : '',
          ),
        ),
      ),
    ),
    // The same actions in the same order as on the first layer.
    el('div', { class: 'ft' }, el('div', { class: 'r' }, action('reject-all', texts.reject_all), action('accept-all', texts.accept_all), action('save', texts.save, true))),
  ) as HTMLDialogElement;
  dialog.addEventListener('click', (event) => {
    const toggle = (event.target as Element).closest<HTMLElement>('.x');
    if (toggle) {
      const open = toggle.parentElement!.classList.toggle('o');
      toggle.setAttribute('aria-expanded', String(open));
      (toggle.nextElementSibling as HTMLElement).hidden = !open;
    }
  });
  // Escape is charte.js's to handle, as on the first layer.
  dialog.addEventListener('cancel', (event) => event.preventDefault());
  return dialog;
}

document.dispatchEvent(new CustomEvent<Center>('charte:center', { detail: { css: __CHARTE_CENTER_CSS__, build } }));
