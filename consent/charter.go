package consent

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
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

// index answers "which declared cookie is this?" quickly: exact names in a
// map, patterns longest first (a longer pattern is the more specific).
type index struct {
	exact    map[string]*Cookie
	patterns []*Cookie
	exempt   map[string]bool
}

func newIndex(ch *Charter) *index {
	ix := &index{exact: make(map[string]*Cookie, len(ch.Cookies)), exempt: map[string]bool{}}
	for i := range ch.Cookies {
		c := &ch.Cookies[i]
		if strings.Contains(c.Name, "*") {
			ix.patterns = append(ix.patterns, c)
		} else if _, dup := ix.exact[c.Name]; !dup {
			ix.exact[c.Name] = c
		}
	}
	sort.SliceStable(ix.patterns, func(i, j int) bool { return len(ix.patterns[i].Name) > len(ix.patterns[j].Name) })
	for _, c := range ch.Categories {
		if c.Exempt {
			ix.exempt[c.ID] = true
		}
	}
	return ix
}

// lookup returns the declared cookie a cookie called name is, or nil.
func (ix *index) lookup(name string) *Cookie {
	if c, ok := ix.exact[name]; ok {
		return c
	}
	for _, c := range ix.patterns {
		if MatchName(c.Name, name) {
			return c
		}
	}
	return nil
}
