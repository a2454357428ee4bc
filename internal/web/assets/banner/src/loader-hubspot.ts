// HubSpot: its loader script, under the id its documentation gives it
// (hs-script-loader), which other HubSpot scripts look for.

import type { Loaders } from './service';

declare const __charteLoaders: Loaders;

__charteLoaders.hubspot = (service, add) => {
  add(service.src!, { id: 'hs-script-loader' });
};
