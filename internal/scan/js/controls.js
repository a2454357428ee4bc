// Finds the consent control of one kind ("reject" or "accept") in this
// frame's document and its open shadow roots, and clicks it when click is
// true. Returns null, or {rank, by, selector, text}: the lower the rank, the
// surer the match (0 charte's own banner, 1 a consent platform's known id,
// 2 a button, 3 a link, 4 another element, by their accessible name).
// charte scan evaluates it in an isolated world of every frame of the page.
(function (kind, click) {
  const charte = { reject: 'reject-all', accept: 'accept-all' }[kind];
  const cmp = {
    reject: [
      '#onetrust-reject-all-handler',
      '#didomi-notice-disagree-button',
      '#CybotCookiebotDialogBodyButtonDecline',
      '#tarteaucitronAllDenied2',
      '#axeptio_btn_dismiss',
      '.qc-cmp2-summary-buttons button[mode="secondary"]',
      '[data-testid="uc-deny-all-button"]',
      '#truste-consent-required',
      '.cmplz-btn.cmplz-deny',
      '.cky-btn-reject',
      '.iubenda-cs-reject-btn',
      '.osano-cm-denyAll',
      '#cookiescript_reject',
      '.cm-btn.cn-decline',
      '.orejime-Notice-declineButton',
      'button[data-cc="accept-necessary"]',
      'button[data-role="necessary"]',
    ],
    accept: [
      '#onetrust-accept-btn-handler',
      '#didomi-notice-agree-button',
      '#CybotCookiebotDialogBodyLevelButtonLevelOptinAllowAll',
      '#CybotCookiebotDialogBodyButtonAccept',
      '#tarteaucitronPersonalize2',
      '#axeptio_btn_acceptAll',
      '.qc-cmp2-summary-buttons button[mode="primary"]',
      '[data-testid="uc-accept-all-button"]',
      '#truste-consent-button',
      '.cmplz-btn.cmplz-accept',
      '.cky-btn-accept',
      '.iubenda-cs-accept-btn',
      '.osano-cm-accept-all',
      '#cookiescript_accept',
      '.cm-btn.cm-btn-accept-all',
      '.orejime-Notice-saveButton',
      'button[data-cc="accept-all"]',
      'button[data-role="all"]',
    ],
  }[kind];
  const names = new Set({
    reject: [
      // fr
      'tout refuser', 'refuser tout', 'tout rejeter', 'rejeter tout', 'refuser', 'rejeter', 'je refuse',
      'refuser les cookies', 'refuser tous les cookies', 'tout refuser et fermer', 'refuser et fermer',
      'continuer sans accepter', 'non merci', 'interdire tous les cookies', 'tout interdire',
      'uniquement les cookies nécessaires', 'cookies nécessaires uniquement',
      // en
      'reject all', 'reject', 'reject all cookies', 'reject cookies', 'decline', 'decline all',
      'decline cookies', 'deny', 'deny all', 'refuse all', 'i decline', 'disagree', 'disallow all',
      'no thanks', 'continue without accepting', 'necessary cookies only', 'only necessary cookies',
      'use necessary cookies only', 'only necessary', 'essential cookies only',
      // de
      'alle ablehnen', 'alles ablehnen', 'ablehnen', 'cookies ablehnen', 'verweigern', 'alle verweigern',
      'nur notwendige', 'nur notwendige cookies', 'nur essenzielle cookies', 'nur erforderliche cookies',
      'weiter ohne zustimmung',
      // es
      'rechazar todo', 'rechazar todas', 'rechazar', 'rechazar todas las cookies', 'rechazar cookies',
      'denegar', 'denegar todo', 'continuar sin aceptar', 'solo cookies necesarias',
      // it
      'rifiuta tutto', 'rifiuta tutti', 'rifiuta', 'rifiuta i cookie', 'rifiuta tutti i cookie', 'nega',
      'continua senza accettare', 'solo cookie necessari',
    ],
    accept: [
      // fr
      'tout accepter', 'accepter tout', 'accepter', "j'accepte", 'accepter et fermer', 'accepter et continuer',
      'accepter les cookies', 'accepter tous les cookies', 'tout autoriser', 'autoriser', 'autoriser tous les cookies',
      "ok pour moi", "d'accord",
      // en
      'accept all', 'accept', 'accept all cookies', 'accept cookies', 'allow all', 'allow all cookies',
      'allow cookies', 'i accept', 'agree', 'i agree', 'agree and close', 'agree and continue', 'got it',
      'ok', 'okay', 'accept and close', 'accept and continue',
      // de
      'alle akzeptieren', 'alles akzeptieren', 'akzeptieren', 'alle cookies akzeptieren', 'zustimmen',
      'alle zulassen', 'allen zustimmen', 'einverstanden', 'alle annehmen', 'annehmen',
      // es
      'aceptar todo', 'aceptar todas', 'aceptar', 'aceptar todas las cookies', 'aceptar cookies', 'acepto',
      'permitir todas', 'permitir todo',
      // it
      'accetta tutto', 'accetta tutti', 'accetta', 'accetta tutti i cookie', 'accetto', 'consenti tutti',
      'accetta e chiudi',
    ],
  }[kind]);

  // Every element of the document and of its open shadow roots.
  const roots = [document];
  for (let i = 0; i < roots.length; i++) {
    for (const el of roots[i].querySelectorAll('*')) {
      if (el.shadowRoot) roots.push(el.shadowRoot);
    }
  }
  const visible = (el) => {
    if (!el.isConnected || el.disabled || el.closest('[hidden], [aria-hidden="true"]')) return false;
    // Opacity is left out on purpose: a banner that fades in is already
    // there, and the click goes through.
    if (el.checkVisibility) return el.checkVisibility({ visibilityProperty: true });
    return el.getClientRects().length > 0;
  };
  const norm = (s) => (s || '').normalize('NFKC').toLowerCase()
    .replace(/[’‘`´]/g, "'").replace(/\s+/g, ' ')
    .replace(/^[\s×✕✗›»→!.:…]+|[\s×✕✗›»→!.:…]+$/g, '');
  const accessibleName = (el) => {
    let s = el.getAttribute('aria-label') || '';
    const ids = el.getAttribute('aria-labelledby');
    if (!s && ids) {
      const root = el.getRootNode();
      s = ids.split(/\s+/).map((id) => {
        const n = root.getElementById ? root.getElementById(id) : null;
        return n ? n.textContent : '';
      }).join(' ');
    }
    if (!s && el instanceof HTMLInputElement) s = el.value;
    if (!s) s = el.innerText || el.textContent || '';
    if (!s) s = el.getAttribute('title') || '';
    return s.trim();
  };
  const describe = (el) => {
    let d = el.localName;
    if (el.id) return d + '#' + el.id;
    const cls = Array.from(el.classList).slice(0, 2);
    if (cls.length) d += '.' + cls.join('.');
    return d;
  };

  let best = null, bestEl = null;
  const offer = (rank, by, selector, el) => {
    if (best && best.rank <= rank) return;
    best = { rank, by, selector, text: accessibleName(el).replace(/\s+/g, ' ').slice(0, 120) };
    bestEl = el;
  };
  for (const root of roots) {
    for (const el of root.querySelectorAll('[data-charte-action="' + charte + '"]')) {
      if (visible(el)) { offer(0, 'charte', '[data-charte-action="' + charte + '"]', el); break; }
    }
  }
  for (const sel of cmp) {
    if (best && best.rank <= 1) break;
    for (const root of roots) {
      let el = null;
      try { el = Array.from(root.querySelectorAll(sel)).find(visible); } catch (e) { /* a selector this browser does not know */ }
      if (el) { offer(1, 'cmp', sel, el); break; }
    }
  }
  if (!best || best.rank > 1) {
    for (const root of roots) {
      for (const el of root.querySelectorAll('*')) {
        if (best && best.rank <= 2) break;
        let rank;
        if (el.matches('button, [role="button"], input[type="button"], input[type="submit"]')) rank = 2;
        else if (el.matches('a')) rank = 3;
        else if (el.children.length === 0 && el.matches('div, span, p, li, label')) rank = 4;
        else continue;
        if (best && best.rank <= rank) continue;
        if (!names.has(norm(accessibleName(el))) || !visible(el)) continue;
        offer(rank, 'name', describe(el), el);
      }
    }
  }
  if (best && click) bestEl.click();
  return best;
})
