// Hotjar: window.hj queues its calls in hj.q, and _hjSettings names the
// site (hjid) and the snippet's version (hjsv) the tag reads.

import type { Loaders } from './service';

declare const __charteLoaders: Loaders;

__charteLoaders.hotjar = (service, add, win) => {
  win.hj =
    win.hj ||
    function (...args: unknown[]) {
      (win.hj.q = win.hj.q || []).push(args);
    };
  win._hjSettings = { hjid: Number((service.params || {}).site_id || (service.params || {}).hjid), hjsv: 6 };
  add(service.src!);
};
