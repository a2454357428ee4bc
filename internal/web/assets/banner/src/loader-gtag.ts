// Google's tag (gtag.js, Google Analytics 4 and Google Ads): a dataLayer,
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
  const params = service.params || {};
  for (const key of ['measurement_id', 'conversion_id', 'id']) if (params[key]) win.gtag('config', params[key]);
  add(service.src!);
};
