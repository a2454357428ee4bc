// Package web is charte's HTTP server: the public policy pages, the JSON API,
// health and metrics endpoints, and the back office (internal/web/admin),
// each a group of routes mounted only when [Options] configure it. Every
// route is listed in routes.go; handlers return errors to one adapter
// (error.go) that picks the status and the body.
//
// It may import the domain (internal/charte), consent, policy, i18n, its own
// embedded assets, the back office (internal/web/admin) and the Prometheus
// client (/metrics); it never sees a storage driver, only the interfaces it
// is given in [Options].
package web
