// Audience measurement, only with consent. _ga asks for 3 years: Chromium
// keeps it 400 days, still more than 13 months.
if (/(^|; )shop_consent=all/.test(document.cookie)) {
  document.cookie = '_ga=GA1.1.42.1700000000; max-age=94608000; path=/; samesite=lax';
  document.cookie = '_gid=GA1.1.43.1700000000; max-age=86400; path=/; samesite=lax';
}
