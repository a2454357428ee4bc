// charte's consent banner: the first layer, the preference center, the
// blocking of scripts and iframes, the recording of each decision through
// the consent API, Google Consent Mode and the window.charte API.

import type { Center } from './center';
import { config, doc, lang, other, self, texts } from './config';
import { Choices, Decision, encode, now, parse, read, wipe, write } from './cookie';
import { frames, scripts } from './block';
import { Method } from './methods';
import { element, mount, sheet, sheets } from './ui';

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
    'charte:center': CustomEvent<Center>;
  }
}

/** Mode is the layer on screen. */
const enum Mode {
  /** Nothing, or the persistent control when the charter asks for one. */
  Control,
  /** The first layer. */
  Banner,
  /** The preference center, a modal dialog (charte-center.js). */
  Center,
}

const win = window, PENDING = 'charte:pending';

/** previous is the decision in the cookie; current is it, if it is still valid. */
let previous = parse(read()),
  current = previous && previous.version == config.version && previous.expires > now() ? previous : undefined,
  mode = Mode.Control,
  /** back is the page's control that opened the center, to give focus back to. */
  back: HTMLElement | null,
  sent = 0,
  /** center builds the preference center, once charte-center.js is here. */
  center: Center['build'] | undefined,
  /** asked is set when the center is asked for before its script is here. */
  asked = false,
  /** loading is set once charte-center.js is asked for. */
  loading = false;

/** lock stops the page behind the center from scrolling while it is open. */
const lock = sheet('html{overflow:hidden!important}');

/** load adds charte-center.js, from charte's address, to the page, once. */
function load() {
  if (loading) return;
  loading = true;
  const script = doc.createElement('script');
  script.src = `${config.api.slice(0, -6)}sites/${config.site}/charte-center.js?lang=${lang}&v=${config.version}`;
  script.nonce = self?.nonce;
  doc.head.append(script);
}

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
 * show puts one layer in the shadow root. The first layer takes no focus
 * (it is first in the tab order); the center, modal, takes it, and gives it
 * back when it closes to the page's control that opened it, else to the
 * control of the layer that replaces it.
 */
function show(next: Mode) {
  const active = doc.activeElement as HTMLElement | null, inside = active == host, was = mode;
  if (next == Mode.Center) {
    if (was != Mode.Center) back = inside ? null : active;
    asked = !center;
    if (asked) return load();
  }
  mode = next;
  const layer = next == Mode.Banner ? banner() : next == Mode.Center ? center!(lang, texts, choices(), config.policy) : control();
  root.replaceChildren(layer);
  doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((other) => other != lock).concat(next == Mode.Center ? lock : []);
  if (next == Mode.Center) (layer as HTMLDialogElement).showModal();
  else if (was == Mode.Center || inside) (back?.isConnected && back != doc.body ? back : root.querySelector<HTMLElement>(next == Mode.Banner ? '.s' : 'button'))?.focus();
}

/**
 * LABELS are the actions of the first layer's buttons (their
 * data-charte-action) and the text of each one's button.
 */
const LABELS = {
  'reject-all': texts.reject_all,
  'accept-all': texts.accept_all,
  customize: texts.customize,
};

/** Action is what a button of the banner or the center does. */
type Action = keyof typeof LABELS | 'save' | 'close';

const control = () =>
  config.persistent ? element('button', { class: 'p', 'data-charte-open': true, 'aria-label': texts.prefs }) : '';

// The first layer: title, text, then reject, accept and customise, in the
// order of the center's actions (reject, accept, save).
const banner = () =>
  element(
    'div',
    { class: `w ${config.layout || 'box'} ${config.position || 'bottom-right'}` },
    element(
      'div',
      { class: 'b', role: 'dialog', 'aria-labelledby': 't', 'aria-describedby': 'x' },
      element('h2', { id: 't' }, texts.title),
      element('p', { id: 'x' }, texts.body, ' ', element('a', { href: config.policy }, texts.policy)),
      element(
        'div',
        { class: 'r' },
        ...(Object.keys(LABELS) as (keyof typeof LABELS)[]).map((action) =>
          element('button', { 'data-charte-action': action, class: action == 'customize' && 's' }, LABELS[action]),
        ),
      ),
      element('button', { class: 'c', 'data-charte-action': 'close', 'aria-label': texts.close }),
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
    const chosen = all(false);
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
    const focusable = root.querySelectorAll<HTMLElement>('a,button,input'), last = focusable.length - 1;
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
doc.addEventListener('charte:center', (event) => {
  center = event.detail.build;
  root.adoptedStyleSheets = [sheets[0], sheet(event.detail.css), sheets[1]];
  if (asked) show(Mode.Center);
});

// Unless the script in the page's language takes over.
if (!other) {
  // auto_block (autoblock.ts) has held a frame, a pixel or a script.
  doc.addEventListener('charte:held', apply);

  const ready = (start: () => void) => (doc.readyState == 'loading' ? doc.addEventListener('DOMContentLoaded', start) : start());

  ready(() => {
    // First in the body, so first in the tab order.
    doc.body.prepend(host);
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
    else {
      show(Mode.Banner);
      // The center is likely wanted next: fetch it when the page is idle.
      (win.requestIdleCallback || setTimeout)(load);
    }
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
