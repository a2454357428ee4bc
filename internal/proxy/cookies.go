package proxy

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/charte/charte/consent"
)

// enforce filters an upstream response's Set-Cookie headers h with the
// current charter ([consent.Enforcer], which lets every deletion pass,
// declared or not, unreported), after dropping the consent cookie set by the
// application: behind the proxy, only charte's API (under the prefix, never
// proxied) sets the visitor's decision, so an application that sets it forges
// consent. Its deletion passes: the visitor then has no decision and is asked
// again, which grants nothing. The kept headers stay in the application's
// order.
func (p *Proxy) enforce(req *http.Request, h http.Header) {
	if vals := h["Set-Cookie"]; len(vals) > 0 {
		now := time.Now()
		kept := vals[:0:0]
		for _, v := range vals {
			if cookieName(v) == consent.CookieName && !consent.IsDeletion(v, now) {
				continue
			}
			kept = append(kept, v)
		}
		if forged := len(vals) - len(kept); forged > 0 {
			p.consentDropped.Add(uint64(forged))
			p.warnLimited(req, "consent-cookie", "proxy: the application set the consent cookie; dropped (only charte's API sets it behind the proxy; logged once a minute)", "cookie", consent.CookieName, "path", req.URL.Path)
			setCookies(h, kept)
		}
	}
	p.enforcer().Enforce(req, h)
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
