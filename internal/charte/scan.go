package charte

import "time"

// Visitor ids of a [ScanReport]: charte scan visits a site as three
// visitors, each in a fresh browser profile.
const (
	// VisitorNone does nothing: it never answers the consent banner.
	VisitorNone = "none"
	// VisitorReject clicks the banner's reject control, then visits the
	// pages again.
	VisitorReject = "reject"
	// VisitorAccept clicks the banner's accept control, then visits the
	// pages again.
	VisitorAccept = "accept"
)

// Phases of a [PageVisit]: before the visitor made a choice on the consent
// banner (always, for [VisitorNone]), or after.
const (
	PhaseBeforeChoice = "before_choice"
	PhaseAfterChoice  = "after_choice"
)

// Kinds of a [Violation]: what charte scan found that the charter, or the
// CNIL's rules, do not allow.
const (
	// ViolationSetBeforeConsent is a cookie that needs consent, present for
	// a visitor who has not (yet) given it.
	ViolationSetBeforeConsent = "set_before_consent"
	// ViolationSetAfterRefusal is a cookie that needs consent, present for
	// the visitor who refused.
	ViolationSetAfterRefusal = "set_after_refusal"
	// ViolationUndeclared is a cookie the charter does not declare.
	ViolationUndeclared = "undeclared"
	// ViolationUnusedDeclaration is a cookie the charter declares that no
	// visitor saw.
	ViolationUnusedDeclaration = "unused_declaration"
	// ViolationLifetimeMismatch is a cookie that lives longer than its
	// declared lifetime, or is persistent when declared for the session.
	ViolationLifetimeMismatch = "lifetime_mismatch"
	// ViolationLifetimeOver13Months is a cookie that is not necessary and
	// lives longer than 13 months, the most the CNIL allows.
	ViolationLifetimeOver13Months = "lifetime_over_13_months"
	// ViolationThirdPartyUndeclared is a third-party host that sets cookies
	// and that the charter does not name.
	ViolationThirdPartyUndeclared = "third_party_undeclared"
)

// ViolationKinds lists every kind of [Violation], in the order reports
// sort them.
var ViolationKinds = []string{
	ViolationSetBeforeConsent,
	ViolationSetAfterRefusal,
	ViolationUndeclared,
	ViolationThirdPartyUndeclared,
	ViolationLifetimeOver13Months,
	ViolationLifetimeMismatch,
	ViolationUnusedDeclaration,
}

// CategoryUnknown is the category of a cookie that neither the charter nor
// the knowledge base knows.
const CategoryUnknown = "unknown"

// How a [ScanCookie] or [StorageKey] was classified.
const (
	ClassifiedByCharter   = "charter"
	ClassifiedByKnowledge = "knowledge"
	ClassifiedByNothing   = "unknown"
)

// ScanReport is what charte scan saw of a site, as three visitors, and how
// it compares with the site's charter. Its JSON form is a public contract
// documented in the README.
type ScanReport struct {
	// Site is the URL the scan started from.
	Site    string    `json:"site"`
	Started time.Time `json:"started"`
	// DurationMS is how long the scan took, in milliseconds.
	DurationMS int64 `json:"duration_ms"`
	// Browser is the browser's product and version.
	Browser string `json:"browser"`
	// Charter identifies the charter the site was compared with; nil when
	// the scan had none.
	Charter *ScanCharter `json:"charter"`
	// Pages are the pages crawled, breadth-first from Site.
	Pages    []string  `json:"pages"`
	Visitors []Visitor `json:"visitors"`
	// Cookies are every cookie any visitor saw, once each (by name, domain
	// and path), sorted by domain, then name.
	Cookies []ScanCookie `json:"cookies"`
	// Storage are the localStorage and sessionStorage keys any visitor saw.
	Storage []StorageKey `json:"storage"`
	// ThirdParties are the hosts of another site that pages made requests to.
	ThirdParties []ThirdParty `json:"third_parties"`
	// Violations are empty when the scan had no charter.
	Violations []Violation `json:"violations"`
}

// ScanCharter identifies the charter a scan compared the site with.
type ScanCharter struct {
	Site    string `json:"site"`
	Version string `json:"version"`
	// File is the file the charter was read from.
	File string `json:"file,omitempty"`
}

// Visitor is one of the three visitors of a scan, and what it saw on each
// page it visited.
type Visitor struct {
	// ID is VisitorNone, VisitorReject or VisitorAccept.
	ID string `json:"id"`
	// Choice is the consent control the visitor clicked, or looked for in
	// vain; nil for VisitorNone.
	Choice *Choice     `json:"choice,omitempty"`
	Pages  []PageVisit `json:"pages"`
}

// Choice is the consent control a visitor looked for, and clicked when
// Found.
type Choice struct {
	Found bool `json:"found"`
	// By says how the control was recognised: "charte" (charte's own
	// banner), "cmp" (a consent platform's known id or class) or "name"
	// (its accessible name, such as "Tout refuser").
	By string `json:"by,omitempty"`
	// Selector is the CSS selector or attribute that matched.
	Selector string `json:"selector,omitempty"`
	// Text is the control's accessible name.
	Text string `json:"text,omitempty"`
	// Frame is the URL of the frame holding the control, when it is not the
	// page itself.
	Frame string `json:"frame,omitempty"`
	// Page is the page the visitor made its choice on.
	Page string `json:"page"`
}

// PageVisit is one visit of one page by one visitor.
type PageVisit struct {
	URL   string `json:"url"`
	Phase string `json:"phase"`
	// Status is the HTTP status of the page, 0 when it did not load.
	Status int `json:"status,omitempty"`
	// Error says why the page could not be loaded or read completely.
	Error string `json:"error,omitempty"`
	// Cookies are the cookies set (or set again) during this visit.
	Cookies []PageCookie `json:"cookies"`
	// LocalStorage and SessionStorage are the keys present after the visit,
	// for every frame of the page, as origin + " " + key.
	LocalStorage   []string `json:"local_storage"`
	SessionStorage []string `json:"session_storage"`
	// ThirdPartyHosts are the hosts of another site the page made requests to.
	ThirdPartyHosts []string `json:"third_party_hosts"`
}

// PageCookie is a cookie set during a [PageVisit], and what set it.
type PageCookie struct {
	Name   string `json:"name"`
	Domain string `json:"domain"`
	Path   string `json:"path"`
	SetBy  Setter `json:"set_by"`
}

// Setter is what set a cookie: an HTTP response (its Set-Cookie header) or
// a script (through document.cookie or the Cookie Store API).
type Setter struct {
	// Kind is "response" or "script".
	Kind string `json:"kind"`
	// URL is the response's URL, or the script's (the page's own URL for an
	// inline script, or when the script is not known).
	URL string `json:"url"`
}

// Setter kinds.
const (
	SetByResponse = "response"
	SetByScript   = "script"
)

// Sighting is where a cookie, storage key or host was first seen.
type Sighting struct {
	Visitor string `json:"visitor"`
	Page    string `json:"page"`
	Phase   string `json:"phase"`
}

// ScanCookie is one cookie seen by a scan, with what the charter (or the
// knowledge base) says of it.
type ScanCookie struct {
	Name   string `json:"name"`
	Domain string `json:"domain"`
	Path   string `json:"path"`
	Party  Party  `json:"party"`
	// Category is the charter's category for the cookie, else the knowledge
	// base's, else CategoryUnknown.
	Category string `json:"category"`
	// Declared reports whether the charter declares the cookie; DeclaredAs
	// is then the declaration's name or pattern.
	Declared   bool   `json:"declared"`
	DeclaredAs string `json:"declared_as,omitempty"`
	// ClassifiedBy is ClassifiedByCharter, ClassifiedByKnowledge or
	// ClassifiedByNothing.
	ClassifiedBy string `json:"classified_by"`
	// Provider and Platform come from the charter or the knowledge base.
	Provider string `json:"provider,omitempty"`
	Platform string `json:"platform,omitempty"`
	// Lifetime is the lifetime observed: "session", or the time from when
	// the cookie was first seen to its expiry, rounded to the hour or day.
	Lifetime Lifetime `json:"lifetime"`
	// Expires is the cookie's expiry as first seen; nil for a session cookie.
	Expires *time.Time `json:"expires,omitempty"`
	// DeclaredLifetime is the charter's lifetime for the cookie.
	DeclaredLifetime *Lifetime `json:"declared_lifetime,omitempty"`
	HTTPOnly         bool      `json:"http_only"`
	Secure           bool      `json:"secure"`
	SameSite         string    `json:"same_site,omitempty"`
	// Visitors are the ids of the visitors that saw the cookie.
	Visitors  []string `json:"visitors"`
	FirstSeen Sighting `json:"first_seen"`
	SetBy     Setter   `json:"set_by"`
}

// StorageKey is one localStorage or sessionStorage key seen by a scan.
type StorageKey struct {
	// Kind is "local" or "session".
	Kind   string `json:"kind"`
	Origin string `json:"origin"`
	Key    string `json:"key"`
	// Category, Declared and ClassifiedBy are as for [ScanCookie]: charters
	// may declare storage keys along with cookies.
	Category     string   `json:"category"`
	Declared     bool     `json:"declared"`
	ClassifiedBy string   `json:"classified_by"`
	Platform     string   `json:"platform,omitempty"`
	Visitors     []string `json:"visitors"`
	FirstSeen    Sighting `json:"first_seen"`
}

// ThirdParty is a host of another site that the scanned pages made requests
// to.
type ThirdParty struct {
	Host string `json:"host"`
	// Cookies are the names of the cookies set on the host's domain.
	Cookies []string `json:"cookies"`
	// Declared reports whether the charter names the host, as the domain of
	// a cookie.
	Declared  bool     `json:"declared"`
	Visitors  []string `json:"visitors"`
	FirstSeen Sighting `json:"first_seen"`
}

// Violation is one thing charte scan found that the charter, or the CNIL's
// rules, do not allow.
type Violation struct {
	// Kind is one of [ViolationKinds].
	Kind    string `json:"kind"`
	Cookie  string `json:"cookie,omitempty"`
	Domain  string `json:"domain,omitempty"`
	Page    string `json:"page,omitempty"`
	Visitor string `json:"visitor,omitempty"`
	// Message explains the violation to a person, and what to do.
	Message string `json:"message"`
}
