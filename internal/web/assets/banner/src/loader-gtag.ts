// Google's tag (gtag.js: Google Analytics 4, Ads, Floodlight): a dataLayer,
// the gtag function pushing its arguments object onto it (what gtag.js
// reads), the 'js' timestamp and one 'config' per id, then the script.
// With Google Consent Mode, charte.js has already pushed the consent
// defaults and any update, so they come first in the dataLayer.

import type { Loaders } from './service';

declare const __charteLoaders: Loaders;

__charteLoaders.gtag = (service, add, win) => {
  const layer = (win.dataLayer = win.dataLayer || []);
  win.gtag =
    win.gtag ||
    function () {
      layer.push(arguments);
    };
  win.gtag('js', new Date());
  // Its parameters are ids: measurement_id, conversion_id, advertiser_id.
  // Analytics' cookies (_ga, _ga_*) last 2 years by default: the catalogue
  // declares them for 13 months, the most the CNIL allows, so a G- id is
  // configured to keep them 395 days (34,128,000 s).
  for (const id of Object.values(service.params || {}))
    win.gtag('config', id, id.startsWith('G-') ? { cookie_expires: 34128000 } : {});
  add(service.src!);
};
