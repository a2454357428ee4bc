// Google Tag Manager: its dataLayer gets the gtm.start event with the time
// the container was asked for, then gtm.js loads.

import type { Loaders } from './service';

declare const __charteLoaders: Loaders;

__charteLoaders.gtm = (service, add, win) => {
  (win.dataLayer = win.dataLayer || []).push({ 'gtm.start': Date.now(), event: 'gtm.js' });
  add(service.src!);
};
