// Microsoft Clarity: window.clarity queues its calls in clarity.q until
// the tag, from clarity.ms with the project id, takes over.

import type { Loaders } from './service';

declare const __charteLoaders: Loaders;

__charteLoaders.clarity = (service, add, win) => {
  win.clarity =
    win.clarity ||
    function (...args: unknown[]) {
      (win.clarity.q = win.clarity.q || []).push(args);
    };
  add(service.src!);
};
