// Intercom: intercomSettings with the app id, and Intercom queuing its
// calls in Intercom.q until the widget takes over.

import type { Loaders } from './service';

declare const __charteLoaders: Loaders;

__charteLoaders.intercom = (service, add, win) => {
  win.intercomSettings = { ...win.intercomSettings, app_id: (service.params || {}).app_id };
  if (!win.Intercom) {
    const intercom: any = (...args: unknown[]) => intercom.q.push(args);
    intercom.q = [];
    win.Intercom = intercom;
  }
  add(service.src!);
};
