// Fathom Analytics: its script reads the site id from its data-site
// attribute.

import type { Loaders } from './service';

declare const __charteLoaders: Loaders;

__charteLoaders.fathom = (service, add) => {
  add(service.src!, { 'data-site': (service.params || {}).site_id });
};
