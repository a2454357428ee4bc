// The cookies_preferences cookie, in the format of consent/cookie.go:
//   1.<id>.<charter version>.<granted ids, ~-separated>.<method letter>.<created>.<expires>
// Times are Unix seconds; the method letter is the method's first letter.

import { cfg, Category, d } from './config';

export type Choices = Record<string, boolean>;

/** Decision is what window.charte.decision() returns. */
export interface Decision {
  id: string;
  version: string;
  choices: Choices;
  method: string;
  /** Unix seconds. */
  expires: number;
}

const NAME = 'cookies_preferences';
const METHODS = ['accept_all', 'reject_all', 'custom', 'gpc', 'withdraw'];

/** read returns the cookie's value on this page, if any. */
export const read = () => d.cookie.match(/(?:^|; )cookies_preferences=([^;]*)/)?.[1];

/** parse decodes a cookie value; anything malformed is no decision. */
export function parse(v?: string): Decision | undefined {
  const f = v?.split('.');
  if (f?.length != 7 || f[0] != '1') return;
  const granted = f[3].split('~'), choices: Choices = {};
  for (const c of cfg.categories) choices[c.id] = !!c.necessary || granted.includes(c.id);
  return { id: f[1], version: f[2], choices, method: METHODS.find((m) => m[0] == f[4])!, expires: +f[6] };
}

/** encode returns the cookie value of a decision made at created. */
export const encode = (d: Decision, created: number) =>
  ['1', d.id, d.version, Object.keys(d.choices).filter((k) => d.choices[k]).sort().join('~'), d.method[0], created, d.expires].join('.');

/** write stores a value on the embedding page's own origin until it expires. */
export function write(v: string, expires: number) {
  d.cookie = `${NAME}=${v}; path=/; max-age=${expires - now()}; SameSite=Lax${location.protocol == 'https:' ? '; Secure' : ''}`;
}

export const now = () => (Date.now() / 1e3) | 0;

/**
 * wipe deletes the first-party cookies a category declares (exact names and
 * * patterns), wherever a script may have set them: host-only and on each
 * parent domain (an empty domain attribute is ignored), on / and on each
 * prefix of the current path.
 */
export function wipe(c: Category) {
  const hosts = location.hostname.split('.').map((_, i, a) => a.slice(i).join('.')).concat(''),
    paths = location.pathname.split('/').map((_, i, a) => a.slice(0, i + 1).join('/') || '/');
  for (const k of c.cookies) {
    // Every other character matches itself: escape all but letters, digits and _.
    const re = RegExp('^' + k.name.replace(/\W/g, '\\$&').replace(/\\\*/g, '.*') + '$');
    for (const s of d.cookie.split('; ')) {
      const n = s.split('=')[0];
      if (n != NAME && re.test(n)) for (const h of hosts) for (const p of paths) d.cookie = `${n}=;max-age=0;path=${p};domain=${h}`;
    }
  }
}
