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

/**
 * Category is a category as charte.js has it: what deciding, blocking and
 * deleting cookies need. Its description and the details of its cookies
 * are in charte-center.js only ([Details]), to keep the first script small.
 */
export interface Category {
  id: string;
  name: Text;
  exempt?: boolean;
  necessary?: boolean;
  cookies: Pick<Cookie, 'name'>[];
}

/** Details is a category as the preference center (charte-center.js) shows it. */
export interface Details extends Category {
  description: Text;
  cookies: Cookie[];
}

/** The banner's own texts in one language (internal/i18n's banner catalogue). */
export interface Texts {
  title: string;
  body: string;
  accept_all: string;
  reject_all: string;
  customize: string;
  close: string;
  prefs: string;
  policy: string;
  /** Holds %s, a category's name. */
  allow: string;
}

/** The texts only the preference center shows, sent with charte-center.js. */
export interface CenterTexts {
  save: string;
  back: string;
  cookies: string;
  provider: string;
  lifetime: string;
  /** Said of the necessary category instead of a switch. */
  on: string;
  /** The button that shows a category's description and cookies. */
  details: string;
}

/**
 * Config is what the banner reads of the server's configuration. Which
 * bundle a site gets, with Google Consent Mode or without, is the server's
 * choice (__CHARTE_GCM__ in main.ts), not the configuration's.
 */
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
  persistent: boolean;
  /** The first layer's layout and position (default box, bottom-right). */
  layout?: 'box' | 'bar' | 'cloud';
  position?: 'bottom' | 'bottom-left' | 'bottom-right' | 'top' | 'middle';
  /** The site's theme: rules setting the --charte-* properties on :host. */
  theme_css?: string;
  categories: Category[];
  texts: Record<string, Texts | undefined>;
}

declare const __CHARTE_CONFIG__: Config;

export const config = __CHARTE_CONFIG__;

export const doc = document;

const pageLang = doc.documentElement.lang.split('-')[0].toLowerCase();

/** self is this script's element, whose nonce the scripts it loads take. */
export const self = doc.currentScript as HTMLScriptElement | null;

/**
 * other is true when the page is in one of the site's languages whose texts
 * this script was not served with (it carries only a few, to stay small):
 * the script asked with that language then takes over, and this one stops.
 */
export const other = !config.texts[pageLang] && config.langs.includes(pageLang) && !!self && !self.src.includes('lang=');
if (other && self) {
  const script = doc.createElement('script');
  script.src = self.src.split('?')[0] + '?lang=' + pageLang;
  script.nonce = self.nonce;
  doc.head.append(script);
}

/** lang is the banner's language: the page's if the script has it, else the fallback. */
export const lang = config.texts[pageLang] ? pageLang : config.default_lang;

/** texts are the banner's texts in lang; the server always sends default_lang's. */
export const texts = config.texts[lang]!;
