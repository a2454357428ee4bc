// Package admin is charte's back office: the sign-in (with its limits and
// password-hash slots), the sessions and their sweep, CSRF tokens, and the
// pages under /admin/ (dashboard, receipts, export, charters), with their
// templates and their French and English messages.
//
// It is mounted by the web server (internal/web), which hands it what it
// borrows from the server in a [Host]: the page layout, error rendering,
// the set of sites, the client's address and origin as the server's
// TrustProxy sees them. It never imports internal/web (which imports it),
// nor any storage driver: only the domain's service interfaces, given in
// [Options].
//
// It may import the standard library, internal/charte, internal/i18n,
// internal/policy and internal/password.
package admin
