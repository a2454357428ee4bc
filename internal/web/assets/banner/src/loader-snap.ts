// Snap Pixel: snaptr queuing its calls in snaptr.queue until
// scevent.min.js sets handleRequest, then init with the pixel id and a
// page view.

import type { Loaders } from './service';

declare const __charteLoaders: Loaders;

__charteLoaders.snap = (service, add, win) => {
  if (!win.snaptr) {
    const snaptr: any = (...args: unknown[]) => (snaptr.handleRequest ? snaptr.handleRequest(...args) : snaptr.queue.push(args));
    snaptr.queue = [];
    win.snaptr = snaptr;
  }
  win.snaptr('init', (service.params || {}).pixel_id, {});
  win.snaptr('track', 'PAGE_VIEW');
  add(service.src!);
};
