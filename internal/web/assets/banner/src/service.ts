// Types shared by the modules that the server adds to charte.js for the
// services a charter names (services.ts, the loaders in loader-*.ts) and
// for auto_block (autoblock.ts). Types only: nothing here runs.

/** Service is a catalogue service as the charter names it (internal/web/banner.go, bannerService). */
export interface Service {
  id: string;
  name: string;
  provider: string;
  category: string;
  /** The built-in loader of its official tag; absent for an embed-only service. */
  loader?: string;
  /** Its tag's URL, the charter's parameters put in. */
  src?: string;
  params?: Record<string, string>;
  embed?: boolean;
  hosts?: string[];
}

/**
 * Loader loads one service's official tag: it sets up the globals and the
 * first calls the vendor documents, then adds the tag's script with add
 * (an async script in the head, with the attributes given, which it
 * returns for a loader that acts once it has loaded).
 */
export type Loader = (service: Service, add: (src: string, attrs?: Record<string, string>) => HTMLScriptElement, win: Record<string, any>) => void;

/**
 * Loaders are the loaders the server put before services.ts in the same
 * closure: each loader-*.ts module sets its own entry.
 */
export type Loaders = Record<string, Loader | undefined>;

/** ServicesTexts are the texts of the named placeholders in one language. */
export interface ServicesTexts {
  /** Holds %s three times: the service's name, its provider, the category's name. */
  service: string;
  /** Holds %s: the service's name. */
  open: string;
}

/** ServicesConfig is what the server inlines in services.ts. */
export interface ServicesConfig {
  services: Service[];
  /** Each category's name in the texts' languages, for the placeholders. */
  categories: Record<string, Record<string, string>>;
  texts: Record<string, ServicesTexts | undefined>;
  default_lang: string;
}

/** AutoBlockConfig is what the server inlines in autoblock.ts: [host, category, service id]. */
export interface AutoBlockConfig {
  hosts: [string, string, string][];
}
