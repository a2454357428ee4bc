package consent

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// CookieName is the name of the cookie that holds a visitor's decision on
// the embedding site. It is first-party, readable by the banner script and
// by [Middleware] alike.
const CookieName = "cookies_preferences"

// MaxCookieLen is the longest value [Decision.Encode] may produce.
const MaxCookieLen = 200

// The format of the cookie value, version 1, seven fields separated by dots:
//
//	1.<id>.<charter version>.<granted categories, ~-separated>.<method>.<created>.<expires>
//
// id is the decision's id in the consent log (base64url, empty while the
// decision has not been recorded yet); method is one letter (a accept_all,
// r reject_all, c custom, g gpc, w withdraw); times are Unix seconds. Every
// category not listed is denied; "necessary" is always granted. The value
// holds no personal data.
const cookieFormat = "1"

// methodCodes maps the one-letter codes of the cookie to method names.
var methodCodes = map[byte]string{
	'a': "accept_all",
	'r': "reject_all",
	'c': "custom",
	'g': "gpc",
	'w': "withdraw",
}

// ErrMalformed is returned by [ParseCookie] for a value that is not a
// version-1 decision.
var ErrMalformed = errors.New("consent: malformed cookies_preferences value")

// Decision is a visitor's decision as the cookie carries it.
type Decision struct {
	// ID is the decision's id in the consent log ("" when not yet recorded).
	ID string
	// Version is the charter version the visitor decided on.
	Version string
	// Granted lists the granted categories, sorted; the others are denied.
	Granted []string
	// Method is accept_all, reject_all, custom, gpc or withdraw.
	Method  string
	Created time.Time
	Expires time.Time
}

// Allowed reports whether the decision grants a category. "necessary" is
// always allowed.
func (d *Decision) Allowed(category string) bool {
	if category == "necessary" {
		return true
	}
	if d == nil {
		return false
	}
	_, found := slices.BinarySearch(d.Granted, category)
	return found
}

// Valid reports whether the decision holds for a charter version at a time:
// it is for that version and has not expired.
func (d *Decision) Valid(version string, now time.Time) bool {
	return d != nil && d.Version == version && now.Before(d.Expires)
}

// Encode returns the cookie value of d.
func (d *Decision) Encode() string {
	var code byte = 'c'
	for c, m := range methodCodes {
		if m == d.Method {
			code = c
		}
	}
	granted := slices.Clone(d.Granted)
	slices.Sort(granted)
	granted = slices.Compact(granted)
	return strings.Join([]string{
		cookieFormat,
		d.ID,
		d.Version,
		strings.Join(granted, "~"),
		string(code),
		strconv.FormatInt(d.Created.Unix(), 10),
		strconv.FormatInt(d.Expires.Unix(), 10),
	}, ".")
}

// ParseCookie parses a cookie value written by [Decision.Encode]. Any other
// value returns an error wrapping [ErrMalformed]: callers treat it as "no
// decision", never as a failure.
func ParseCookie(value string) (*Decision, error) {
	if len(value) > MaxCookieLen {
		return nil, fmt.Errorf("%w: longer than %d bytes", ErrMalformed, MaxCookieLen)
	}
	f := strings.Split(value, ".")
	if len(f) != 7 || f[0] != cookieFormat {
		return nil, fmt.Errorf("%w: not 7 fields of format 1", ErrMalformed)
	}
	d := &Decision{ID: f[1], Version: f[2]}
	if !token(d.ID, true) || !token(d.Version, false) {
		return nil, fmt.Errorf("%w: bad id or version", ErrMalformed)
	}
	if f[3] != "" {
		d.Granted = strings.Split(f[3], "~")
		for _, c := range d.Granted {
			if !token(c, false) {
				return nil, fmt.Errorf("%w: bad category %q", ErrMalformed, c)
			}
		}
		slices.Sort(d.Granted)
	}
	if len(f[4]) != 1 || methodCodes[f[4][0]] == "" {
		return nil, fmt.Errorf("%w: bad method", ErrMalformed)
	}
	d.Method = methodCodes[f[4][0]]
	created, err1 := strconv.ParseInt(f[5], 10, 64)
	expires, err2 := strconv.ParseInt(f[6], 10, 64)
	if err1 != nil || err2 != nil || created < 0 || expires < created {
		return nil, fmt.Errorf("%w: bad times", ErrMalformed)
	}
	d.Created, d.Expires = time.Unix(created, 0).UTC(), time.Unix(expires, 0).UTC()
	return d, nil
}

// token reports whether s is made of letters, digits, - and _ (base64url and
// slugs), and non-empty unless empty is allowed.
func token(s string, empty bool) bool {
	if s == "" {
		return empty
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
