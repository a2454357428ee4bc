package i18n

// banner is the catalogue of the consent banner's own texts, one file per
// language (banner_fr.go, banner_en.go). Keys without a dot are the texts
// the banner script shows, under the names it reads them by
// (internal/web/assets/banner/src/config.ts); "session" and [Duration]
// write cookie lifetimes out on the server, which keeps the script smaller
// than shipping the words. Refusing is offered in the
// same words and at the same level as accepting (CNIL 2020 guidelines).
var banner = Catalog{
	"en": bannerEN,
	"fr": bannerFR,
}

// Banner returns the consent banner's text key in lang, as [Catalog.T]
// does: a language the banner has no texts in gets the English ones.
func Banner(lang, key string) string {
	return banner.T(lang, key)
}

// BannerLanguages returns the languages the banner has texts in, sorted.
func BannerLanguages() []string {
	return banner.Languages()
}
