// Microsoft Advertising (UET): the uetq queue, then, once bat.js has
// defined UET, the tracker built on it with the tag id and the queued
// calls, and a page load.

import type { Loaders } from './service';

declare const __charteLoaders: Loaders;

__charteLoaders.uet = (service, add, win) => {
  win.uetq = win.uetq || [];
  add(service.src!).addEventListener('load', () => {
    if (!win.UET || !Array.isArray(win.uetq)) return;
    win.uetq = new win.UET({ ti: (service.params || {}).tag_id, enableAutoSpaTracking: true, q: win.uetq });
    win.uetq.push('pageLoad');
  });
};
