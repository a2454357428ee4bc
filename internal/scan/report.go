package scan

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/knowledge"
)

// class is what the charter, else the knowledge base, says of a cookie or
// storage key.
type class struct {
	category     string
	classifiedBy string
	declared     bool
	decl         charte.Cookie
	exempt       bool
	provider     string
	platform     string
}

// classify classifies the cookie (or storage key) name set on domain, by a
// third party when third is set.
func classify(ch *charte.Charter, name, domain string, third bool) class {
	e, known := knowledge.LookupCookie(name, domain, third)
	if ch != nil {
		if d, ok := ch.Lookup(name); ok {
			cat, _ := ch.Category(d.Category)
			c := class{category: d.Category, classifiedBy: charte.ClassifiedByCharter, declared: true, decl: d, exempt: cat.Exempt, provider: d.Provider}
			if known {
				c.platform = e.Platform
			}
			return c
		}
	}
	if known {
		return class{category: e.Category, classifiedBy: charte.ClassifiedByKnowledge, provider: e.Provider(), platform: e.Platform}
	}
	return class{category: charte.CategoryUnknown, classifiedBy: charte.ClassifiedByNothing}
}

// needsConsent reports whether a cookie of the class may be set only with
// the visitor's consent: it is known not to be necessary, and not exempt.
func (c class) needsConsent() bool {
	return c.category != charte.CategoryUnknown && c.category != charte.CategoryNecessary && !c.exempt
}

// observedLifetime is a cookie's lifetime from when it was first seen,
// rounded to the hour under two days and to the day above.
func observedLifetime(f cookieFact) charte.Lifetime {
	if f.expires.IsZero() {
		return charte.SessionLifetime
	}
	d := f.expires.Sub(f.at)
	if d < 47*time.Hour+30*time.Minute {
		return charte.Lifetime{Duration: charte.Duration{N: max(1, int(math.Round(d.Hours()))), Unit: charte.UnitHour}}
	}
	return charte.Lifetime{Duration: charte.Duration{N: int(math.Round(d.Hours() / 24)), Unit: charte.UnitDay}}
}

// overLimitTolerance is how much longer than 13 months a cookie may live
// before it is reported: sites that mean 13 months often count 396 days.
const overLimitTolerance = 24 * time.Hour

// mismatchTolerance is how much longer than declared a cookie may live
// before it is reported: a tenth of the declared lifetime, at most a day,
// for clocks and rounding.
func mismatchTolerance(d charte.Duration) time.Duration {
	return min(24*time.Hour, d.Approx()/10)
}

// merged is one cookie as all visitors saw it.
type merged struct {
	sc   *charte.ScanCookie
	key  cookieKey
	fact cookieFact
	cls  class
	// before is the first sighting before a choice, by any visitor;
	// afterReject the first after the visitor refused.
	before, afterReject *charte.Sighting
	setAfterReject      bool
}

// build compares what the visitors saw with the charter (nil for none) and
// writes the report, all but its times and browser.
func build(ch *charte.Charter, start string, obs []*observation) *charte.ScanReport {
	site := siteOf(hostOf(start))
	r := &charte.ScanReport{
		Site: start, Pages: []string{}, Visitors: []charte.Visitor{}, Cookies: []charte.ScanCookie{},
		Storage: []charte.StorageKey{}, ThirdParties: []charte.ThirdParty{}, Violations: []charte.Violation{},
	}
	if ch != nil {
		r.Charter = &charte.ScanCharter{Site: ch.Site.ID, Version: ch.Version, File: ch.Source}
	}
	for _, o := range obs {
		pages := o.pages
		if pages == nil {
			pages = []charte.PageVisit{}
		}
		r.Visitors = append(r.Visitors, charte.Visitor{ID: o.id, Choice: o.choice, Pages: pages})
		if o.id == charte.VisitorNone {
			for _, p := range o.pages {
				r.Pages = append(r.Pages, p.URL)
			}
		}
	}

	// Cookies, once each, in the visitors' order.
	var cookies []*merged
	byKey := make(map[cookieKey]*merged)
	for _, o := range obs {
		for _, s := range o.cookies {
			m, ok := byKey[s.key]
			if !ok {
				party := partyOf(site, s.key.domain)
				cls := classify(ch, s.key.name, s.key.domain, party == charte.PartyThird)
				m = &merged{key: s.key, fact: s.fact, cls: cls, sc: &charte.ScanCookie{
					Name: s.key.name, Domain: s.key.domain, Path: s.key.path,
					Party:    party,
					Category: cls.category, Declared: cls.declared, ClassifiedBy: cls.classifiedBy,
					Provider: cls.provider, Platform: cls.platform,
					Lifetime: observedLifetime(s.fact),
					HTTPOnly: s.fact.httpOnly, Secure: s.fact.secure, SameSite: s.fact.sameSite,
					FirstSeen: s.first, SetBy: s.setBy,
				}}
				if cls.declared {
					m.sc.DeclaredAs = cls.decl.Name
					l := cls.decl.Lifetime
					m.sc.DeclaredLifetime = &l
				}
				if !s.fact.expires.IsZero() {
					e := s.fact.expires
					m.sc.Expires = &e
				}
				byKey[s.key] = m
				cookies = append(cookies, m)
			}
			m.sc.Visitors = append(m.sc.Visitors, o.id)
			if m.before == nil && s.before != nil {
				m.before = s.before
			}
			if o.id == charte.VisitorReject && o.choice != nil && o.choice.Found && s.after != nil {
				m.afterReject, m.setAfterReject = s.after, s.setAfter
			}
		}
	}
	for _, m := range cookies {
		r.Cookies = append(r.Cookies, *m.sc)
	}
	slices.SortFunc(r.Cookies, func(a, b charte.ScanCookie) int {
		return cmp.Or(cmp.Compare(a.Party, b.Party), cmp.Compare(a.Domain, b.Domain), cmp.Compare(a.Name, b.Name), cmp.Compare(a.Path, b.Path))
	})

	// Storage keys, once each.
	storageAt := make(map[[3]string]int)
	for _, o := range obs {
		for _, s := range o.storage {
			id := [3]string{s.kind, s.origin, s.key}
			i, ok := storageAt[id]
			if !ok {
				host := hostOf(s.origin)
				cls := classify(ch, s.key, host, siteOf(host) != site)
				i = len(r.Storage)
				storageAt[id] = i
				r.Storage = append(r.Storage, charte.StorageKey{
					Kind: s.kind, Origin: s.origin, Key: s.key,
					Category: cls.category, Declared: cls.declared, ClassifiedBy: cls.classifiedBy, Platform: cls.platform,
					FirstSeen: s.first,
				})
			}
			r.Storage[i].Visitors = append(r.Storage[i].Visitors, o.id)
		}
	}
	slices.SortFunc(r.Storage, func(a, b charte.StorageKey) int {
		return cmp.Or(cmp.Compare(a.Origin, b.Origin), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Key, b.Key))
	})

	// Third-party hosts, once each, with the cookies set on their domain.
	hostAt := make(map[string]int)
	for _, o := range obs {
		for _, h := range o.hosts {
			i, ok := hostAt[h.host]
			if !ok {
				i = len(r.ThirdParties)
				hostAt[h.host] = i
				r.ThirdParties = append(r.ThirdParties, charte.ThirdParty{Host: h.host, Cookies: []string{}, Declared: names(ch, h.host), FirstSeen: h.first})
			}
			r.ThirdParties[i].Visitors = append(r.ThirdParties[i].Visitors, o.id)
		}
	}
	for i := range r.ThirdParties {
		tp := &r.ThirdParties[i]
		for _, c := range r.Cookies {
			if c.Party == charte.PartyThird && domainMatch(tp.Host, c.Domain) && !slices.Contains(tp.Cookies, c.Name) {
				tp.Cookies = append(tp.Cookies, c.Name)
			}
		}
		slices.Sort(tp.Cookies)
	}
	slices.SortFunc(r.ThirdParties, func(a, b charte.ThirdParty) int { return cmp.Compare(a.Host, b.Host) })

	if ch != nil {
		r.Violations = violations(ch, cookies, r.Storage)
	}
	return r
}

// names reports whether the charter names host: whether a cookie it
// declares is set on host's domain, a parent or a subdomain of it.
func names(ch *charte.Charter, host string) bool {
	if ch == nil {
		return false
	}
	for _, c := range ch.Cookies {
		if c.Domain != "" && (domainMatch(host, c.Domain) || domainMatch(strings.TrimPrefix(c.Domain, "."), host)) {
			return true
		}
	}
	return false
}

// violations compares the cookies seen with the charter.
func violations(ch *charte.Charter, cookies []*merged, storage []charte.StorageKey) []charte.Violation {
	var out []charte.Violation
	seen := make(map[[3]string]bool)
	add := func(v charte.Violation) {
		id := [3]string{v.Kind, v.Cookie, v.Domain}
		if !seen[id] {
			seen[id] = true
			out = append(out, v)
		}
	}
	used := make(map[string]bool)
	thirdParty := make(map[string][]*merged)
	var hosts []string
	for _, m := range cookies {
		c, cls := m.sc, m.cls
		what := describe(c.Name, cls)
		if cls.declared {
			used[cls.decl.Name] = true
		}
		if m.before != nil && cls.needsConsent() {
			add(charte.Violation{
				Kind: charte.ViolationSetBeforeConsent, Cookie: c.Name, Domain: c.Domain, Page: m.before.Page, Visitor: m.before.Visitor,
				Message: fmt.Sprintf("%s was set before the visitor made any choice; a cookie that needs consent must wait for it: set it only once the visitor accepts %s", what, cls.category),
			})
		}
		if m.afterReject != nil && cls.category != charte.CategoryUnknown && cls.category != charte.CategoryNecessary {
			msg := fmt.Sprintf("%s was set after the visitor refused all cookies: do not set it unless the visitor accepts %s", what, cls.category)
			if !m.setAfterReject {
				msg = fmt.Sprintf("%s was set before the visitor refused all cookies, and was still there after: set it only with consent, and delete it when the visitor refuses", what)
			}
			add(charte.Violation{Kind: charte.ViolationSetAfterRefusal, Cookie: c.Name, Domain: c.Domain, Page: m.afterReject.Page, Visitor: m.afterReject.Visitor, Message: msg})
		}
		if !cls.declared {
			guess := ""
			if cls.classifiedBy == charte.ClassifiedByKnowledge {
				guess = fmt.Sprintf(" (the knowledge base knows it: %s, %s)", cls.platform, cls.category)
			}
			add(charte.Violation{
				Kind: charte.ViolationUndeclared, Cookie: c.Name, Domain: c.Domain, Page: c.FirstSeen.Page, Visitor: c.FirstSeen.Visitor,
				Message: fmt.Sprintf("cookie %q on %s is not declared in the charter%s: declare it (charte scan --draft writes declarations to start from), or stop setting it", c.Name, c.Domain, guess),
			})
		}
		if c.Party == charte.PartyThird {
			host := strings.TrimPrefix(c.Domain, ".")
			if _, ok := thirdParty[host]; !ok {
				hosts = append(hosts, host)
			}
			thirdParty[host] = append(thirdParty[host], m)
		}
		if !m.fact.expires.IsZero() {
			lives := m.fact.expires.Sub(m.fact.at)
			if cls.category != charte.CategoryNecessary && lives > charte.MaxLifetime.Approx()+overLimitTolerance {
				add(charte.Violation{
					Kind: charte.ViolationLifetimeOver13Months, Cookie: c.Name, Domain: c.Domain, Page: c.FirstSeen.Page, Visitor: c.FirstSeen.Visitor,
					Message: fmt.Sprintf("%s lives %s, more than the 13 months the CNIL allows for a cookie that is not necessary: make it expire within 13 months", what, c.Lifetime),
				})
			}
			if cls.declared {
				d := cls.decl.Lifetime
				switch {
				case d.Session:
					add(charte.Violation{
						Kind: charte.ViolationLifetimeMismatch, Cookie: c.Name, Domain: c.Domain, Page: c.FirstSeen.Page, Visitor: c.FirstSeen.Visitor,
						Message: fmt.Sprintf("cookie %q is declared for the session but lives %s: make it a session cookie, or declare its lifetime", c.Name, c.Lifetime),
					})
				case m.fact.expires.After(d.Duration.AddTo(m.fact.at).Add(mismatchTolerance(d.Duration))):
					add(charte.Violation{
						Kind: charte.ViolationLifetimeMismatch, Cookie: c.Name, Domain: c.Domain, Page: c.FirstSeen.Page, Visitor: c.FirstSeen.Visitor,
						Message: fmt.Sprintf("cookie %q lives %s, longer than the %s the charter declares: shorten the cookie, or declare its real lifetime", c.Name, c.Lifetime, d),
					})
				}
			}
		}
	}
	for _, host := range hosts {
		ms := thirdParty[host]
		if names(ch, host) {
			continue
		}
		var ns []string
		for _, m := range ms {
			if !slices.Contains(ns, m.sc.Name) {
				ns = append(ns, m.sc.Name)
			}
		}
		slices.Sort(ns)
		first := ms[0].sc
		add(charte.Violation{
			Kind: charte.ViolationThirdPartyUndeclared, Cookie: ns[0], Domain: host, Page: first.FirstSeen.Page, Visitor: first.FirstSeen.Visitor,
			Message: fmt.Sprintf("third-party host %s sets cookies (%s) but the charter names no cookie on its domain: declare them with party: third and domain: %s, or remove what loads it", host, strings.Join(ns, ", "), host),
		})
	}
	for _, s := range storage {
		if d, ok := ch.Lookup(s.Key); ok {
			used[d.Name] = true
		}
	}
	for _, d := range ch.Cookies {
		if !used[d.Name] {
			add(charte.Violation{
				Kind: charte.ViolationUnusedDeclaration, Cookie: d.Name, Domain: d.Domain,
				Message: fmt.Sprintf("the charter declares %q, but no visitor saw it on the pages scanned: remove the declaration if the site no longer sets it (it may be set only where the scan did not go, such as after signing in)", d.Name),
			})
		}
	}
	rank := make(map[string]int)
	for i, k := range charte.ViolationKinds {
		rank[k] = i
	}
	slices.SortStableFunc(out, func(a, b charte.Violation) int {
		return cmp.Or(cmp.Compare(rank[a.Kind], rank[b.Kind]), cmp.Compare(a.Domain, b.Domain), cmp.Compare(a.Cookie, b.Cookie))
	})
	return out
}

// describe names a cookie and its class, for messages.
func describe(name string, cls class) string {
	switch cls.classifiedBy {
	case charte.ClassifiedByCharter:
		return fmt.Sprintf("cookie %q (%s, as the charter declares)", name, cls.category)
	case charte.ClassifiedByKnowledge:
		return fmt.Sprintf("cookie %q (%s: %s, by the knowledge base)", name, cls.platform, cls.category)
	}
	return fmt.Sprintf("cookie %q", name)
}
