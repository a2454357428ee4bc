package scan

import (
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/network"

	"github.com/charte/charte/internal/charte"
)

// setCookie is a cookie as a Set-Cookie header or a script writes it.
type setCookie struct {
	name string
	// host is the domain the cookie is set on: its Domain attribute, else
	// the host of the response or of the frame whose script wrote it.
	host string
}

// cookieTimeLayouts are the expiry formats found in the wild, beyond those
// of http.ParseTime.
var cookieTimeLayouts = []string{"Mon, 02-Jan-2006 15:04:05 MST", "Mon, 02-Jan-06 15:04:05 MST"}

// parseSetCookie reads a Set-Cookie line (or a document.cookie write, which
// has the same form) sent from host. ok is false for a line that deletes a
// cookie (Max-Age of zero or less, or an Expires in the past): a cookie
// being deleted is not a cookie.
func parseSetCookie(line, host string, now time.Time) (setCookie, bool) {
	parts := strings.Split(line, ";")
	name, _, _ := strings.Cut(parts[0], "=")
	sc := setCookie{name: strings.TrimSpace(name), host: strings.ToLower(host)}
	maxAge, hasMaxAge := 0, false
	var expires time.Time
	for _, a := range parts[1:] {
		k, v, _ := strings.Cut(a, "=")
		v = strings.TrimSpace(v)
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "domain":
			if d := strings.Trim(strings.ToLower(v), "."); d != "" {
				sc.host = d
			}
		case "max-age":
			if n, err := strconv.Atoi(v); err == nil {
				maxAge, hasMaxAge = n, true
			}
		case "expires":
			t, err := http.ParseTime(v)
			for _, layout := range cookieTimeLayouts {
				if err == nil {
					break
				}
				t, err = time.Parse(layout, v)
			}
			if err == nil {
				expires = t
			}
		}
	}
	switch {
	case hasMaxAge:
		return sc, maxAge > 0
	case !expires.IsZero():
		return sc, expires.After(now)
	}
	return sc, true
}

// setEvent is one cookie set during a visit, and what set it.
type setEvent struct {
	cookie setCookie
	setter charte.Setter
	visit  *visit
	at     time.Time
}

// cookieKey identifies a cookie in a browser's jar.
type cookieKey struct{ name, domain, path string }

// jarEntry is what tells a cookie set again from the same one still there.
type jarEntry struct {
	value   string
	expires float64
}

// cookieFact is a cookie's attributes, as first seen.
type cookieFact struct {
	expires  time.Time // zero for a session cookie
	httpOnly bool
	secure   bool
	sameSite string
	// at is when the cookie was first seen: its lifetime is counted from
	// there.
	at time.Time
}

// seenCookie is one cookie seen by one visitor.
type seenCookie struct {
	key   cookieKey
	fact  cookieFact
	first charte.Sighting
	setBy charte.Setter
	// before and after are the first pages the cookie was present on,
	// before and after the visitor's choice.
	before, after *charte.Sighting
	// setAfter reports whether the cookie was set (again) after the choice.
	setAfter bool
}

// seenStorage is one storage key seen by one visitor.
type seenStorage struct {
	kind, origin, key string
	first             charte.Sighting
}

// seenHost is one third-party host one visitor's pages made requests to.
type seenHost struct {
	host  string
	first charte.Sighting
}

// observation is what one visitor saw: the input of [build].
type observation struct {
	id      string
	choice  *charte.Choice
	pages   []charte.PageVisit
	cookies []*seenCookie
	storage []*seenStorage
	hosts   []*seenHost
}

// recorder keeps what one visitor sees, from all its tabs.
type recorder struct {
	id   string
	site string

	mu      sync.Mutex
	events  map[string][]*setEvent // by cookie name
	jar     map[cookieKey]jarEntry
	cookies map[cookieKey]*seenCookie
	storage map[[3]string]*seenStorage
	hosts   map[string]*seenHost
	obs     observation
}

func newRecorder(id, site string) *recorder {
	return &recorder{
		id: id, site: site,
		events:  make(map[string][]*setEvent),
		jar:     make(map[cookieKey]jarEntry),
		cookies: make(map[cookieKey]*seenCookie),
		storage: make(map[[3]string]*seenStorage),
		hosts:   make(map[string]*seenHost),
		obs:     observation{id: id},
	}
}

// addEvent records a cookie set during a visit. It may be called from a
// tab's event loop: it only appends.
func (r *recorder) addEvent(e setEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events[e.cookie.name] = append(r.events[e.cookie.name], &e)
}

// latest returns an event that set c during vis, or, when vis is nil,
// during the last visit that set it. When several responses and scripts of
// a visit set the cookie, the choice does not depend on their order: a
// response before a script, then the first URL. r.mu is held.
func (r *recorder) latest(c *network.Cookie, vis *visit) *setEvent {
	es := r.events[c.Name]
	if vis == nil {
		for i := len(es) - 1; i >= 0; i-- {
			if domainMatch(es[i].cookie.host, c.Domain) {
				vis = es[i].visit
				break
			}
		}
		if vis == nil {
			return nil
		}
	}
	var best *setEvent
	for _, e := range es {
		if e.visit != vis || !domainMatch(e.cookie.host, c.Domain) {
			continue
		}
		if best == nil || e.setter.Kind < best.setter.Kind || e.setter.Kind == best.setter.Kind && e.setter.URL < best.setter.URL {
			best = e
		}
	}
	return best
}

// frameData is what page.js read from one frame.
type frameData struct {
	Origin  string   `json:"origin"`
	Local   []string `json:"local"`
	Session []string `json:"session"`
	Links   []string `json:"links"`
}

// record records the state of the visitor's browser after a visit: the
// cookies in its jar (taken at at), what the page's frames hold and the
// hosts it made requests to. It
// returns the visit's cookies and storage, for its [charte.PageVisit].
func (r *recorder) record(vis *visit, cookies []*network.Cookie, frames []frameData, hosts []string, at time.Time) charte.PageVisit {
	r.mu.Lock()
	defer r.mu.Unlock()
	pv := charte.PageVisit{URL: vis.url, Phase: vis.phase, Cookies: []charte.PageCookie{}, LocalStorage: []string{}, SessionStorage: []string{}, ThirdPartyHosts: []string{}}
	here := charte.Sighting{Visitor: r.id, Page: vis.url, Phase: vis.phase}
	next := make(map[cookieKey]jarEntry, len(cookies))
	for _, c := range cookies {
		if c == nil || !c.Session && c.Expires > 0 && c.Expires < float64(at.UnixMilli())/1000 {
			continue
		}
		k := cookieKey{c.Name, c.Domain, c.Path}
		e := jarEntry{c.Value, c.Expires}
		next[k] = e
		old, existed := r.jar[k]
		changed := !existed || old.value != e.value || math.Abs(old.expires-e.expires) > 2

		// What set the cookie, and where: an event of this visit, else
		// (when it changed) the last event of any visit, which that
		// visit reports, else a script of this page, which the hook did
		// not see (a service worker, a browser extension of the site…).
		var setter *charte.Setter
		where := here
		if ev := r.latest(c, vis); ev != nil {
			setter = &ev.setter
			pv.Cookies = append(pv.Cookies, charte.PageCookie{Name: c.Name, Domain: c.Domain, Path: c.Path, SetBy: ev.setter})
		} else if changed {
			if ev := r.latest(c, nil); ev != nil {
				setter = &ev.setter
				where = charte.Sighting{Visitor: r.id, Page: ev.visit.url, Phase: ev.visit.phase}
			} else {
				s := charte.Setter{Kind: charte.SetByScript, URL: vis.url}
				setter = &s
				pv.Cookies = append(pv.Cookies, charte.PageCookie{Name: c.Name, Domain: c.Domain, Path: c.Path, SetBy: s})
			}
		}

		sc, ok := r.cookies[k]
		if !ok {
			sc = &seenCookie{key: k, first: where, fact: cookieFact{httpOnly: c.HTTPOnly, secure: c.Secure, sameSite: string(c.SameSite), at: at}}
			if !c.Session && c.Expires > 0 {
				sec, frac := math.Modf(c.Expires)
				sc.fact.expires = time.Unix(int64(sec), int64(frac*1e9)).UTC()
			}
			if setter != nil {
				sc.setBy = *setter
			} else {
				sc.setBy = charte.Setter{Kind: charte.SetByScript, URL: vis.url}
			}
			r.cookies[k] = sc
			r.obs.cookies = append(r.obs.cookies, sc)
		}
		present := here
		if setter != nil {
			present = where
			if where.Phase == charte.PhaseBeforeChoice && sc.before == nil {
				sc.before = &where
			}
		}
		switch vis.phase {
		case charte.PhaseBeforeChoice:
			if sc.before == nil {
				sc.before = &present
			}
		case charte.PhaseAfterChoice:
			if sc.after == nil {
				sc.after = &present
			}
			if setter != nil && where.Phase == charte.PhaseAfterChoice {
				sc.setAfter = true
			}
		}
	}
	r.jar = next

	for _, f := range frames {
		if f.Origin == "" || f.Origin == "null" {
			continue
		}
		for _, kind := range []string{"local", "session"} {
			keys := f.Local
			if kind == "session" {
				keys = f.Session
			}
			for _, key := range keys {
				entry := f.Origin + " " + key
				if kind == "local" {
					pv.LocalStorage = append(pv.LocalStorage, entry)
				} else {
					pv.SessionStorage = append(pv.SessionStorage, entry)
				}
				id := [3]string{kind, f.Origin, key}
				if _, ok := r.storage[id]; !ok {
					s := &seenStorage{kind: kind, origin: f.Origin, key: key, first: here}
					r.storage[id] = s
					r.obs.storage = append(r.obs.storage, s)
				}
			}
		}
	}
	slices.Sort(hosts)
	for _, h := range hosts {
		if siteOf(h) == r.site {
			continue
		}
		pv.ThirdPartyHosts = append(pv.ThirdPartyHosts, h)
		if _, ok := r.hosts[h]; !ok {
			s := &seenHost{host: h, first: here}
			r.hosts[h] = s
			r.obs.hosts = append(r.obs.hosts, s)
		}
	}
	slices.SortFunc(pv.Cookies, func(a, b charte.PageCookie) int {
		return strings.Compare(a.Domain+"\x00"+a.Name+"\x00"+a.Path, b.Domain+"\x00"+b.Name+"\x00"+b.Path)
	})
	pv.Cookies = slices.CompactFunc(pv.Cookies, func(a, b charte.PageCookie) bool {
		return a.Name == b.Name && a.Domain == b.Domain && a.Path == b.Path
	})
	slices.Sort(pv.LocalStorage)
	pv.LocalStorage = slices.Compact(pv.LocalStorage)
	slices.Sort(pv.SessionStorage)
	pv.SessionStorage = slices.Compact(pv.SessionStorage)
	slices.Sort(pv.ThirdPartyHosts)
	return pv
}

// addPage appends a visit's record to the visitor's pages, in the order the
// crawl chose, whatever the order the tabs finished in.
func (r *recorder) addPage(pv charte.PageVisit) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.obs.pages = append(r.obs.pages, pv)
}

// observation returns what the visitor saw.
func (r *recorder) observation() *observation {
	r.mu.Lock()
	defer r.mu.Unlock()
	o := r.obs
	return &o
}
