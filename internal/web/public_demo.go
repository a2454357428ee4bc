package web

import (
	"net/http"

	"github.com/charte/charte/internal/charte"
)

// demoPage is the data of demo.html.
type demoPage struct {
	pageBase
	Site      string
	Origin    string
	BannerURL string
	StatsJS   string
	AdsJS     string
	DemoJS    string
	// Methods and Categories are the words demo.js writes the visitor's
	// decision in: a sentence per method, the categories' names.
	Methods    []demoText
	Categories []demoText
}

// demoText is a text of the demo page with the id demo.js finds it by.
type demoText struct {
	ID   string
	Text string
}

// demoCSP lets the demo page frame its own example player, which the
// banner loads only once marketing cookies are allowed.
const demoCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'"

// handleDemo serves a page that embeds the banner of the default site, with
// example scripts and an iframe that wait for consent, so that a newcomer
// sees charte at work.
func (s *Server) handleDemo(w http.ResponseWriter, r *http.Request) error {
	lang := s.negotiate(r, nil)
	s.rememberLanguage(w, r, lang)
	w.Header().Set("Content-Security-Policy", demoCSP)
	ch := s.sites.Default()
	p := demoPage{
		pageBase:  s.base(r, lang, nil),
		Site:      ch.Site.ID,
		Origin:    s.origin(r),
		BannerURL: s.basePath + "/charte.js",
		StatsJS:   s.staticURL("demo-statistics.js"),
		AdsJS:     s.staticURL("demo-marketing.js"),
		DemoJS:    s.staticURL("demo.js"),
	}
	for _, m := range charte.Methods() {
		p.Methods = append(p.Methods, demoText{ID: string(m), Text: p.T("demo.said." + string(m))})
	}
	def := ch.Site.DefaultLanguage()
	for _, c := range ch.Categories {
		name := c.Name.In(lang, def)
		if name == "" {
			name = c.ID
		}
		p.Categories = append(p.Categories, demoText{ID: c.ID, Text: name})
	}
	s.renderPage(w, r, http.StatusOK, "demo.html", p)
	return nil
}

// handleDemoPlayer serves the page the demo's blocked iframe loads: a
// stand-in for a third-party video player.
func (s *Server) handleDemoPlayer(w http.ResponseWriter, r *http.Request) error {
	lang := s.negotiate(r, nil)
	s.renderPage(w, r, http.StatusOK, "demo-player.html", s.base(r, lang, nil))
	return nil
}
