// Example advertising script of the /demo page: it runs only once the
// visitor allows marketing, and sets the cookie charte declares for it.
document.cookie = "charte_demo_ads=1; path=/; max-age=" + 30 * 86400 + "; SameSite=Lax";
document.getElementById("demo-marketing").textContent = document.documentElement.lang === "en" ? "ran, cookie charte_demo_ads set" : "exécuté, cookie charte_demo_ads déposé";
