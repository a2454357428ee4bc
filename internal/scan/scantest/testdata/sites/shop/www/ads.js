// Advertising that does not wait for consent: it tracks visitors until they
// choose.
if (!/(^|; )shop_consent=/.test(document.cookie)) {
  document.cookie = 'early_ads=1; max-age=2592000; path=/';
}
