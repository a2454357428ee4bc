// Shows the visitor's current decision on the /demo page, as the banner
// announces it with the charte:consent event.
// charte:recorded follows once the consent log has recorded it, with its id.
function showDecision(e) {
  var d = e.detail || {};
  var granted = Object.keys(d.choices || {}).filter(function (k) { return d.choices[k]; });
  document.getElementById("demo-decision").textContent =
    d.method + " — " + granted.join(", ") + " — " + (d.id || "…");
}
document.addEventListener("charte:consent", showDecision);
document.addEventListener("charte:recorded", showDecision);
