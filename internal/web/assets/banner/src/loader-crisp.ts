// Crisp: the $crisp command queue and the website id in CRISP_WEBSITE_ID,
// which l.js reads.

import type { Loaders } from './service';

declare const __charteLoaders: Loaders;

__charteLoaders.crisp = (service, add, win) => {
  win.$crisp = win.$crisp || [];
  win.CRISP_WEBSITE_ID = (service.params || {}).website_id;
  add(service.src!);
};
