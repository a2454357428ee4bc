// Reads what charte scan collects from one frame: its origin, its
// localStorage and sessionStorage keys, and (with links) the URLs its links
// point to. Evaluated in an isolated world, so the page's own scripts cannot
// change the answer.
(function (links) {
  const r = { origin: location.origin, local: [], session: [], links: [] };
  try { r.local = Object.keys(localStorage); } catch (e) { /* storage denied */ }
  try { r.session = Object.keys(sessionStorage); } catch (e) { /* storage denied */ }
  if (links) {
    for (const a of document.querySelectorAll('a[href], area[href]')) {
      if (!a.hasAttribute('download')) r.links.push(a.href);
    }
  }
  return r;
})
