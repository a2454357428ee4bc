package web

// Issue 12's end-to-end tests of the banner with the vendors' official
// snippets (internal/vendortest): every vendor host on a loopback stub, the
// fixture page on 127.0.0.3, charte on 127.0.0.1.

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charte/charte/internal/charterfile"
	"github.com/charte/charte/internal/services"
	"github.com/charte/charte/internal/vendortest"
)

// vendorSite starts charte with the charter text (its site's origin is
// the page's, on 127.0.0.3) and the fixture site, whose page page makes of
// the banner's <script> (the <head> line a site adds); it returns charte's
// URL and the page's.
func vendorSite(t *testing.T, charter func(origin string) string, page func(banner string) string) (charteURL, pageURL string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.3:0")
	if err != nil {
		t.Fatalf("listen on 127.0.0.3 (a loopback alias): %v", err)
	}
	pageURL = "http://" + ln.Addr().String()
	text := charter(pageURL)
	ch, err := charterfile.Parse("fixture.yaml", []byte(text))
	if err != nil && (strings.Contains(err.Error(), `unknown key "services"`) || strings.Contains(err.Error(), `unknown key "auto_block"`)) {
		ln.Close()
		t.Skipf("charterfile does not know services: or options.auto_block yet (issue 12): %v", err)
	}
	if err != nil {
		ln.Close()
		t.Fatalf("the fixture's charter:\n%s\n%v", text, err)
	}
	sites, err := NewSites(ch)
	if err != nil {
		t.Fatal(err)
	}
	db, gc := mustConsentLog(t)
	cs := httptest.NewServer(NewServer(Options{Sites: sites, Recorder: gc, Log: db}))
	t.Cleanup(cs.Close)

	ps := httptest.NewUnstartedServer(vendortest.SiteOf(page(`<script src="` + cs.URL + `/sites/fixture/charte.js"></script>`)))
	ps.Listener.Close()
	ps.Listener = ln
	ps.Start()
	t.Cleanup(ps.Close)
	return cs.URL, pageURL + "/"
}

// TestBannerVendorsBlockedByHand plays issue 12's journey on the fixture
// page blocked by hand (vendortest.Block), as a site owner blocks it for
// the banner today: no vendor is asked before consent, embeds wait behind
// placeholders, a choice of statistics loads only its services and
// "Accept all" every one. It shows the journey the automatic blocking
// must pass is sound with the banner as it is.
func TestBannerVendorsBlockedByHand(t *testing.T) {
	stub := vendortest.Start(t)
	_, page := vendorSite(t, vendortest.HandCharter, func(banner string) string {
		return vendortest.Block(vendortest.Page(banner), vendortest.HandCategories())
	})
	browser := stub.MustStartBrowser(t)
	ctx, cancel := context.WithTimeout(browser, 120*time.Second)
	defer cancel()
	vendortest.Flow{Stub: stub, Page: page, Services: vendortest.HandServices(), Granted: []string{"statistics"}}.Run(t, ctx)
}

// TestBannerAutoBlockVendors is issue 12's "the same with the banner
// alone and auto_block: true": the fixture page with the vendors'
// snippets pasted as published, the banner first in its <head>, a charter
// that names the services with options.auto_block: true. It skips while
// charterfile does not know the keys, the banner's configuration carries
// no services, or the banner holds nothing (auto_block not there yet).
//
// The page's own markup is the one thing a script cannot hold: Chromium
// preloads a <script src> written in the HTML while the banner loads, and
// starts an <iframe src> the moment the parser inserts it, before any
// observer runs (the README's auto_block limits). So the page here writes
// those tags (gtag.js, Vimeo's player.js, the YouTube and Vimeo frames) in
// their blocked form, as the proxy would, and keeps every snippet that
// inserts its tag from a script (GTM, Matomo, Meta Pixel, Hotjar,
// LinkedIn) and the lazy Maps frame as published: what auto_block holds.
func TestBannerAutoBlockVendors(t *testing.T) {
	stub := vendortest.Start(t)
	charteURL, page := vendorSite(t, func(origin string) string { return vendortest.Charter(origin, "  auto_block: true") }, func(banner string) string {
		return blockMarkup(vendortest.Page(banner), catalogCategories())
	})
	resp, err := http.Get(charteURL + "/sites/fixture/charte.js")
	if err != nil {
		t.Fatal(err)
	}
	js, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	svcs, ok := vendortest.BannerServices(js)
	if !ok {
		t.Skip("the banner's configuration carries no services yet (issue 12, the catalogue's banner config)")
	}
	browser := stub.MustStartBrowser(t)
	ctx, cancel := context.WithTimeout(browser, 120*time.Second)
	defer cancel()
	vendortest.Flow{Stub: stub, Page: page, Services: svcs, Granted: []string{"statistics"},
		Unheld: "the banner held no vendor before consent with auto_block: true (issue 12, the banner's auto_block)"}.Run(t, ctx)
}

var (
	markupScript = regexp.MustCompile(`<script\b([^>]*)\ssrc="(https://[^"]+)"([^>]*)></script>`)
	markupFrame  = regexp.MustCompile(`<iframe\b([^>]*?)\ssrc="(https://[^"]+)"([^>]*)>`)
)

// catalogCategories returns the catalogue's category of each service, as
// the fixture's charter, which names them without exempt, blocks them.
func catalogCategories() map[string]string {
	cats := map[string]string{}
	cat := services.Default()
	for _, id := range cat.ServiceIDs() {
		d, _ := cat.Service(id)
		cats[id] = d.Category
	}
	return cats
}

// blockMarkup writes in their blocked form the page's <script src> and
// eager <iframe src> of the vendors, which no script can hold (see
// [TestBannerAutoBlockVendors]); inline snippets and lazy frames stay.
func blockMarkup(page string, category map[string]string) string {
	service := func(src string) string {
		u, err := url.Parse(src)
		if err != nil {
			return ""
		}
		return vendortest.ServiceOf(u.Host, u.Path)
	}
	page = markupScript.ReplaceAllStringFunc(page, func(tag string) string {
		m := markupScript.FindStringSubmatch(tag)
		id := service(m[2])
		if id == "" {
			return tag
		}
		return `<script type="text/plain" data-category="` + category[id] + `" data-charte-service="` + id + `"` + m[1] + ` src="` + m[2] + `"` + m[3] + `></script>`
	})
	return markupFrame.ReplaceAllStringFunc(page, func(tag string) string {
		m := markupFrame.FindStringSubmatch(tag)
		id := service(m[2])
		if id == "" || strings.Contains(tag, `loading="lazy"`) {
			return tag
		}
		return `<iframe` + m[1] + ` data-category="` + category[id] + `" data-charte-service="` + id + `" data-src="` + m[2] + `"` + m[3] + `>`
	})
}
