// The cookies_preferences cookie, in the format of consent/cookie.go:
//   1.<id>.<charter version>.<granted ids, ~-separated>.<method letter>.<created>.<expires>
// Times are Unix seconds; the method letter is the method's first letter
// (a Go test holds consent's letters to that).

import { Category, config, doc } from './config';
import { Method, METHODS } from './methods';

export type Choices = Record<string, boolean>;

/** Decision is what window.charte.decision() returns. */
export interface Decision {
  id: string;
  version: string;
  choices: Choices;
  method: Method;
  /** Unix seconds. */
  expires: number;
}

const NAME = 'cookies_preferences';

/** read returns the cookie's value on this page, if any. */
export const read = () => doc.cookie.match(/(?:^|; )cookies_preferences=([^;]*)/)?.[1];

/** parse decodes a cookie value; anything malformed is no decision. */
export function parse(value?: string): Decision | undefined {
  const fields = value?.split('.');
  if (fields?.length != 7 || fields[0] != '1') return;
  const method = METHODS.find((name) => name[0] == fields[4]);
  if (!method) return;
  const granted = fields[3].split('~'), choices: Choices = {};
  for (const category of config.categories) choices[category.id] = !!category.necessary || granted.includes(category.id);
  return { id: fields[1], version: fields[2], choices, method, expires: +fields[6] };
}

/** encode returns the cookie value of a decision made at created. */
export const encode = (decision: Decision, created: number) =>
  [
    '1',
    decision.id,
    decision.version,
    Object.keys(decision.choices)
      .filter((id) => decision.choices[id])
      .sort()
      .join('~'),
    decision.method[0],
    created,
    decision.expires,
  ].join('.');

/** write stores a value on the embedding page's own origin until it expires. */
export function write(value: string, expires: number) {
  doc.cookie = `${NAME}=${value}; path=/; max-age=${expires - now()}; SameSite=Lax${location.protocol == 'https:' ? '; Secure' : ''}`;
}

/** now returns the time in Unix seconds. */
export const now = () => (Date.now() / 1e3) | 0;

/**
 * wipe deletes the first-party cookies a category declares (exact names and
 * * patterns), wherever a script may have set them: host-only and on each
 * parent domain (an empty domain attribute is ignored), on / and on each
 * prefix of the current path.
 */
export function wipe(category: Category) {
  const hosts = location.hostname
      .split('.')
      .map((_, index, labels) => labels.slice(index).join('.'))
      .concat(''),
    paths = location.pathname.split('/').map((_, index, parts) => parts.slice(0, index + 1).join('/') || '/');
  for (const cookie of category.cookies) {
    // Every other character matches itself: escape all but letters, digits and _.
    const pattern = RegExp('^' + cookie.name.replace(/\W/g, '\\$&').replace(/\\\*/g, '.*') + '$');
    for (const pair of doc.cookie.split('; ')) {
      const name = pair.split('=')[0];
      if (name != NAME && pattern.test(name))
        for (const host of hosts) for (const path of paths) doc.cookie = `${name}=;max-age=0;path=${path};domain=${host}`;
    }
  }
}
