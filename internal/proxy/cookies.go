package proxy

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/charte/charte/consent"
)

// enforce filters an upstream response's Set-Cookie headers h with the
// current charter, except for two kinds that the charter does not decide:
//
//   - a cookie deletion always passes, declared or not, and is not
//     reported: deleting is never a privacy problem (a logout deletes
//     cookies of every age);
//   - the consent cookie set by the application is dropped: behind the
//     proxy, only charte's API (under the prefix, never proxied) sets the
//     visitor's decision, so an application that sets it forges consent.
//     Its deletion passes: the visitor then has no decision and is asked
//     again, which grants nothing.
//
// The kept headers stay in the application's order.
func (p *Proxy) enforce(req *http.Request, h http.Header) {
	vals := h["Set-Cookie"]
	if len(vals) == 0 {
		p.enforcer().Enforce(req, h)
		return
	}
	now := time.Now()
	var (
		filtered = make([]string, 0, len(vals))
		deleted  []string // names the application deletes
		forged   int
	)
	for _, v := range vals {
		switch name := cookieName(v); {
		case deletes(v, now):
			deleted = append(deleted, name)
		case name == consent.CookieName:
			forged++
		default:
			filtered = append(filtered, v)
		}
	}
	if forged > 0 {
		p.consentDropped.Add(uint64(forged))
		p.warnLimited(req, "consent-cookie", "proxy: the application set the consent cookie; dropped (only charte's API sets it behind the proxy; logged once a minute)", "cookie", consent.CookieName, "path", req.URL.Path)
	}
	setCookies(h, filtered)
	p.enforcer().Enforce(req, h)
	if len(deleted) == 0 {
		return
	}
	// Enforce kept a subsequence of filtered and appended the deletions of
	// withdrawn cookies: merge the application's deletions back in place.
	enforced := h["Set-Cookie"]
	out := make([]string, 0, len(enforced)+len(deleted))
	k := 0
	for _, v := range vals {
		switch {
		case deletes(v, now):
			out = append(out, v)
		case k < len(enforced) && enforced[k] == v:
			out = append(out, v)
			k++
		}
	}
	for _, v := range enforced[k:] {
		if !slices.Contains(deleted, cookieName(v)) { // the application deletes it already
			out = append(out, v)
		}
	}
	setCookies(h, out)
}

// setCookies sets h's Set-Cookie headers to vals, or removes them.
func setCookies(h http.Header, vals []string) {
	if len(vals) == 0 {
		delete(h, "Set-Cookie")
		return
	}
	h["Set-Cookie"] = vals
}

// cookieName returns the name a Set-Cookie header sets.
func cookieName(header string) string {
	name, _, _ := strings.Cut(header, "=")
	return strings.TrimSpace(name)
}

// deletes reports whether a Set-Cookie header deletes its cookie: Max-Age
// zero or negative, or, without Max-Age (which takes precedence, RFC 6265
// 5.3), an Expires that is not in the future.
func deletes(header string, now time.Time) bool {
	lower := strings.ToLower(header)
	if !strings.Contains(lower, "max-age") && !strings.Contains(lower, "expires") {
		return false
	}
	c, err := http.ParseSetCookie(header)
	if err != nil {
		return false
	}
	if c.MaxAge != 0 {
		return c.MaxAge < 0
	}
	return !c.Expires.IsZero() && !c.Expires.After(now)
}

// maxRedirectHosts bounds the foreign redirect hosts the proxy remembers
// having logged.
const maxRedirectHosts = 256

// checkRedirect logs, once per host, a redirect to an absolute Location
// that names neither the host the visitor asked for nor the upstream: an
// application that sends visitors to its own idea of its name (a
// canonical-host redirect to an address where nothing listens, as
// WordPress does with a stale site URL) or elsewhere.
func (p *Proxy) checkRedirect(req *http.Request, loc string) {
	u, err := url.Parse(loc)
	if err != nil || u.Host == "" {
		return
	}
	host := strings.ToLower(u.Hostname())
	public := strings.ToLower(hostname(req.Header.Get("X-Forwarded-Host")))
	if host == public || host == p.upstreamHostname || host == strings.ToLower(hostname(req.Host)) {
		return
	}
	p.redirectMu.Lock()
	first := !p.redirectHosts[host] && len(p.redirectHosts) < maxRedirectHosts
	if first {
		p.redirectHosts[host] = true
	}
	p.redirectMu.Unlock()
	if first {
		p.logger.WarnContext(req.Context(), "proxy: the application redirects to a host that is neither the public one nor the upstream; if it is the application's own name, set the application's site address to the public one (logged once per host)", "location", loc, "public_host", public, "path", req.URL.Path)
	}
}

// hostname returns host without its port.
func hostname(host string) string {
	return (&url.URL{Host: host}).Hostname()
}
