// Finds the consent control of one kind (reject all, accept all) in this
// frame's document and its open shadow roots, and clicks it when click is
// true. rules are the kind's rules, from controls.go: {charte, cmp, names},
// the data-charte-action of charte's own banner, consent platforms' known
// selectors, and accessible names as norm leaves them (controls.go's
// controlName does the same). Returns null, or {rank, by, selector, text}:
// the lower the rank, the surer the match (0 charte's own banner, 1 a
// consent platform's known selector, 2 a button, 3 a link, 4 another
// element, by their accessible name). charte scan evaluates it in an
// isolated world of every frame of the page.
(function (rules, click) {
  const charte = rules.charte;
  const cmp = rules.cmp;
  const names = new Set(rules.names);

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
