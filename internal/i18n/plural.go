package i18n

import (
	"fmt"
	"strings"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// pluralForms are the names of CLDR's plural categories, as message keys
// end with them.
var pluralForms = [...]string{
	plural.Other: "other",
	plural.Zero:  "zero",
	plural.One:   "one",
	plural.Two:   "two",
	plural.Few:   "few",
	plural.Many:  "many",
}

// PluralForm returns the CLDR plural category of the whole number n in lang:
// "zero", "one", "two", "few", "many" or "other" ("one" for 1 in English,
// for 0 and 1 in French). An unknown language has only "other".
func PluralForm(lang string, n int) string {
	tag, err := language.Parse(strings.ReplaceAll(lang, "_", "-"))
	if err != nil {
		return pluralForms[plural.Other]
	}
	if n < 0 {
		n = -n
	}
	// Operands of a whole number: i = n, and no visible fraction digits.
	return pluralForms[plural.Cardinal.MatchPlural(tag, n%10_000_000, 0, 0, 0, 0)]
}

// Plural returns the message key.FORM in lang, formatted with n, where FORM
// is [PluralForm] of n in the language the message is found in: lang, its
// base language, then [FallbackLanguage], as [Catalog.T] looks them up. A
// language whose messages lack the form gets its key.other. A message
// missing everywhere is the key itself.
//
// A catalogue holds a plural message as one key per form of the language:
// "d.one": "%d jour", "d.other": "%d jours".
func (c Catalog) Plural(lang, key string, n int) string {
	for _, l := range candidates(lang) {
		msgs := c[l]
		msg, ok := msgs[key+"."+PluralForm(l, n)]
		if !ok {
			msg, ok = msgs[key+".other"]
		}
		if ok {
			return fmt.Sprintf(msg, n)
		}
	}
	return key
}
