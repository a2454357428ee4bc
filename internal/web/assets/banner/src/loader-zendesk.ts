// Zendesk Web Widget: its snippet finds itself by the id ze-snippet.

import type { Loaders } from './service';

declare const __charteLoaders: Loaders;

__charteLoaders.zendesk = (service, add) => {
  add(service.src!, { id: 'ze-snippet' });
};
