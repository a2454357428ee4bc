// Package proxy is charte's reverse proxy: it stands in front of any web
// application (PHP, Django, Node, …) and brings charte to it with no change
// to the application.
//
// A [Proxy] serves charte's own routes under a path prefix (/_charte), so
// that the banner and the consent API are same-origin with the application,
// and forwards everything else to the upstream application through
// [httputil.ReverseProxy]. On every upstream response it enforces the cookie
// charter with a [consent.Enforcer] — the same rules as the consent
// middleware — and it injects the banner's script tag into HTML pages,
// decoding and re-encoding gzip and brotli bodies. Every other response
// streams through untouched and unbuffered.
//
// It may import the domain (internal/charte), the public consent package,
// the standard library and github.com/andybalholm/brotli; metrics and wiring
// are cmd/charte's.
package proxy
