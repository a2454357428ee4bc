// A stand-in for an advertising script: it sets the first-party cookie that
// the shop's charter declares as ads.
document.cookie = "ads=1; path=/; max-age=3600; SameSite=Lax";
(window.ran = window.ran || []).push("ads");
