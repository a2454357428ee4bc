// LinkedIn Insight Tag: the partner id in _linkedin_partner_id and in the
// list _linkedin_data_partner_ids, and lintrk queuing its calls in
// lintrk.q until insight.min.js takes over.

import type { Loaders } from './service';

declare const __charteLoaders: Loaders;

__charteLoaders.linkedin = (service, add, win) => {
  const id = (service.params || {}).partner_id;
  win._linkedin_partner_id = id;
  (win._linkedin_data_partner_ids = win._linkedin_data_partner_ids || []).push(id);
  if (!win.lintrk) {
    const lintrk: any = (action: unknown, data: unknown) => lintrk.q.push([action, data]);
    lintrk.q = [];
    win.lintrk = lintrk;
  }
  add(service.src!);
};
