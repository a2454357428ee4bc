package admin

import "net/http"

// Route is one route of the back office: a [http.ServeMux] pattern, under
// the host's base path, and its handler.
type Route struct {
	Pattern string
	Handler http.Handler
}

// Routes lists every route of the back office: session, CSRF, strict CSP
// (the admin middleware chain).
func (s *Office) Routes() []Route {
	return []Route{
		{"GET /admin/login", s.admin(true, s.handleLogin)},
		{"POST /admin/login", s.admin(true, s.handleLoginPost)},
		{"POST /admin/logout", s.admin(false, s.handleLogout)},
		{"POST /admin/language", s.admin(true, s.handleLanguage)},
		{"GET /admin/{$}", s.admin(false, s.handleDashboard)},
		{"GET /admin/receipts", s.admin(false, s.handleReceipt)},
		{"GET /admin/export", s.admin(false, s.handleExport)},
		{"GET /admin/charters", s.admin(false, s.handleCharters)},
		{"GET /admin/charters/{site}/diff", s.admin(false, s.handleCharterDiff)},
		{"GET /admin", http.RedirectHandler("admin/", http.StatusMovedPermanently)},
	}
}
