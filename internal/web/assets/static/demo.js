// Shows the visitor's current decision on the /demo page, as the banner
// announces it with the charte:consent event.
document.addEventListener("charte:consent", function (e) {
  var d = e.detail || {};
  var granted = Object.keys(d.choices || {}).filter(function (k) { return d.choices[k]; });
  document.getElementById("demo-decision").textContent =
    d.method + " — " + granted.join(", ") + " — " + (d.id || "…");
});
