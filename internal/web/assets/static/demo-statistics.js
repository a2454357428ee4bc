// Example audience measurement script of the /demo page: it runs only once
// the visitor allows statistics, and sets the cookie charte declares for it.
document.cookie = "charte_demo_stats=1; path=/; max-age=" + 30 * 86400 + "; SameSite=Lax";
document.getElementById("demo-statistics").textContent = document.documentElement.lang === "en" ? "ran, cookie charte_demo_stats set" : "exécuté, cookie charte_demo_stats déposé";
