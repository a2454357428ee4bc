// TikTok Pixel: ttq, named in TiktokAnalyticsObject, an array whose
// methods queue their calls until events.js takes over, the pixel's entry
// in ttq._i, _t and _o (its script URL, start time and options), then a
// page view.

import type { Loaders } from './service';

declare const __charteLoaders: Loaders;

const METHODS = ['page', 'track', 'identify', 'instances', 'debug', 'on', 'off', 'once', 'ready', 'alias', 'group', 'enableCookie', 'disableCookie', 'holdConsent', 'revokeConsent', 'grantConsent'];

__charteLoaders.tiktok = (service, add, win) => {
  win.TiktokAnalyticsObject = 'ttq';
  const ttq = (win.ttq = win.ttq || []),
    id = (service.params || {}).pixel_id,
    src = service.src!;
  for (const method of METHODS) ttq[method] = ttq[method] || ((...args: unknown[]) => ttq.push([method, ...args]));
  (ttq._i = ttq._i || {})[id] = Object.assign([], { _u: src.split('?')[0] });
  (ttq._t = ttq._t || {})[id] = Date.now();
  (ttq._o = ttq._o || {})[id] = {};
  ttq.page();
  add(src + (src.includes('lib=') ? '' : '&lib=ttq'));
};
