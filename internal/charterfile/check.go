package charterfile

import (
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"
)

var (
	slugRE       = regexp.MustCompile(`^[a-z0-9-]{1,63}$`)
	categoryIDRE = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,62}$`)
	languageRE   = regexp.MustCompile(`^[a-z]{2,3}(-([A-Z]{2}|[0-9]{3}))?$`)
	domainRE     = regexp.MustCompile(`^\.?([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]*[a-z0-9])?$`)
	nonSlugRE    = regexp.MustCompile(`[^a-z0-9]+`)
)

// Each check returns "" for a good value, or a message saying what is wrong
// and what to write instead.

func checkSlug(s string) string {
	if slugRE.MatchString(s) {
		return ""
	}
	msg := fmt.Sprintf("site id %q is not a slug: use 1 to 63 lowercase letters, digits and hyphens", s)
	if fix := strings.Trim(nonSlugRE.ReplaceAllString(strings.ToLower(s), "-"), "-"); fix != "" && slugRE.MatchString(fix) {
		return msg + fmt.Sprintf(", as in %s", fix)
	}
	return msg + ", as in data-aveyron"
}

func checkCategoryID(s string) string {
	if categoryIDRE.MatchString(s) {
		return ""
	}
	return fmt.Sprintf("category id %q is invalid: use up to 63 lowercase letters, digits, - and _, starting with a letter, as in statistics or video_players", s)
}

// checkURL checks an absolute http(s) URL and returns its origin.
func checkURL(s string) (origin, msg string) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "" {
		if err == nil && u.Scheme == "" && !strings.Contains(s, " ") {
			return "", fmt.Sprintf("%q is not an absolute http(s) URL: write it with its scheme, as in https://%s", s, strings.TrimPrefix(s, "//"))
		}
		return "", fmt.Sprintf("%q is not an absolute http(s) URL: write one such as https://www.example.org", s)
	}
	return originOf(u), ""
}

// originOf is u's origin as browsers send it: lowercase, no default port.
func originOf(u *url.URL) string {
	scheme, host, port := strings.ToLower(u.Scheme), strings.ToLower(u.Hostname()), u.Port()
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port == "" || scheme == "https" && port == "443" || scheme == "http" && port == "80" {
		return scheme + "://" + host
	}
	return scheme + "://" + host + ":" + port
}

// checkOrigin checks an origin and returns it as browsers send it.
func checkOrigin(s string) (origin, msg string) {
	o, msg := checkURL(s)
	if msg != "" {
		return "", "origin " + msg
	}
	u, _ := url.Parse(s) // checkURL parsed it already
	if u.User != nil || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "#") {
		return "", fmt.Sprintf("origin %q has more than scheme://host[:port]: write %s", s, o)
	}
	return o, ""
}

func checkContact(s string) string {
	if strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") {
		if _, msg := checkURL(s); msg != "" {
			return "contact " + msg
		}
		return ""
	}
	if a, err := mail.ParseAddress(s); err == nil && a.Name == "" && a.Address == s {
		if _, domain, _ := strings.Cut(s, "@"); strings.Contains(domain, ".") && !strings.Contains(domain, "[") {
			return ""
		}
	}
	if rest, ok := strings.CutPrefix(s, "mailto:"); ok {
		return fmt.Sprintf("contact %q: write the address alone, as in %s", s, rest)
	}
	return fmt.Sprintf("contact %q is neither an email address nor an http(s) URL: write one, as in dpo@example.org or https://www.example.org/contact", s)
}

func checkLanguage(s string) string {
	if languageRE.MatchString(s) {
		return ""
	}
	base, region, hasRegion := strings.Cut(strings.ReplaceAll(s, "_", "-"), "-")
	fix := strings.ToLower(base)
	if hasRegion {
		fix += "-" + strings.ToUpper(region)
	}
	if languageRE.MatchString(fix) {
		return fmt.Sprintf("language %q is not written as a language code: write %s", s, fix)
	}
	return fmt.Sprintf("language %q is not a language code: use 2 or 3 lowercase letters, optionally followed by a region, as in fr, en or fr-BE", s)
}

// checkCookieName checks a cookie name or pattern. It allows what RFC 6265
// allows in a cookie name (a token: no control characters, spaces or
// separators), plus * as the wildcard.
func checkCookieName(s string) string {
	if strings.Trim(s, "*") == "" {
		return fmt.Sprintf("cookie name %q would match every cookie: write a name, or a pattern with a fixed part, as in _ga_*", s)
	}
	for _, r := range s {
		var what string
		switch {
		case r == utf8.RuneError:
			what = "an invalid UTF-8 byte"
		case r == ' ':
			what = "a space"
		case r == '\t':
			what = "a tab"
		case r < 0x20 || r == 0x7f:
			what = fmt.Sprintf("the control character %q", r)
		case r >= 0x80:
			what = fmt.Sprintf("%q, which is not ASCII", r)
		case strings.ContainsRune(`()<>@,;:\"/[]?={}`, r):
			what = fmt.Sprintf("%q", r)
		default:
			continue
		}
		msg := fmt.Sprintf("cookie name %q contains %s, which RFC 6265 forbids in cookie names", s, what)
		if r == '?' || r == '[' || r == ']' {
			return msg + ": in a pattern, only * is a wildcard, as in _ga_*"
		}
		return msg + ": write the name as the site sets it"
	}
	return ""
}

func checkDomain(s string) string {
	if s == "" || domainRE.MatchString(strings.ToLower(s)) {
		return ""
	}
	if u, err := url.Parse(s); err == nil && u.Hostname() != "" {
		return fmt.Sprintf("domain %q is not a domain name: write the host alone, as in %s", s, u.Hostname())
	}
	return fmt.Sprintf("domain %q is not a domain name: write one such as .example.com", s)
}

// suggest returns the word of candidates closest to s, if one is close
// enough to be a likely typo, or "".
func suggest(s string, candidates []string) string {
	best, bestD := "", -1
	for _, c := range candidates {
		d := distance(strings.ToLower(s), c)
		limit := max(1, len(c)/3)
		if len(s) >= 3 && strings.HasPrefix(c, strings.ToLower(s)) {
			limit = len(c) // an abbreviation: lang for languages
		}
		if d <= limit && d < len(c) && (bestD < 0 || d < bestD) {
			best, bestD = c, d
		}
	}
	return best
}

// distance is the Levenshtein distance between a and b, in runes.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
