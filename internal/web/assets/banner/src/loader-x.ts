// X Pixel: twq queuing its calls in twq.queue (version 1.1) until uwt.js
// sets twq.exe, then config with the pixel id.

import type { Loaders } from './service';

declare const __charteLoaders: Loaders;

__charteLoaders.x = (service, add, win) => {
  if (!win.twq) {
    const twq: any = (...args: unknown[]) => (twq.exe ? twq.exe(...args) : twq.queue.push(args));
    twq.version = '1.1';
    twq.queue = [];
    win.twq = twq;
  }
  win.twq('config', (service.params || {}).pixel_id);
  add(service.src!);
};
