package web

import (
	"context"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/charterfile"
)

// TestBrowserDemo plays a newcomer on charte's own demo page, under the
// page's own CSP and charte's built-in charter: the banner shows, accepting
// runs both example scripts and loads the player, and every cookie the
// browser holds afterwards is declared in the charter.
func TestBrowserDemo(t *testing.T) {
	browser := MustBrowser(t)
	db, gc := mustConsentLog(t)
	def := charterfile.Default()
	sites, err := NewSites(def)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(NewServer(Options{Sites: sites, Recorder: gc, Log: db}))
	t.Cleanup(ts.Close)

	b := newTab(t, browser)
	// charte's pages link no icon, so the browser's own request for
	// /favicon.ico gets a 404: noise, not a problem of the banner.
	b.allow = func(p string) bool { return strings.Contains(p, "404") && strings.HasSuffix(p, ts.URL+"/favicon.ico") }
	b.open(ts.URL + "/demo")
	b.waitFor("the banner", jsFirstLayer)
	const (
		jsStats = `document.querySelector('#demo-statistics').textContent`
		jsAds   = `document.querySelector('#demo-marketing').textContent`
	)
	blocked := [2]string{eval[string](b, jsStats), eval[string](b, jsAds)}
	if n := eval[int](b, jsBlocked); n != 2 {
		t.Errorf("%d blocked demo scripts wait, want 2", n)
	}
	if src := eval[string](b, jsIframe+`.getAttribute('src') ?? ''`); src != "" {
		t.Errorf("the demo player loaded before any choice (src %q)", src)
	}

	b.click("Accept all", jsAction("accept-all"))
	id := b.recordedID("")
	rec, err := db.FindDecisionByID(context.Background(), id)
	if err != nil {
		t.Fatalf("FindDecisionByID(%q): %v", id, err)
	}
	if rec.Method != charte.MethodAcceptAll || rec.Site != def.Site.ID || !rec.Choices["statistics"] || !rec.Choices["marketing"] {
		t.Errorf("recorded %s for %s with %v, want accept_all for %s", rec.Method, rec.Site, rec.Choices, def.Site.ID)
	}
	b.waitFor("both demo scripts to run", jsStats+` != `+jsString(blocked[0])+` && `+jsAds+` != `+jsString(blocked[1]))
	b.waitFor("the demo player to load", jsIframe+`.getAttribute('src') == '/demo/player' && !`+jsIframe+`.hidden`)
	// The choice in words, in the page's language (headless Chromium asks
	// for English), with the categories' names; the receipt's id follows
	// once the consent log has recorded it.
	b.waitFor("the demo's decision in words", `(t => t.includes('You accepted all on') && t.includes('Categories allowed: Necessary cookies, Statistics cookies and Marketing cookies.') && t.includes('Receipt id: `+id+`'))(document.querySelector('#demo-decision').textContent)`)
	// On the next visit the page says the choice made before.
	b.reload()
	b.waitFor("the earlier decision in words", `(t => t.includes('You accepted all on') && t.includes('Receipt id: `+id+`'))(document.querySelector('#demo-decision').textContent)`)

	var names []string
	for _, c := range b.allCookies() {
		names = append(names, c.Name)
		if _, ok := def.Lookup(c.Name); !ok {
			t.Errorf("cookie %s (domain %s) is not declared in charte's own charter", c.Name, c.Domain)
		}
	}
	for _, want := range []string{"cookies_preferences", "charte_demo_stats", "charte_demo_ads"} {
		if !slices.Contains(names, want) {
			t.Errorf("cookies = %q, want %s among them", names, want)
		}
	}
}

// jsString quotes s as a JavaScript string.
func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`).Replace(s) + "'"
}
