package web

import (
	"fmt"
	"slices"
	"sync/atomic"

	"github.com/charte/charte/internal/charte"
)

// Sites is the set of charters a server serves, replaceable at once (on
// SIGHUP) while requests read it: readers always see one whole snapshot.
type Sites struct {
	snap atomic.Pointer[siteSnapshot]
}

type siteSnapshot struct {
	byID  map[string]*charte.Charter
	order []*charte.Charter
}

// NewSites returns a set holding charters; the first is the default site.
func NewSites(charters ...*charte.Charter) (*Sites, error) {
	s := &Sites{}
	if err := s.Replace(charters...); err != nil {
		return nil, err
	}
	return s, nil
}

// Replace swaps in a new set of charters; the first is the default site. It
// fails, leaving the set unchanged, when there is none or two share an id.
func (s *Sites) Replace(charters ...*charte.Charter) error {
	if len(charters) == 0 {
		return fmt.Errorf("replace sites: no charter")
	}
	snap := &siteSnapshot{byID: make(map[string]*charte.Charter, len(charters)), order: slices.Clone(charters)}
	for _, ch := range charters {
		if prev, dup := snap.byID[ch.Site.ID]; dup {
			return fmt.Errorf("replace sites: site id %q is declared by both %s and %s", ch.Site.ID, sourceName(prev), sourceName(ch))
		}
		snap.byID[ch.Site.ID] = ch
	}
	s.snap.Store(snap)
	return nil
}

func sourceName(ch *charte.Charter) string {
	if ch.Source == "" {
		return "the built-in charter"
	}
	return ch.Source
}

// Default returns the default site's charter.
func (s *Sites) Default() *charte.Charter { return s.snap.Load().order[0] }

// Find returns the charter of a site, or a not_found error.
func (s *Sites) Find(id string) (*charte.Charter, error) {
	if ch, ok := s.snap.Load().byID[id]; ok {
		return ch, nil
	}
	return nil, &charte.Error{Code: charte.ENOTFOUND, Field: "site", Message: fmt.Sprintf("Unknown site %q.", id)}
}

// All returns every charter, default first.
func (s *Sites) All() []*charte.Charter { return slices.Clone(s.snap.Load().order) }
