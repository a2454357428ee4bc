// Reports every cookie a script writes (document.cookie, the Cookie Store
// API) to charte scan through the __charteScanCookie binding, with the
// script's URL from the call stack, so that the report can say which script
// set a cookie. charte scan adds it to every new document, before the page's
// own scripts run; the page's behaviour does not change.
(() => {
  const send = globalThis.__charteScanCookie;
  if (typeof send !== 'function') return;
  try { delete globalThis.__charteScanCookie; } catch (e) { /* keep it: the page is not told apart */ }
  const caller = () => {
    const lines = String(new Error().stack || '').split('\n');
    for (const l of lines) {
      const m = l.match(/(https?:\/\/[^\s()]+?):\d+:\d+\)?\s*$/);
      if (m) return m[1];
    }
    return '';
  };
  const report = (cookie) => {
    try { send(JSON.stringify({ cookie: String(cookie), script: caller(), frame: location.href })); } catch (e) { /* never break the page */ }
  };
  const d = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
  if (d && d.set && d.configurable) {
    Object.defineProperty(Document.prototype, 'cookie', {
      configurable: true,
      enumerable: d.enumerable,
      get: d.get,
      set(v) { report(v); return d.set.call(this, v); },
    });
  }
  if (globalThis.CookieStore && CookieStore.prototype.set) {
    const set = CookieStore.prototype.set;
    CookieStore.prototype.set = function (a, b) {
      let c = typeof a === 'string' ? a + '=' + b : (a && a.name) + '=' + (a && a.value);
      if (a && typeof a === 'object' && a.expires != null) c += '; expires=' + new Date(a.expires).toUTCString();
      if (a && typeof a === 'object' && a.domain) c += '; domain=' + a.domain;
      report(c);
      return set.apply(this, arguments);
    };
  }
})();
