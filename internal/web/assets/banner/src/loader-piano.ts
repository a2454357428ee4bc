// Piano Analytics: once its SDK has defined pa, the site id and the
// collection domain (setConfigurations), then a page.display event.

import type { Loaders } from './service';

declare const __charteLoaders: Loaders;

__charteLoaders.piano = (service, add, win) => {
  const params = service.params || {};
  add(service.src!).addEventListener('load', () => {
    win.pa?.setConfigurations({ site: Number(params.site_id), collectDomain: params.collect_domain });
    win.pa?.sendEvent('page.display', {});
  });
};
