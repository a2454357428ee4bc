package i18n

import (
	"cmp"
	"slices"
	"strings"

	"golang.org/x/text/language"
)

// maxAcceptEntries bounds the work done on an Accept-Language header: browsers
// send a handful of languages, and the header comes from the client.
const maxAcceptEntries = 32

// Negotiate returns the language, among supported, to serve a visitor in:
// the query's ?lang= value if supported, else the django_language cookie's
// value if supported, else the best match for the Accept-Language header
// (q-values honoured, "fr-CA" served as "fr"), else supported[0]. It returns
// "" only when supported is empty.
//
// A value is supported when it names one of supported, ignoring case and
// "_" for "-", or a regional variant of one ("en-GB" for "en"). Malformed
// entries of the header are skipped, not fatal.
func Negotiate(query, cookie, acceptLanguage string, supported []string) string {
	if len(supported) == 0 {
		return ""
	}
	for _, v := range []string{query, cookie} {
		if l, ok := pick(v, supported); ok {
			return l
		}
	}
	if l, ok := bestAccepted(acceptLanguage, supported); ok {
		return l
	}
	return supported[0]
}

// pick returns the supported language that v names.
func pick(v string, supported []string) (string, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", false
	}
	norm := strings.ReplaceAll(v, "_", "-")
	for _, s := range supported {
		if strings.EqualFold(norm, strings.ReplaceAll(s, "_", "-")) {
			return s, true
		}
	}
	t, err := language.Parse(norm)
	if err != nil {
		return "", false
	}
	_, i, conf := matcher(supported).Match(t)
	if conf < language.High {
		return "", false
	}
	return supported[i], true
}

// bestAccepted returns the supported language that best matches an
// Accept-Language header.
func bestAccepted(header string, supported []string) (string, bool) {
	type weighted struct {
		tag language.Tag
		q   float32
	}
	var desired []weighted
	for i, entry := range strings.Split(header, ",") {
		if i == maxAcceptEntries {
			break
		}
		// Parsing entry by entry keeps the good entries of a header that
		// has a bad one; ParseAcceptLanguage rejects the whole header.
		tags, qs, err := language.ParseAcceptLanguage(entry)
		if err != nil || len(tags) != 1 {
			continue
		}
		desired = append(desired, weighted{tags[0], qs[0]})
	}
	if len(desired) == 0 {
		return "", false
	}
	slices.SortStableFunc(desired, func(a, b weighted) int { return cmp.Compare(b.q, a.q) })
	tags := make([]language.Tag, len(desired))
	for i, d := range desired {
		tags[i] = d.tag
	}
	_, i, conf := matcher(supported).Match(tags...)
	if conf == language.No {
		return "", false
	}
	return supported[i], true
}

func matcher(supported []string) language.Matcher {
	tags := make([]language.Tag, len(supported))
	for i, s := range supported {
		// An invalid code becomes und, which matches nothing but keeps the
		// indexes aligned with supported.
		tags[i] = language.Make(strings.ReplaceAll(s, "_", "-"))
	}
	return language.NewMatcher(tags)
}
