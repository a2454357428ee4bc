// Pinterest Tag: pintrk queuing its calls in pintrk.queue (version 3.0)
// until core.js takes over, then load with the tag id and a page visit.

import type { Loaders } from './service';

declare const __charteLoaders: Loaders;

__charteLoaders.pinterest = (service, add, win) => {
  if (!win.pintrk) {
    const pintrk: any = (...args: unknown[]) => pintrk.queue.push(args);
    pintrk.queue = [];
    pintrk.version = '3.0';
    win.pintrk = pintrk;
  }
  win.pintrk('load', (service.params || {}).tag_id);
  win.pintrk('page');
  add(service.src!);
};
