// Plausible: its script reads the site's domain from its data-domain
// attribute (the charter's domain, else the page's host).

import type { Loaders } from './service';

declare const __charteLoaders: Loaders;

__charteLoaders.plausible = (service, add) => {
  add(service.src!, { 'data-domain': (service.params || {}).domain || location.hostname });
};
