package i18n

import "fmt"

// durations is the catalogue of durations written out, shared by the
// banner and the policy page: the key is a unit of [charte.Duration]
// (h, d, w, mo, y) and its plural form, the argument the count.
var durations = Catalog{
	"fr": {
		"h.one": "%d heure", "h.other": "%d heures",
		"d.one": "%d jour", "d.other": "%d jours",
		"w.one": "%d semaine", "w.other": "%d semaines",
		"mo.one": "%d mois", "mo.other": "%d mois",
		"y.one": "%d an", "y.other": "%d ans",
	},
	"en": {
		"h.one": "%d hour", "h.other": "%d hours",
		"d.one": "%d day", "d.other": "%d days",
		"w.one": "%d week", "w.other": "%d weeks",
		"mo.one": "%d month", "mo.other": "%d months",
		"y.one": "%d year", "y.other": "%d years",
	},
}

// Duration writes n units out in lang with the plural form the language
// gives n: Duration("fr", 6, "mo") is "6 mois", Duration("en", 1, "y")
// "1 year". A language without the words gets English ones; a unit no
// catalogue knows is written n+unit ("6fortnight"), never as a message key.
func Duration(lang string, n int, unit string) string {
	if _, ok := durations["en"][unit+".other"]; !ok {
		return fmt.Sprintf("%d%s", n, unit)
	}
	return durations.Plural(lang, unit, n)
}
