// Matomo: the _paq command queue gets the tracker's URL (matomo.php on the
// charter's url) and the site id, then a page view and link tracking;
// matomo.js, from the same url, runs the queue when it loads.

import type { Loaders } from './service';

declare const __charteLoaders: Loaders;

__charteLoaders.matomo = (service, add, win) => {
  const params = service.params || {},
    url = (params.url || '').replace(/\/?$/, '/'),
    queue = (win._paq = win._paq || []);
  queue.push(['setTrackerUrl', url + 'matomo.php'], ['setSiteId', params.site_id], ['trackPageView'], ['enableLinkTracking']);
  add(service.src || url + 'matomo.js');
};
