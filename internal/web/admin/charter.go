package admin

import (
	"fmt"
	"net/http"

	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/i18n"
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

// diffPage is the data of admin_diff.html: the diff in words.
type diffPage struct {
	adminBase
	Site     string
	From, To string
	Empty    bool
	// CategoriesAdded and CategoriesRemoved are names.
	CategoriesAdded, CategoriesRemoved []string
	Added, Removed                     []diffCookie
	Changed                            []diffChange
	// Look are the banner's keys that changed, by charter path.
	Look []charte.FieldChange
}

// diffCookie is a cookie added or removed, in words.
type diffCookie struct {
	Name, Category, Provider, Lifetime string
}

// diffChange is a cookie whose fields changed, in words.
type diffChange struct {
	Name    string
	Changes []charte.FieldChange
}

// words writes a charter diff in lang: category names instead of ids,
// field names, lifetimes and parties written out.
func (s *Office) words(d charte.CharterDiff, from, to *charte.Charter, lang string, t func(string, ...any) string) diffPage {
	name := func(id string) string {
		if n := categoryName(to, id, lang); n != id {
			return n
		}
		return categoryName(from, id, lang)
	}
	value := func(field, v string) string {
		if v == "" {
			return "—"
		}
		switch field {
		case "category":
			return name(v)
		case "lifetime":
			return lifetimeWords(lang, v, t)
		case "party":
			if k := "party." + v; t(k) != k {
				return t(k)
			}
		}
		return v
	}
	var p diffPage
	p.Empty = d.Empty()
	for _, f := range d.Look {
		if f.From == "" {
			f.From = "—"
		}
		if f.To == "" {
			f.To = "—"
		}
		p.Look = append(p.Look, f)
	}
	for _, c := range d.CategoriesAdded {
		p.CategoriesAdded = append(p.CategoriesAdded, name(c))
	}
	for _, c := range d.CategoriesRemoved {
		p.CategoriesRemoved = append(p.CategoriesRemoved, name(c))
	}
	cookie := func(c charte.Cookie) diffCookie {
		return diffCookie{Name: c.Name, Category: name(c.Category), Provider: c.Provider, Lifetime: lifetimeWords(lang, c.Lifetime.String(), t)}
	}
	for _, c := range d.Added {
		p.Added = append(p.Added, cookie(c))
	}
	for _, c := range d.Removed {
		p.Removed = append(p.Removed, cookie(c))
	}
	for _, c := range d.Changed {
		dc := diffChange{Name: c.Name}
		for _, f := range c.Changes {
			field := f.Field
			if k := "field." + f.Field; t(k) != k {
				field = t(k)
			}
			dc.Changes = append(dc.Changes, charte.FieldChange{Field: field, From: value(f.Field, f.From), To: value(f.Field, f.To)})
		}
		p.Changed = append(p.Changed, dc)
	}
	return p
}

// lifetimeWords writes a lifetime (session, 13mo) out in lang.
func lifetimeWords(lang, v string, t func(string, ...any) string) string {
	l, err := charte.ParseLifetime(v)
	switch {
	case err != nil || v == "":
		return v
	case l.Session:
		return t("lifetime.session")
	default:
		return i18n.Duration(lang, l.Duration.N, string(l.Duration.Unit))
	}
}

// handleCharterDiff shows what changed between two versions of a
// site's charter: cookies added, removed and changed.
func (s *Office) handleCharterDiff(w http.ResponseWriter, r *http.Request) error {
	site, q := r.PathValue("site"), r.URL.Query()
	load := func(field string) (*charte.Charter, error) {
		v, err := s.charters.FindCharterVersion(r.Context(), site, q.Get(field))
		if charte.ErrorCode(err) == charte.ENOTFOUND {
			return nil, translated(&charte.Error{Code: charte.ENOTFOUND, Field: field, Message: fmt.Sprintf("Site %q has no charter version %q.", site, q.Get(field))}, "error.version", site, q.Get(field))
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
	base.Section = "diff"
	base.SiteID = site
	page := s.words(charte.Diff(from, to, base.Lang), from, to, base.Lang, base.T)
	page.adminBase, page.Site, page.From, page.To = base, to.Site.Name, q.Get("from"), q.Get("to")
	s.renderAdmin(w, r, http.StatusOK, "admin_diff.html", page)
	return nil
}
