// Shows the visitor's current decision on the /demo page in words, in the
// page's language, as the banner announces it with the charte:consent event;
// charte:recorded follows once the consent log has recorded it, with its id.
// The words come from the page (#demo-texts); dates are written with Intl.
(function () {
  "use strict";

  function texts() {
    var box = document.getElementById("demo-texts");
    var said = {}, names = {};
    box.querySelectorAll("[data-method]").forEach(function (li) { said[li.dataset.method] = li.textContent; });
    box.querySelectorAll("[data-category-name]").forEach(function (li) { names[li.dataset.categoryName] = li.textContent; });
    return { box: box, said: said, names: names };
  }

  // created returns when the decision in the cookies_preferences cookie was
  // made (its sixth field, Unix seconds), or now.
  function created() {
    var m = document.cookie.match(/(?:^|; )cookies_preferences=([^;]*)/);
    var f = m ? m[1].split(".") : [];
    return f.length === 7 && +f[5] > 0 ? new Date(+f[5] * 1000) : new Date();
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, k) { return k in values ? values[k] : all; });
  }

  function paragraph(text) {
    var p = document.createElement("p");
    p.textContent = text;
    return p;
  }

  function show(d) {
    if (!d || !d.method) return;
    var t = texts(), locale = t.box.dataset.locale, at = created();
    var date = new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", year: "numeric" }).format(at);
    var granted = Object.keys(d.choices || {}).filter(function (k) { return d.choices[k]; })
      .map(function (k) { return t.names[k] || k; });
    var list = granted.length ? new Intl.ListFormat(locale, { type: "conjunction" }).format(granted) : "—";
    var out = document.getElementById("demo-decision");
    out.replaceChildren(
      paragraph(fill(t.said[d.method] || d.method, {
        date: date,
        hour: String(at.getHours()),
        minute: String(at.getMinutes()).padStart(2, "0"),
      })),
      paragraph(fill(t.box.dataset.granted, { names: list })),
      paragraph(d.id ? fill(t.box.dataset.receipt, { id: d.id }) : t.box.dataset.receiptPending)
    );
    out.lastChild.className = "receipt";
  }

  function onDecision(e) { show(e.detail); }
  document.addEventListener("charte:consent", onDecision);
  document.addEventListener("charte:recorded", onDecision);
  // A decision made on an earlier visit: the banner is loaded once the page is.
  document.addEventListener("DOMContentLoaded", function () {
    if (window.charte && window.charte.decision) show(window.charte.decision());
  });
})();
