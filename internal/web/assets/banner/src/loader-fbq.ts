// Meta Pixel: fbq, which queues its calls until fbevents.js replaces it
// and runs them (fbq.queue, fbq.loaded, fbq.version, as the library reads
// them), then init with the pixel id and a PageView.

import type { Loaders } from './service';

declare const __charteLoaders: Loaders;

__charteLoaders.fbq = (service, add, win) => {
  if (!win.fbq) {
    const fbq: any = function (...args: unknown[]) {
      fbq.callMethod ? fbq.callMethod(...args) : fbq.queue.push(args);
    };
    fbq.push = fbq;
    fbq.loaded = true;
    fbq.version = '2.0';
    fbq.queue = [];
    win.fbq = win._fbq = fbq;
  }
  win.fbq('init', (service.params || {}).pixel_id);
  win.fbq('track', 'PageView');
  add(service.src!);
};
