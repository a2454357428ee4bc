// charte's consent banner: the first layer, the preference center, the
// blocking of scripts and iframes, the recording of each decision through
// the consent API, Google Consent Mode and the window.charte API.

import { cfg, d, L, other, t } from './config';
import { Choices, Decision, encode, now, parse, read, wipe, write } from './cookie';
import { frames, scripts } from './block';
import { h, mount } from './ui';

declare const __CHARTE_GCM__: boolean;

const w = window as any, PENDING = 'charte:pending';

/** prev is the decision in the cookie; cur is it, if it is still valid. */
let prev = parse(read()),
  cur = prev && prev.version == cfg.version && prev.expires > now() ? prev : undefined,
  /** mode: 0 nothing or the persistent control, 1 the banner, 2 the center. */
  mode = 0,
  back: HTMLElement | null,
  sent = 0;

/** all returns choices where every optional category is v (default: exempt ones on). */
const all = (v?: boolean): Choices =>
  Object.fromEntries(cfg.categories.map((c) => [c.id, !!c.necessary || (v ?? !!c.exempt)]));

/** mine returns the choices in force: the decision's, else the defaults. */
const mine = () => (cur ? cur.choices : all()),
  ok = (id: string) => !!mine()[id];

// Google Consent Mode v2, in the bundle built for sites that turn it on:
// everything denied before any tag can run.
function gcm(c: Choices, kind: string) {
  const g = (id: string) => (c[id] ? 'granted' : 'denied'), ad = g('marketing'), fn = g('preferences');
  w.gtag('consent', kind, {
    ad_storage: ad,
    ad_user_data: ad,
    ad_personalization: ad,
    analytics_storage: g('statistics'),
    functionality_storage: fn,
    personalization_storage: fn,
    security_storage: 'granted',
  });
}
if (__CHARTE_GCM__) {
  w.dataLayer = w.dataLayer || [];
  w.gtag =
    w.gtag ||
    function () {
      w.dataLayer.push(arguments);
    };
  gcm({}, 'default');
  if (cur) gcm(cur.choices, 'update');
}

/** pending reads (no argument), keeps (a string) or drops (null) the unsent decision. */
function pending(v?: string | null) {
  try {
    return v === undefined ? localStorage.getItem(PENDING) : v ? localStorage.setItem(PENDING, v) : localStorage.removeItem(PENDING);
  } catch {}
}

/** send records a decision; its answer's cookie, with the decision's id, replaces ours. */
function send(body: object) {
  const n = ++sent;
  pending(JSON.stringify(body));
  fetch(cfg.api + '/consents', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    credentials: 'omit',
    keepalive: true,
  })
    .then((r) => {
      // Drop the decision once the API has taken or refused it for good;
      // keep it on a server error or a rate limit, to send it again. An
      // answer to a decision the visitor has since replaced changes nothing.
      if (n == sent && r.status < 500 && r.status != 429) pending(null);
      return r.ok && r.json();
    })
    .then((j) => {
      const v = parse(j?.cookie);
      if (v && n == sent) {
        write(j.cookie, v.expires);
        cur = prev = v;
        // The log has it: say so, with the id it gave the decision.
        d.dispatchEvent(new CustomEvent('charte:recorded', { detail: cur }));
      }
    })
    .catch(() => {});
}

/** decide applies and records a decision. */
function decide(choices: Choices, method: string) {
  const at = now(), old = prev;
  cur = prev = { id: '', version: cfg.version, choices, method, expires: at + Math.round(cfg.lifetime_days * 86400) };
  write(encode(cur, at), cur.expires);
  for (const c of cfg.categories) if (!choices[c.id]) wipe(c);
  send({ site: cfg.site, charter_version: cfg.version, choices, method, previous_id: old?.id || undefined });
  if (__CHARTE_GCM__) gcm(choices, 'update');
  apply();
  show(0);
  d.dispatchEvent(new CustomEvent('charte:consent', { detail: cur }));
}

function apply() {
  scripts(ok);
  frames(ok, click);
}

/**
 * show puts one layer in the shadow root and moves focus to its first
 * button; closing it gives focus back to where it was.
 */
function show(m: number) {
  if (m && !mode) back = d.activeElement as HTMLElement;
  mode = m;
  root.replaceChildren(
    [
      () => (cfg.persistent ? h('button', { class: 'p', 'data-charte-open': true, title: t.prefs }, t.cookies) : ''),
      banner,
      center,
    ][m](),
  );
  (m || back == host ? root.querySelector('button') : back)?.focus();
}

const buttons = (...a: string[]) =>
  h('div', { class: 'r' }, ...a.map((a) => h('button', { 'data-charte-action': a }, (t as any)[a.replace('-', '_')])));

const banner = () =>
  h(
    'div',
    { class: 'b', role: 'dialog', 'aria-labelledby': 't', 'aria-describedby': 'x' },
    h('button', { class: 'c', 'data-charte-action': 'close' }, t.close),
    h('h2', { id: 't' }, t.title),
    h('p', { id: 'x' }, t.body, ' ', h('a', { href: cfg.policy }, t.policy)),
    buttons('accept-all', 'reject-all', 'customize'),
  );

const center = () =>
  h(
    'div',
    { class: 'm' },
    h(
      'div',
      { class: 'b', role: 'dialog', 'aria-modal': true, 'aria-labelledby': 't' },
      h('button', { class: 'c', 'data-charte-action': 'close', 'aria-label': t.back }, '×'),
      h('h2', { id: 't' }, t.prefs),
      h('p', {}, h('a', { href: cfg.policy }, t.policy)),
      ...cfg.categories.map((c, i) =>
        h(
          'section',
          {},
          h(
            'div',
            { class: 'h' },
            h('h3', {}, c.name[L]),
            h('input', {
              type: 'checkbox',
              role: 'switch',
              'data-charte-category': c.id,
              'aria-label': c.name[L],
              'aria-describedby': 'e' + i,
              checked: mine()[c.id],
              disabled: c.necessary,
            }),
          ),
          h('p', { id: 'e' + i }, c.description[L]),
          c.cookies.length
            ? h(
                'details',
                {},
                h('summary', {}, t.cookies),
                h(
                  'ul',
                  {},
                  ...c.cookies.map((k) =>
                    h('li', {}, h('b', {}, k.name), h('br'), k.purpose[L], h('br'), `${t.provider}${k.provider} · ${t.lifetime}${k.lifetime[L]}`),
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
function click(e: Event) {
  const b = (e.target as Element).closest('button');
  const a = b?.dataset.charteAction, g = b?.dataset.charteGrant;
  if (g) decide({ ...mine(), [g]: true }, 'custom');
  else if (b?.hasAttribute('data-charte-open') || a == 'customize') show(2);
  else if (a == 'accept-all') decide(all(true), 'accept_all');
  else if (a == 'reject-all' || (a == 'close' && mode < 2)) decide(all(false), 'reject_all');
  else if (a == 'close') show(cur ? 0 : 1);
  else if (a == 'save') {
    const c: Choices = {};
    for (const i of root.querySelectorAll('input')) c[i.dataset.charteCategory!] = i.checked;
    // Taking a grant back is a withdrawal.
    decide(c, cfg.categories.some((k) => cur?.choices[k.id] && !c[k.id]) ? 'withdraw' : 'custom');
  }
}

function key(e: KeyboardEvent) {
  if (mode < 2) return;
  if (e.key == 'Escape') show(cur ? 0 : 1);
  if (e.key == 'Tab') {
    // The center is modal: Tab cycles inside it.
    const f = root.querySelectorAll<HTMLElement>('a,button,input:enabled,summary'), n = f.length - 1;
    if (root.activeElement == f[e.shiftKey ? 0 : n]) {
      f[e.shiftKey ? n : 0].focus();
      e.preventDefault();
    }
  }
}

// The root exists from the start, so that charte.show() works at once; it
// joins the page when the body is there.
const host = h('div', { id: 'charte-root' }), root = mount(host, click);
root.addEventListener('keydown', key as EventListener);

// Unless the script in the page's language takes over.
if (!other) {
  const ready = (f: () => void) => (d.readyState == 'loading' ? d.addEventListener('DOMContentLoaded', f) : f());

  ready(() => {
    d.body.append(host);
    if (cur) {
      // A decision the API did not record yet is sent again.
      const p = pending();
      if (p && !cur.id) {
        try {
          send(JSON.parse(p));
        } catch {}
      } else if (p) pending(null);
      show(0);
    } else if ((navigator as any).globalPrivacyControl === true) decide(all(), 'gpc');
    else show(1);
    apply();
  });

  d.addEventListener('click', (e) => {
    if ((e.target as Element).closest?.('[data-charte-open]')) {
      e.preventDefault();
      show(2);
    }
  });

  w.charte = {
    decision: () => cur || null,
    accepted: ok,
    show: () => show(2),
    on: (event: string, f: (d: Decision) => void) =>
      event == 'change' && d.addEventListener('charte:consent', (e) => f((e as CustomEvent).detail)),
  };
}
