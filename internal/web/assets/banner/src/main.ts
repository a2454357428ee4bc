// charte's consent banner: the first layer, the preference center, the
// blocking of scripts and iframes, the recording of each decision through
// the consent API, Google Consent Mode and the window.charte API.

import { config, doc, lang, other, texts } from './config';
import { Choices, Decision, encode, now, parse, read, wipe, write } from './cookie';
import { frames, scripts } from './block';
import { Method } from './methods';
import { element, mount } from './ui';

declare const __CHARTE_GCM__: boolean;

/** Api is window.charte, as the README documents it. */
interface Api {
  decision(): Decision | null;
  accepted(id: string): boolean;
  show(): void;
  on(event: string, listener: (decision: Decision) => void): void;
}

declare global {
  interface Window {
    charte: Api;
    // Google's tag, which the GCM bundle defines when the page has not.
    dataLayer: unknown[];
    gtag: (...args: unknown[]) => void;
  }
  interface Navigator {
    /** Global Privacy Control, in the browsers that send it. */
    globalPrivacyControl?: boolean;
  }
  interface DocumentEventMap {
    'charte:consent': CustomEvent<Decision>;
    'charte:recorded': CustomEvent<Decision>;
  }
}

/** Mode is the layer on screen. */
const enum Mode {
  /** Nothing, or the persistent control when the charter asks for one. */
  Control,
  /** The first layer. */
  Banner,
  /** The preference center, modal. */
  Center,
}

const win = window, PENDING = 'charte:pending';

/** previous is the decision in the cookie; current is it, if it is still valid. */
let previous = parse(read()),
  current = previous && previous.version == config.version && previous.expires > now() ? previous : undefined,
  mode = Mode.Control,
  /** back is where focus goes back to when a layer closes. */
  back: HTMLElement | null,
  sent = 0;

/** all returns choices where every optional category is on (default: exempt ones on). */
const all = (on?: boolean): Choices =>
  Object.fromEntries(config.categories.map((category) => [category.id, !!category.necessary || (on ?? !!category.exempt)]));

/** choices returns the choices in force: the decision's, else the defaults. */
const choices = () => (current ? current.choices : all()),
  granted = (id: string) => !!choices()[id];

// Google Consent Mode v2, in the bundle built for sites that turn it on:
// everything denied before any tag can run.
function gcm(given: Choices, kind: string) {
  const state = (id: string) => (given[id] ? 'granted' : 'denied'), ads = state('marketing'), functional = state('preferences');
  win.gtag('consent', kind, {
    ad_storage: ads,
    ad_user_data: ads,
    ad_personalization: ads,
    analytics_storage: state('statistics'),
    functionality_storage: functional,
    personalization_storage: functional,
    security_storage: 'granted',
  });
}
if (__CHARTE_GCM__) {
  win.dataLayer = win.dataLayer || [];
  win.gtag =
    win.gtag ||
    function () {
      // Google's snippet pushes the arguments object itself, which its tag reads.
      win.dataLayer.push(arguments);
    };
  gcm({}, 'default');
  if (current) gcm(current.choices, 'update');
}

/** pending reads (no argument), keeps (a string) or drops (null) the unsent decision. */
function pending(value?: string | null) {
  try {
    return value === undefined
      ? localStorage.getItem(PENDING)
      : value
        ? localStorage.setItem(PENDING, value)
        : localStorage.removeItem(PENDING);
  } catch {}
}

/** send records a decision; its answer's cookie, with the decision's id, replaces ours. */
function send(body: object) {
  const attempt = ++sent;
  pending(JSON.stringify(body));
  fetch(config.api + '/consents', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    credentials: 'omit',
    keepalive: true,
  })
    .then((response) => {
      // Drop the decision once the API has taken or refused it for good;
      // keep it on a server error or a rate limit, to send it again. An
      // answer to a decision the visitor has since replaced changes nothing.
      if (attempt == sent && response.status < 500 && response.status != 429) pending(null);
      return response.ok && response.json();
    })
    .then((answer: false | null | { cookie?: string }) => {
      const cookie = answer ? answer.cookie : undefined, recorded = parse(cookie);
      if (cookie && recorded && attempt == sent) {
        write(cookie, recorded.expires);
        current = previous = recorded;
        // The log has it: say so, with the id it gave the decision.
        doc.dispatchEvent(new CustomEvent('charte:recorded', { detail: current }));
      }
    })
    .catch(() => {});
}

/** decide applies and records a decision. */
function decide(given: Choices, method: Method) {
  const at = now(), old = previous;
  current = previous = { id: '', version: config.version, choices: given, method, expires: at + Math.round(config.lifetime_days * 86400) };
  write(encode(current, at), current.expires);
  for (const category of config.categories) if (!given[category.id]) wipe(category);
  send({ site: config.site, charter_version: config.version, choices: given, method, previous_id: old?.id || undefined });
  if (__CHARTE_GCM__) gcm(given, 'update');
  apply();
  show(Mode.Control);
  doc.dispatchEvent(new CustomEvent('charte:consent', { detail: current }));
}

function apply() {
  scripts(granted);
  frames(granted, click);
}

/**
 * show puts one layer in the shadow root and moves focus to its first
 * button; closing it gives focus back to where it was.
 */
function show(next: Mode) {
  if (next != Mode.Control && mode == Mode.Control) back = doc.activeElement as HTMLElement | null;
  mode = next;
  root.replaceChildren(next == Mode.Banner ? banner() : next == Mode.Center ? center() : control());
  (next != Mode.Control || back == host ? root.querySelector('button') : back)?.focus();
}

/**
 * LABELS are the actions of the rows of buttons (their data-charte-action)
 * and the text of each one's button.
 */
const LABELS = {
  'accept-all': texts.accept_all,
  'reject-all': texts.reject_all,
  customize: texts.customize,
  save: texts.save,
};

/** Action is what a button of the banner or the center does. */
type Action = keyof typeof LABELS | 'close';

const buttons = (...actions: (keyof typeof LABELS)[]) =>
  element('div', { class: 'r' }, ...actions.map((action) => element('button', { 'data-charte-action': action }, LABELS[action])));

const control = () =>
  config.persistent ? element('button', { class: 'p', 'data-charte-open': true, title: texts.prefs }, texts.cookies) : '';

const banner = () =>
  element(
    'div',
    { class: 'b', role: 'dialog', 'aria-labelledby': 't', 'aria-describedby': 'x' },
    element('button', { class: 'c', 'data-charte-action': 'close' }, texts.close),
    element('h2', { id: 't' }, texts.title),
    element('p', { id: 'x' }, texts.body, ' ', element('a', { href: config.policy }, texts.policy)),
    buttons('accept-all', 'reject-all', 'customize'),
  );

const center = () =>
  element(
    'div',
    { class: 'm' },
    element(
      'div',
      { class: 'b', role: 'dialog', 'aria-modal': true, 'aria-labelledby': 't' },
      element('button', { class: 'c', 'data-charte-action': 'close', 'aria-label': texts.back }, '×'),
      element('h2', { id: 't' }, texts.prefs),
      element('p', {}, element('a', { href: config.policy }, texts.policy)),
      ...config.categories.map((category, index) =>
        element(
          'section',
          {},
          element(
            'div',
            { class: 'h' },
            element('h3', {}, category.name[lang]),
            element('input', {
              type: 'checkbox',
              role: 'switch',
              'data-charte-category': category.id,
              'aria-label': category.name[lang],
              'aria-describedby': 'e' + index,
              checked: choices()[category.id],
              disabled: category.necessary,
            }),
          ),
          element('p', { id: 'e' + index }, category.description[lang]),
          category.cookies.length
            ? element(
                'details',
                {},
                element('summary', {}, texts.cookies),
                element(
                  'ul',
                  {},
                  ...category.cookies.map((cookie) =>
                    element(
                      'li',
                      {},
                      element('b', {}, cookie.name),
                      element('br'),
                      cookie.purpose[lang],
                      element('br'),
                      `${texts.provider}${cookie.provider} · ${texts.lifetime}${cookie.lifetime[lang]}`,
                    ),
                  ),
                ),
              )
            : '',
        ),
      ),
      buttons('reject-all', 'accept-all', 'save'),
    ),
  );

/** click handles every button of the banner, the center and the placeholders. */
function click(event: Event) {
  const button = (event.target as Element).closest('button'),
    action = button?.dataset.charteAction as Action | undefined,
    grant = button?.dataset.charteGrant;
  if (grant) decide({ ...choices(), [grant]: true }, 'custom');
  else if (button?.hasAttribute('data-charte-open') || action == 'customize') show(Mode.Center);
  else if (action == 'accept-all') decide(all(true), 'accept_all');
  else if (action == 'reject-all' || (action == 'close' && mode != Mode.Center)) decide(all(false), 'reject_all');
  else if (action == 'close') show(current ? Mode.Control : Mode.Banner);
  else if (action == 'save') {
    const chosen: Choices = {};
    for (const input of root.querySelectorAll('input')) chosen[input.dataset.charteCategory!] = input.checked;
    // Taking a grant back is a withdrawal.
    decide(chosen, config.categories.some((category) => current?.choices[category.id] && !chosen[category.id]) ? 'withdraw' : 'custom');
  }
}

function key(event: KeyboardEvent) {
  if (mode != Mode.Center) return;
  if (event.key == 'Escape') show(current ? Mode.Control : Mode.Banner);
  if (event.key == 'Tab') {
    // The center is modal: Tab cycles inside it.
    const focusable = root.querySelectorAll<HTMLElement>('a,button,input:enabled,summary'), last = focusable.length - 1;
    if (root.activeElement == focusable[event.shiftKey ? 0 : last]) {
      focusable[event.shiftKey ? last : 0].focus();
      event.preventDefault();
    }
  }
}

// The root exists from the start, so that charte.show() works at once; it
// joins the page when the body is there. Keys pressed in its shadow root
// reach it, as keyboard events cross shadow boundaries.
const host = element('div', { id: 'charte-root' }), root = mount(host, click);
host.addEventListener('keydown', key);

// Unless the script in the page's language takes over.
if (!other) {
  const ready = (start: () => void) => (doc.readyState == 'loading' ? doc.addEventListener('DOMContentLoaded', start) : start());

  ready(() => {
    doc.body.append(host);
    if (current) {
      // A decision the API did not record yet is sent again.
      const unsent = pending();
      if (unsent && !current.id) {
        try {
          send(JSON.parse(unsent));
        } catch {}
      } else if (unsent) pending(null);
      show(Mode.Control);
    } else if (navigator.globalPrivacyControl === true) decide(all(), 'gpc');
    else show(Mode.Banner);
    apply();
  });

  doc.addEventListener('click', (event) => {
    if ((event.target as Element).closest?.('[data-charte-open]')) {
      event.preventDefault();
      show(Mode.Center);
    }
  });

  win.charte = {
    decision: () => current || null,
    accepted: granted,
    show: () => show(Mode.Center),
    on: (event, listener) => event == 'change' && doc.addEventListener('charte:consent', (consent) => listener(consent.detail)),
  };
}
