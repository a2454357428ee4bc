package web

import (
	"net/http"
	"slices"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// route is one entry of charte's HTTP surface.
type route struct {
	pattern string
	handler http.Handler
}

// routeList lists every route of charte's HTTP surface, in one place: each
// surface is a group, mounted only when it is configured. A route of a
// surface that is not mounted falls through to the catch-all 404.
func (s *Server) routeList() []route {
	var routes []route
	routes = append(routes, s.publicRoutes()...)
	routes = append(routes, s.apiRoutes()...)
	if s.recorder != nil {
		routes = append(routes, s.consentRoutes()...)
	}
	if s.office != nil {
		routes = append(routes, s.adminRoutes()...)
	}
	routes = append(routes, s.operationRoutes()...)
	// Anything else is a 404 through the error adapter (JSON under /api/).
	return append(routes, route{"/", s.adapt(s.handleNotFound)})
}

// publicRoutes are the public pages: HTML, revalidated with ETags, strict
// CSP, and the banner.
func (s *Server) publicRoutes() []route {
	return []route{
		{"GET /{$}", s.adapt(s.handleHome)},
		{"GET /cookies", s.adapt(s.handlePolicy)},
		{"GET /sites/{site}/cookies", s.adapt(s.handlePolicy)},
		{"GET /static/{file}", s.adapt(s.handleStatic)},
		{"GET /charte.js", s.adapt(s.handleBanner)},
		{"GET /sites/{site}/charte.js", s.adapt(s.handleBanner)},
		{"GET /charte-center.js", s.adapt(s.handleBannerCenter)},
		{"GET /sites/{site}/charte-center.js", s.adapt(s.handleBannerCenter)},
		{"GET /demo", s.adapt(s.handleDemo)},
		{"GET /demo/player", s.adapt(s.handleDemoPlayer)},
	}
}

// apiRoutes are the read-only JSON API: the sites and their charters.
func (s *Server) apiRoutes() []route {
	return []route{
		{"GET /api/v1/sites", s.adapt(s.handleSiteList)},
		{"GET /api/v1/sites/{site}/charter", s.adapt(s.handleCharterGet)},
	}
}

// consentRoutes are the consent API: CORS for the sites' origins, rate
// limited; mounted only with a consent log ([Options.Recorder]).
func (s *Server) consentRoutes() []route {
	cors := cors(s.sites, s.writeError)
	limit := rateLimit(s.limiter, s.clientKey, s.writeError)
	return []route{
		{"POST /api/v1/consents", cors(limit(s.adapt(s.handleConsentCreate)))},
		{"OPTIONS /api/v1/consents", cors(http.NotFoundHandler())},
		{"GET /api/v1/consents/{id}", cors(s.adapt(s.handleConsentGet))},
		{"OPTIONS /api/v1/consents/{id}", cors(http.NotFoundHandler())},
	}
}

// adminRoutes are the back office's (internal/web/admin/routes.go): session, CSRF,
// strict CSP; mounted only with [Options.Admin].
func (s *Server) adminRoutes() []route {
	var routes []route
	for _, rt := range s.office.Routes() {
		routes = append(routes, route{rt.Pattern, rt.Handler})
	}
	return routes
}

// operationRoutes are for the operator's probes and scrapers.
func (s *Server) operationRoutes() []route {
	return []route{
		{"GET /healthz", s.adapt(s.handleHealth)},
		{"GET /readyz", s.adapt(s.handleReady)},
		{"GET /metrics", promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{})},
	}
}

// routes builds the server's handler: the routes behind the middleware that
// every response goes through.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.routeList() {
		mux.Handle(rt.pattern, rt.handler)
	}
	// Outermost first: a panic anywhere is recovered, with the request's id.
	var h http.Handler = mux
	for _, mw := range slices.Backward([]func(http.Handler) http.Handler{
		recoverer(s.logger, s.writeError),
		requestID(),
		observe(s.metrics, s.logger),
		securityHeaders(),
	}) {
		h = mw(h)
	}
	if s.basePath != "" {
		// Outermost, so that the middleware sees the route's own pattern.
		h = http.StripPrefix(s.basePath, h)
	}
	return h
}
