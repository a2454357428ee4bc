// The site's configuration, inlined by the server (internal/web/banner.go)
// in place of __CHARTE_CONFIG__, and the language the banner speaks.

/** A text in each of the site's languages. */
export type Text = Record<string, string>;

export interface Cookie {
  name: string;
  provider: string;
  purpose: Text;
  /** Written out in each language: "6 mois", "fin de la session". */
  lifetime: Text;
}

export interface Category {
  id: string;
  name: Text;
  description: Text;
  exempt?: boolean;
  necessary?: boolean;
  cookies: Cookie[];
}

/** The banner's own texts in one language. */
export interface Texts {
  title: string;
  body: string;
  accept_all: string;
  reject_all: string;
  customize: string;
  save: string;
  close: string;
  back: string;
  prefs: string;
  policy: string;
  cookies: string;
  provider: string;
  lifetime: string;
  /** Holds %s, a category's name. */
  allow: string;
}

export interface Config {
  site: string;
  version: string;
  /** The consent API's base URL, such as https://charte.example/api/v1. */
  api: string;
  /** The URL of the site's cookie policy page. */
  policy: string;
  lifetime_days: number;
  /** The site's languages; texts are given in some of them only. */
  langs: string[];
  /** The language to speak when the page's is not the site's. */
  default_lang: string;
  gcm: boolean;
  persistent: boolean;
  categories: Category[];
  texts: Record<string, Texts>;
}

declare const __CHARTE_CONFIG__: Config;

export const cfg = __CHARTE_CONFIG__;

export const d = document;

const page = d.documentElement.lang.split('-')[0].toLowerCase(),
  me = d.currentScript as HTMLScriptElement | null;

/**
 * other is true when the page is in one of the site's languages whose texts
 * this script was not served with (it carries only a few, to stay small):
 * the script asked with that language then takes over, and this one stops.
 */
export const other = !cfg.texts[page] && cfg.langs.includes(page) && !!me && !me.src.includes('lang=');
if (other) {
  const n = d.createElement('script');
  n.src = me!.src.split('?')[0] + '?lang=' + page;
  n.nonce = me!.nonce;
  d.head.append(n);
}

/** L is the banner's language: the page's if the script has it, else the fallback. */
export const L = cfg.texts[page] ? page : cfg.default_lang;

export const t = cfg.texts[L];
