package i18n

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// FallbackLanguage is the language a [Catalog] falls back to when it has no
// message in the language asked for.
const FallbackLanguage = "en"

// Catalog holds messages by language, then by key: c["fr"]["title"].
// Messages may hold fmt verbs, filled by [Catalog.T].
type Catalog map[string]map[string]string

// T returns the message key in lang, formatted with args through
// fmt.Sprintf when there are any. A message missing in lang is looked up in
// lang's base language (fr for fr-CA), then in [FallbackLanguage]; a message
// missing everywhere is the key itself, so the gap shows without breaking
// the page.
func (c Catalog) T(lang, key string, args ...any) string {
	msg, ok := c.lookup(lang, key)
	if !ok {
		return key
	}
	if len(args) == 0 {
		return msg
	}
	return fmt.Sprintf(msg, args...)
}

func (c Catalog) lookup(lang, key string) (string, bool) {
	for _, l := range candidates(lang) {
		if msg, ok := c[l][key]; ok {
			return msg, true
		}
	}
	return "", false
}

// candidates returns lang, its base language and the fallback language, in
// that order and without repeats.
func candidates(lang string) []string {
	out := []string{lang}
	if base, _, ok := strings.Cut(strings.ReplaceAll(lang, "_", "-"), "-"); ok && base != "" {
		out = append(out, strings.ToLower(base))
	}
	if !slices.Contains(out, FallbackLanguage) {
		out = append(out, FallbackLanguage)
	}
	return out
}

// Has reports whether c has messages in lang itself, without fallback.
func (c Catalog) Has(lang string) bool {
	return len(c[lang]) > 0
}

// Languages returns the languages c has messages in, sorted.
func (c Catalog) Languages() []string {
	langs := make([]string, 0, len(c))
	for l := range c {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	return langs
}

// Missing returns, sorted, one "lang: key" entry for every key that some
// language of c has and lang lacks or leaves empty. A complete catalog
// returns nil: packages that own a catalog test that.
func (c Catalog) Missing() []string {
	keys := make(map[string]bool)
	for _, msgs := range c {
		for k := range msgs {
			keys[k] = true
		}
	}
	var missing []string
	for lang, msgs := range c {
		for k := range keys {
			if msgs[k] == "" {
				missing = append(missing, lang+": "+k)
			}
		}
	}
	sort.Strings(missing)
	return missing
}
