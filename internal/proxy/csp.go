package proxy

import (
	"net/http"
	"strings"
)

// scriptPolicy reads a page's Content-Security-Policy headers, which the
// proxy never rewrites, for what the banner needs: a same-origin script
// (its tag) that connects to the same origin (the consent API). It returns
// a nonce the tag must carry when a policy allows scripts by nonce, and
// whether some policy would still block the script or its connections.
// host is the page's host, for a policy that names it.
func scriptPolicy(h http.Header, host string) (nonce string, blocked bool) {
	for _, header := range h.Values("Content-Security-Policy") {
		for policy := range strings.SplitSeq(header, ",") {
			if srcs, ok := directive(policy, "script-src-elem", "script-src", "default-src"); ok {
				n := sourceNonce(srcs)
				if nonce == "" {
					nonce = n
				}
				if !allowsSelf(srcs, host) && (n == "" || n != nonce) {
					blocked = true
				}
			}
			if srcs, ok := directive(policy, "connect-src", "default-src"); ok && !allowsSelf(srcs, host) {
				blocked = true
			}
		}
	}
	return nonce, blocked
}

// directive returns the sources of the first of names a policy has.
func directive(policy string, names ...string) ([]string, bool) {
	var found []string
	rank := len(names)
	for d := range strings.SplitSeq(policy, ";") {
		fields := strings.Fields(d)
		if len(fields) == 0 {
			continue
		}
		for i, n := range names[:rank] {
			if strings.EqualFold(fields[0], n) {
				found, rank = fields[1:], i
				break
			}
		}
	}
	return found, rank < len(names)
}

// allowsSelf reports whether sources allow a script or a connection to the
// page's own origin without a nonce. 'strict-dynamic' makes a browser
// ignore 'self' and host sources for scripts.
func allowsSelf(srcs []string, host string) bool {
	for _, s := range srcs {
		if strings.EqualFold(s, "'strict-dynamic'") {
			return false
		}
	}
	for _, s := range srcs {
		ls := strings.ToLower(s)
		switch {
		case ls == "'self'", ls == "*", ls == "http:", ls == "https:":
			return true
		case host != "" && (ls == strings.ToLower(host) || strings.HasSuffix(ls, "://"+strings.ToLower(host))):
			return true
		}
	}
	return false
}

// sourceNonce returns the nonce of a 'nonce-…' source, when it is made of
// base64 characters only (it goes into an HTML attribute).
func sourceNonce(srcs []string) string {
	for _, s := range srcs {
		if len(s) > len("'nonce-'") && strings.HasPrefix(strings.ToLower(s), "'nonce-") && s[len(s)-1] == '\'' {
			n := s[len("'nonce-") : len(s)-1]
			if strings.Trim(n, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_") == "" {
				return n
			}
		}
	}
	return ""
}
