// A stand-in for an audience measurement script: it sets the first-party
// cookie that the shop's charter declares under the pattern _pk_id.*.
document.cookie = "_pk_id.abc=1; path=/; max-age=3600; SameSite=Lax";
(window.ran = window.ran || []).push("stats");
