package admin

import (
	"fmt"
	"net/http"

	"github.com/charte/charte/internal/charte"
)

// chartersPage is the data of admin_charters.html.
type chartersPage struct {
	adminBase
	Sites []siteCharters
}

type siteCharters struct {
	Charter  *charte.Charter
	Problems []string
	Checked  bool
	Versions []*charte.CharterVersion
}

// handleCharters lists the sites, the result of checking each current
// charter file, and every version each site's charter has had.
func (s *Office) handleCharters(w http.ResponseWriter, r *http.Request) error {
	base := s.adminBase(r)
	base.Section = "charters"
	page := chartersPage{adminBase: base}
	for _, ch := range s.sites.All() {
		sc := siteCharters{Charter: ch}
		if s.checkCharter != nil {
			sc.Problems, sc.Checked = s.checkCharter(ch), true
		}
		vs, err := s.charters.FindCharterVersions(r.Context(), ch.Site.ID)
		if err != nil {
			return fmt.Errorf("charter versions of %s: %w", ch.Site.ID, err)
		}
		sc.Versions = vs
		page.Sites = append(page.Sites, sc)
	}
	s.renderAdmin(w, r, http.StatusOK, "admin_charters.html", page)
	return nil
}

// diffPage is the data of admin_diff.html.
type diffPage struct {
	adminBase
	Site     string
	From, To string
	Diff     charte.CharterDiff
}

// handleCharterDiff shows what changed between two versions of a
// site's charter: cookies added, removed and changed.
func (s *Office) handleCharterDiff(w http.ResponseWriter, r *http.Request) error {
	site, q := r.PathValue("site"), r.URL.Query()
	load := func(field string) (*charte.Charter, error) {
		v, err := s.charters.FindCharterVersion(r.Context(), site, q.Get(field))
		if charte.ErrorCode(err) == charte.ENOTFOUND {
			return nil, &charte.Error{Code: charte.ENOTFOUND, Field: field, Message: fmt.Sprintf("Site %q has no charter version %q.", site, q.Get(field))}
		}
		if err != nil {
			return nil, err
		}
		return v.Charter()
	}
	from, err := load("from")
	if err != nil {
		return err
	}
	to, err := load("to")
	if err != nil {
		return err
	}
	base := s.adminBase(r)
	base.Section = "charters"
	s.renderAdmin(w, r, http.StatusOK, "admin_diff.html", diffPage{adminBase: base, Site: site, From: q.Get("from"), To: q.Get("to"), Diff: charte.Diff(from, to, base.Lang)})
	return nil
}
