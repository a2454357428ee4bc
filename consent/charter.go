package consent

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// Necessary is the id of the category that is always allowed.
const Necessary = "necessary"

// Charter is what the middleware needs of a site's cookie charter: its
// version, its categories and its cookies. Its JSON form is the one charte
// serves at /api/v1/sites/{site}/charter and prints with
// `charte render --format json`; fields the middleware does not need are
// ignored.
type Charter struct {
	Site       Site       `json:"site"`
	Version    string     `json:"version"`
	Categories []Category `json:"categories"`
	Cookies    []Cookie   `json:"cookies"`
}

// Site identifies the site a charter is for.
type Site struct {
	ID string `json:"id"`
}

// Category is a purpose a visitor may consent to.
type Category struct {
	ID string `json:"id"`
	// Exempt marks a category that is on until the visitor objects
	// (anonymous audience measurement, under the CNIL exemption).
	Exempt bool `json:"exempt"`
}

// Cookie is a declared cookie, or family of cookies when Name is a pattern
// with *.
type Cookie struct {
	Name     string `json:"name"`
	Category string `json:"category"`
	// Party is "first" or "third".
	Party string `json:"party"`
	// Domain is the domain the cookie is set on, when the charter says.
	Domain string `json:"domain,omitempty"`
}

// ParseCharter reads a charter from its JSON form.
func ParseCharter(data []byte) (*Charter, error) {
	var ch Charter
	if err := json.Unmarshal(data, &ch); err != nil {
		return nil, fmt.Errorf("consent: parse charter: %w", err)
	}
	if err := ch.validate(); err != nil {
		return nil, err
	}
	return &ch, nil
}

// ReadCharter reads a charter's JSON form from r.
func ReadCharter(r io.Reader) (*Charter, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("consent: read charter: %w", err)
	}
	return ParseCharter(data)
}

// LoadCharter reads a charter's JSON form from a file.
func LoadCharter(path string) (*Charter, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("consent: %w", err)
	}
	return ParseCharter(data)
}

// validate checks what the middleware relies on.
func (ch *Charter) validate() error {
	if ch.Version == "" {
		return fmt.Errorf("consent: charter has no version")
	}
	cats := make(map[string]bool, len(ch.Categories))
	for _, c := range ch.Categories {
		cats[c.ID] = true
	}
	for _, c := range ch.Cookies {
		if c.Name == "" {
			return fmt.Errorf("consent: charter has a cookie with no name")
		}
		if c.Category != Necessary && !cats[c.Category] {
			return fmt.Errorf("consent: cookie %q is in category %q, which the charter does not declare", c.Name, c.Category)
		}
	}
	return nil
}

// MatchName reports whether name matches pattern, where * matches any run of
// characters (including none) and every other character matches itself.
func MatchName(pattern, name string) bool {
	star := strings.IndexByte(pattern, '*')
	if star < 0 {
		return pattern == name
	}
	if !strings.HasPrefix(name, pattern[:star]) {
		return false
	}
	name = name[star:]
	rest := pattern[star+1:]
	for {
		for len(rest) > 0 && rest[0] == '*' {
			rest = rest[1:]
		}
		if rest == "" {
			return true
		}
		next := strings.IndexByte(rest, '*')
		if next < 0 {
			return strings.HasSuffix(name, rest)
		}
		i := strings.Index(name, rest[:next])
		if i < 0 {
			return false
		}
		name = name[i+next:]
		rest = rest[next:]
	}
}

// Lookup returns the declared cookie that a cookie called name is, and
// whether there is one (see [Matcher] for the rule). It builds a [Matcher]
// each time: to look up many names, build one with [NewMatcher].
func (ch *Charter) Lookup(name string) (Cookie, bool) {
	return NewMatcher(ch.Cookies).Lookup(name)
}

// Matcher tells which declared cookie a cookie is. It is the one rule that
// both enforcement ([Enforcer]) and charte's audits use: an exact name wins
// over any pattern; among patterns the longest wins, as the more specific;
// among exact names or patterns of the same length, the first in charter
// order wins. Build it once with [NewMatcher]; looking up does not allocate,
// and a Matcher is safe for concurrent use.
type Matcher struct {
	cookies  []Cookie
	exact    map[string]int // name → index in cookies
	patterns []int          // indexes of the patterns in cookies, longest first
}

// NewMatcher returns a matcher of cookies, in charter order. It keeps a copy:
// later changes to cookies do not change it.
func NewMatcher(cookies []Cookie) *Matcher {
	m := &Matcher{cookies: slices.Clone(cookies), exact: make(map[string]int, len(cookies))}
	for i, c := range m.cookies {
		if strings.Contains(c.Name, "*") {
			m.patterns = append(m.patterns, i)
		} else if _, dup := m.exact[c.Name]; !dup {
			m.exact[c.Name] = i
		}
	}
	// Stable, so that patterns of the same length keep charter order.
	slices.SortStableFunc(m.patterns, func(a, b int) int { return len(m.cookies[b].Name) - len(m.cookies[a].Name) })
	return m
}

// Index returns the position, in the cookies the matcher was built from, of
// the declared cookie that a cookie called name is, or -1 when none is.
func (m *Matcher) Index(name string) int {
	if i, ok := m.exact[name]; ok {
		return i
	}
	for _, i := range m.patterns {
		if MatchName(m.cookies[i].Name, name) {
			return i
		}
	}
	return -1
}

// Lookup returns the declared cookie that a cookie called name is, and
// whether there is one.
func (m *Matcher) Lookup(name string) (Cookie, bool) {
	i := m.Index(name)
	if i < 0 {
		return Cookie{}, false
	}
	return m.cookies[i], true
}

// lookup is [Matcher.Lookup] without the copy, for the middleware: the
// declared cookie, or nil.
func (m *Matcher) lookup(name string) *Cookie {
	if i := m.Index(name); i >= 0 {
		return &m.cookies[i]
	}
	return nil
}
