package web

import (
	"fmt"
	"html/template"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"
)

// vendor is a loopback stub of a service's servers: it records every
// request and answers with scripts that note, in window.ran, that they ran
// and what the page had set up for them.
type vendor struct {
	origin string
	host   string
	mu     sync.Mutex
	seen   []string
}

// vendorScripts are what each stub script notes when it runs.
var vendorScripts = map[string]string{
	"/gtag/js":       `(window.ran = window.ran || []).push('gtag: ' + dataLayer.filter((e) => !e.event).map((e) => typeof e[1] == 'string' ? e[0] + ' ' + e[1] : e[0]).join(', '));`,
	"/gtm.js":        `(window.ran = window.ran || []).push('gtm: ' + dataLayer.filter((e) => e.event).map((e) => e.event + (e['gtm.start'] > 0 ? ' start' : '')).join(', '));`,
	"/matomo.js":     `(window.ran = window.ran || []).push('matomo: ' + JSON.stringify(_paq));`,
	"/fbevents.js":   `(window.ran = window.ran || []).push('fbq: ' + JSON.stringify(fbq.queue));`,
	"/late1.js":      `(window.ran = window.ran || []).push('late1');`,
	"/late2.js":      `(window.ran = window.ran || []).push('late2');`,
	"/late3.js":      `(window.ran = window.ran || []).push('late3');`,
	"/parsed.js":     `(window.ran = window.ran || []).push('parsed');`,
	"/embed/video1":  ``,
	"/tr":            ``,
	"/favicon.ico":   ``,
	"/unused/tag.js": `(window.ran = window.ran || []).push('unused');`,
}

// mustVendor starts a stub vendor on addr, a loopback address of its own.
func mustVendor(t *testing.T, addr string) *vendor {
	t.Helper()
	v := &vendor{}
	ln, err := net.Listen("tcp", addr+":0")
	if err != nil {
		t.Fatalf("listen on %s (a loopback alias): %v", addr, err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v.mu.Lock()
		v.seen = append(v.seen, r.URL.Path)
		v.mu.Unlock()
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Cross-Origin-Resource-Policy", "cross-origin")
		switch {
		case r.URL.Path == "/embed/video1":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<!doctype html><html lang="en"><title>Video</title><p>The video.</p></html>`)
		case r.URL.Path == "/tr":
			w.Header().Set("Content-Type", "image/gif")
			_, _ = w.Write([]byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")) // the browser went away
		case strings.HasPrefix(r.URL.Path, "/tag/"):
			w.Header().Set("Content-Type", "text/javascript")
			fmt.Fprintf(w, `(window.ran = window.ran || []).push('tag:%s');`, strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/tag/"), ".js"))
		default:
			js, ok := vendorScripts[r.URL.Path]
			if !ok {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/javascript")
			fmt.Fprint(w, js)
		}
	}))
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	v.origin = srv.URL
	v.host = addr
	return v
}

// requests returns the paths the vendor was asked for, in order.
func (v *vendor) requests() []string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return slices.Clone(v.seen)
}

// count returns how many times path was asked for.
func (v *vendor) count(path string) int {
	n := 0
	for _, p := range v.requests() {
		if p == path {
			n++
		}
	}
	return n
}

// servicesPage is a customer page that names services only through the
// banner's configuration: no snippet of their own, an iframe and a pixel
// in their blocked forms, and, with auto_block, a site script that inserts
// vendor scripts, a frame and a pixel the usual ways, before a script of
// the site's own that must still run.
var servicesPage = template.Must(template.New("services").Parse(`<!doctype html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<title>Services</title>
<script src="{{.Charte}}/sites/shop/charte.js" nonce="{{.Nonce}}"></script>
{{if .Auto}}<script nonce="{{.Nonce}}">
  // What a vendor's snippet does: createElement, then appendChild.
  const one = document.createElement('script');
  one.src = '{{.Stats}}/late1.js';
  document.head.appendChild(one);
  // src set after insertion.
  const two = document.createElement('script');
  document.head.appendChild(two);
  two.src = '{{.Stats}}/late2.js';
  // insertBefore, as Google's and Matomo's snippets do, after the others.
  const three = document.createElement('script');
  three.setAttribute('src', '{{.Ads}}/late3.js');
  document.head.insertBefore(three, null);
  document.addEventListener('DOMContentLoaded', () => {
    const pixel = document.createElement('img');
    pixel.src = '{{.Ads}}/tr?id=1';
    pixel.alt = '';
    document.body.append(pixel);
    const frame = document.createElement('iframe');
    frame.title = 'Video';
    frame.src = '{{.Ads}}/embed/video1';
    document.querySelector('main').append(frame);
  });
</script>{{end}}
<script src="/site.js" nonce="{{.Nonce}}"></script>
</head>
<body>
<main>
<h1>Services</h1>
<p>A page that names its services in its charter.</p>
{{if .Auto}}<script src="{{.Stats}}/parsed.js"></script>{{else}}
<iframe title="Video" data-category="marketing" data-charte-service="youtube" data-src="{{.Ads}}/embed/video1"></iframe>
<img alt="" data-category="marketing" data-charte-service="meta-pixel" data-src="{{.Ads}}/tr?id=1">{{end}}
</main>
</body>
</html>
`))

// servicesSite is a [shop] whose page names services, with two stub
// vendors: one for statistics, one for marketing.
type servicesSite struct {
	*shop
	stats, ads *vendor
}

// mustServicesSite starts the shop, the vendors and the page at /services
// (/services/fr in French); cfg changes the banner's configuration.
func mustServicesSite(t *testing.T, cfg func(s *servicesSite, c *bannerConfig)) *servicesSite {
	t.Helper()
	s := &servicesSite{shop: MustShop(t), stats: mustVendor(t, "127.0.0.4"), ads: mustVendor(t, "127.0.0.5")}
	configure := func(c *bannerConfig) { cfg(s, c) }
	s.configure.Store(&configure)
	page := func(lang string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			probe := &bannerConfig{}
			cfg(s, probe)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Cache-Control", "no-store")
			w.Header().Set("Content-Security-Policy", "default-src 'none'; script-src 'self' "+s.charte+" "+s.stats.origin+" "+s.ads.origin+" 'nonce-"+s.nonce+"'; style-src 'self'; img-src 'self' "+s.ads.origin+"; connect-src "+s.charte+"; frame-src "+s.ads.origin+"; base-uri 'none'")
			if err := servicesPage.Execute(w, map[string]any{"Lang": lang, "Charte": s.charte, "Nonce": s.nonce, "Stats": s.stats.origin, "Ads": s.ads.origin, "Auto": probe.AutoBlock}); err != nil {
				t.Errorf("render the services page: %v", err)
			}
		}
	}
	s.mux.HandleFunc("GET /services", page("en"))
	s.mux.HandleFunc("GET /services/fr", page("fr"))
	s.mux.HandleFunc("GET /site.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		fmt.Fprint(w, `(window.ran = window.ran || []).push('site');`)
	})
	return s
}

// waitFrame waits until the page's iframe has loaded the vendor's video,
// its placeholder gone.
func (s *servicesSite) waitFrame(t *testing.T, b *tab) {
	t.Helper()
	b.waitFor("the iframe to show the video", `(f => f.src == f.dataset.src && !f.hidden)(document.querySelector('iframe[data-src]')) && !document.querySelector('[data-charte-placeholder]')`)
	waitGo(t, "the video to be asked for", func() bool { return s.ads.count("/embed/video1") == 1 })
}

// tagServices are services with a tag of each of the first loaders: two
// in statistics on one vendor, two in marketing on the other.
func tagServices(s *servicesSite) []bannerService {
	return []bannerService{
		{ID: "google-analytics-4", Name: "Google Analytics 4", Provider: "Google Ireland Limited", Category: "statistics", Loader: "gtag",
			Src: s.stats.origin + "/gtag/js?id=G-TEST1", Params: map[string]string{"measurement_id": "G-TEST1"}, Hosts: []string{s.stats.host}},
		{ID: "matomo", Name: "Matomo", Provider: "Shop", Category: "statistics", Loader: "matomo",
			Params: map[string]string{"url": s.stats.origin, "site_id": "3"}, Hosts: []string{s.stats.host}},
		{ID: "google-tag-manager", Name: "Google Tag Manager", Provider: "Google Ireland Limited", Category: "marketing", Loader: "gtm",
			Src: s.ads.origin + "/gtm.js?id=GTM-TEST", Params: map[string]string{"container_id": "GTM-TEST"}, Hosts: []string{s.ads.host}},
		{ID: "meta-pixel", Name: "Meta Pixel", Provider: "Meta Platforms Ireland Limited", Category: "marketing", Loader: "fbq",
			Src: s.ads.origin + "/fbevents.js", Params: map[string]string{"pixel_id": "1234"}, Hosts: []string{s.ads.host}},
		{ID: "youtube", Name: "YouTube", Provider: "Google Ireland Limited", Category: "marketing", Embed: true, Hosts: []string{s.ads.host}},
	}
}

// TestBrowserServices plays visitors of a page whose charter names
// services: their tags load only once their category is granted, each
// once, and their embeds wait behind placeholders that name them.
func TestBrowserServices(t *testing.T) {
	browser := MustBrowser(t)
	withTags := func(s *servicesSite, c *bannerConfig) { c.Services = tagServices(s) }

	t.Run("tags load only for the granted categories, once", func(t *testing.T) {
		s := mustServicesSite(t, withTags)
		b := newTab(t, browser)
		b.open(s.page + "/services")
		b.waitFor("the banner", jsFirstLayer)
		b.waitFor("the site's script", `(window.ran || []).includes('site')`)
		if got := append(s.stats.requests(), s.ads.requests()...); len(got) > 0 {
			t.Errorf("before any choice the vendors were asked for %q, want nothing", got)
		}
		b.click("Customise", jsAction("customize"))
		b.waitFor("the preference center", jsCenter)
		b.click("the statistics switch", jsSwitch("statistics"))
		b.click("Save", jsAction("save"))
		got := waitRan(b, 3)
		want := []string{
			"site",
			"gtag: js, config G-TEST1",
			`matomo: [["setTrackerUrl","` + s.stats.origin + `/matomo.php"],["setSiteId","3"],["trackPageView"],["enableLinkTracking"]]`,
		}
		slices.Sort(got[1:])
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("after granting statistics, ran (-want +got):\n%s", diff)
		}
		if got := s.ads.requests(); len(got) > 0 {
			t.Errorf("marketing was refused but its vendor was asked for %q", got)
		}

		b.click("the persistent control", jsPersistent)
		b.waitFor("the preference center", jsCenter)
		b.click("Accept all", jsAction("accept-all"))
		got = waitRan(b, 5)
		slices.Sort(got[1:3])
		slices.Sort(got[3:])
		want = append(want, `fbq: [["init","1234"],["track","PageView"]]`, "gtm: gtm.js start")
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("after accepting all, ran (-want +got):\n%s", diff)
		}
		b.waitFor("the pixel", `document.querySelector('img[data-charte-service]').complete && document.querySelector('img[data-charte-service]').naturalWidth == 1`)
		s.waitFrame(t, b)
		for _, c := range []struct {
			v    *vendor
			path string
		}{{s.stats, "/gtag/js"}, {s.stats, "/matomo.js"}, {s.ads, "/gtm.js"}, {s.ads, "/fbevents.js"}, {s.ads, "/tr"}, {s.ads, "/embed/video1"}} {
			if n := c.v.count(c.path); n != 1 {
				t.Errorf("%s asked for %d times, want once (all: %q)", c.path, n, c.v.requests())
			}
		}

		b.reload()
		got = waitRan(b, 5)
		slices.Sort(got)
		if diff := cmp.Diff([]string{
			`fbq: [["init","1234"],["track","PageView"]]`, "gtag: js, config G-TEST1", "gtm: gtm.js start",
			`matomo: [["setTrackerUrl","` + s.stats.origin + `/matomo.php"],["setSiteId","3"],["trackPageView"],["enableLinkTracking"]]`, "site",
		}, got); diff != "" {
			t.Errorf("on the next page, ran (-want +got):\n%s", diff)
		}
	})

	t.Run("every loader loads its tag once, without an error", func(t *testing.T) {
		names := slices.Sorted(maps.Keys(bannerModules.loaders))
		s := mustServicesSite(t, func(s *servicesSite, c *bannerConfig) {
			c.Services = nil
			for _, name := range append(names, "script") {
				c.Services = append(c.Services, bannerService{ID: "svc-" + name, Name: name, Provider: "Example", Category: "statistics", Loader: name,
					Src: s.stats.origin + "/tag/" + name + ".js?id=1", Params: map[string]string{"id": "1", "url": s.stats.origin + "/"}})
			}
		})
		b := newTab(t, browser)
		b.open(s.page + "/services")
		b.click("Accept all", jsAction("accept-all"))
		got := waitRan(b, len(names)+2)
		want := []string{"site"}
		for _, name := range append(names, "script") {
			want = append(want, "tag:"+name)
		}
		slices.Sort(got[1:])
		slices.Sort(want[1:])
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("ran (-want +got):\n%s", diff)
		}
	})

	t.Run("Google Consent Mode: defaults before gtag.js, then the update", func(t *testing.T) {
		s := mustServicesSite(t, func(s *servicesSite, c *bannerConfig) {
			c.Services = tagServices(s)[:1]
			c.GCM = true
		})
		b := newTab(t, browser)
		b.open(s.page + "/services")
		b.waitFor("the banner", jsFirstLayer)
		if got := eval[string](b, `dataLayer.map((e) => e[0] + ' ' + e[1] + ' ' + e[2].analytics_storage).join(', ')`); got != "consent default denied" {
			t.Errorf("before a choice, dataLayer = %s, want consent default denied", got)
		}
		b.click("Accept all", jsAction("accept-all"))
		if got := waitRan(b, 2); got[1] != "gtag: consent default, consent update, js, config G-TEST1" {
			t.Errorf("gtag.js ran after %q, want the consent default and update first", got[1])
		}
		if got := eval[string](b, `dataLayer[1][2].analytics_storage + ' ' + dataLayer[1][2].ad_storage`); got != "granted granted" {
			t.Errorf("the update says analytics_storage ad_storage = %s, want granted granted", got)
		}
		b.reload()
		if got := waitRan(b, 2); got[1] != "gtag: consent default, consent update, js, config G-TEST1" {
			t.Errorf("on the next page gtag.js ran after %q, want the consent default and update first", got[1])
		}
	})

	t.Run("placeholders name the service and its provider", func(t *testing.T) {
		s := mustServicesSite(t, withTags)
		b := newTab(t, browser)
		for _, c := range []struct{ path, want, link string }{
			{"/services", "This content is provided by YouTube (Google Ireland Limited), which may place cookies on your device. It is shown only with your consent to the “Marketing cookies” category.", "View this content on YouTube"},
			{"/services/fr", "Ce contenu est fourni par YouTube (Google Ireland Limited), qui peut déposer des cookies sur votre appareil. Il ne s'affiche qu'avec votre accord pour la catégorie «\u00a0Cookies publicitaires\u00a0».", "Voir ce contenu sur YouTube"},
		} {
			b.open(s.page + c.path)
			b.waitFor("the banner", jsFirstLayer)
			box := `document.querySelector('[data-charte-placeholder]').shadowRoot`
			b.waitFor("the placeholder's text", box+`.querySelector('p')`)
			if got := eval[string](b, box+`.querySelector('p').textContent`); got != c.want {
				t.Errorf("%s: placeholder says %q, want %q", c.path, got, c.want)
			}
			if got := eval[[]string](b, `[`+box+`.querySelector('a').textContent, `+box+`.querySelector('a').href]`); !cmp.Equal(got, []string{c.link, s.ads.origin + "/embed/video1"}) {
				t.Errorf("%s: placeholder links %q, want %q to %s", c.path, got, c.link, s.ads.origin+"/embed/video1")
			}
			if n := eval[int](b, box+`.querySelectorAll('[data-charte-grant="marketing"]').length`); n != 1 {
				t.Errorf("%s: %d grant buttons in the placeholder, want 1", c.path, n)
			}
			if n := eval[int](b, `document.querySelectorAll('[data-charte-placeholder]').length`); n != 1 {
				t.Errorf("%s: %d placeholders, want 1", c.path, n)
			}
		}
		if src := mustAxe(t); src != nil {
			if bugs := axeScan(t, b, src, "with a named placeholder"); len(bugs) > 0 {
				t.Errorf("accessibility: %s", strings.Join(bugs, "; "))
			}
		}
		for _, sc := range bannerScreens {
			for _, dark := range []bool{false, true} {
				b.view(sc.w, sc.h, dark)
				b.do("scroll", chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-charte-placeholder]').scrollIntoView({block: 'end'})`))
				b.shot(fmt.Sprintf("placeholder-%dx%d-%s", sc.w, sc.h, map[bool]string{false: "light", true: "dark"}[dark]))
				if over := eval[bool](b, `document.documentElement.scrollWidth > innerWidth`); over {
					t.Errorf("at %d px the page scrolls sideways with the placeholder", sc.w)
				}
			}
		}
		if n := s.ads.count("/embed/video1") + s.ads.count("/tr"); n != 0 {
			t.Errorf("the embed or the pixel were asked for %d times before consent", n)
		}
		b.click("the placeholder's button", `document.querySelector('[data-charte-placeholder]').shadowRoot.querySelector('button')`)
		s.waitFrame(t, b)
		b.waitFor("the placeholder to go", `!document.querySelector('[data-charte-placeholder]')`)
		b.waitFor("the pixel", `document.querySelector('img[data-charte-service]').naturalWidth == 1`)
		// On this page in French, charte.js loaded itself again with ?lang=fr
		// (the first script stops, and its services module with it).
		if n := eval[int](b, `document.querySelectorAll('script[src$="charte.js?lang=fr"]').length`); n != 1 {
			t.Errorf("%d scripts charte.js?lang=fr, want 1: the test no longer covers the second script", n)
		}
		if got := waitRan(b, 3); !slices.Contains(got, "gtm: gtm.js start") {
			t.Errorf("after granting marketing, ran %q, want GTM among them", got)
		}
		if n := s.ads.count("/gtm.js"); n != 1 {
			t.Errorf("gtm.js asked for %d times, want once", n)
		}
	})
}

// TestBrowserAutoBlock plays a page whose own scripts insert vendor tags
// the usual ways, with the banner alone and auto_block on: nothing of a
// service runs or is asked for before consent, the site's own script runs,
// and the held tags run in order once granted.
func TestBrowserAutoBlock(t *testing.T) {
	browser := MustBrowser(t)
	s := mustServicesSite(t, func(s *servicesSite, c *bannerConfig) {
		c.AutoBlock = true
		c.Services = []bannerService{
			{ID: "stats", Name: "Stats", Provider: "Stats Ltd", Category: "statistics", Hosts: []string{s.stats.host}},
			{ID: "youtube", Name: "YouTube", Provider: "Google Ireland Limited", Category: "marketing", Embed: true, Hosts: []string{"*.example", s.ads.host}},
		}
	})
	b := newTab(t, browser)
	b.open(s.page + "/services")
	b.waitFor("the banner", jsFirstLayer)
	b.waitFor("the site's script", `(window.ran || []).includes('site')`)
	b.waitFor("the frame's placeholder", `document.querySelector('[data-charte-placeholder]')?.shadowRoot.querySelector('p')`)
	if got := b.ran(); !slices.Equal(got, []string{"site"}) {
		t.Errorf("before any choice, ran %q, want only the site's script", got)
	}
	// The parser-inserted script is preloaded (a limit the README states:
	// Chromium asks for it while charte.js loads), never run.
	if got := slices.DeleteFunc(append(s.stats.requests(), s.ads.requests()...), func(p string) bool { return p == "/parsed.js" }); len(got) > 0 {
		t.Errorf("before any choice the vendors were asked for %q, want nothing", got)
	}
	if got := eval[[]string](b, `[...document.querySelectorAll('[data-charte-auto]')].map((e) => e.tagName + ' ' + e.dataset.category + ' ' + (e.type || ''))`); !cmp.Equal(got, []string{
		"SCRIPT statistics text/plain", "SCRIPT statistics text/plain", "SCRIPT marketing text/plain", "SCRIPT statistics text/plain", "IFRAME marketing ", "IMG marketing ",
	}) {
		t.Errorf("held elements: %q", got)
	}
	b.click("Accept all", jsAction("accept-all"))
	got := waitRan(b, 5)
	if diff := cmp.Diff([]string{"site", "late1", "late2", "late3", "parsed"}, got); diff != "" {
		t.Errorf("after accepting all, ran (-want +got):\n%s", diff)
	}
	s.waitFrame(t, b)
	b.waitFor("the pixel", `document.querySelector('img[data-charte-auto]').naturalWidth == 1`)
	b.do("insert another", chromedp.Evaluate[chromedp.Void](`(() => { const s = document.createElement('script'); s.src = '`+s.stats.origin+`/unused/tag.js'; document.head.append(s); })()`))
	b.waitFor("a tag inserted once granted to run at once", `(window.ran || []).includes('unused')`)

	// On the next page everything is granted: nothing is held.
	b.reload()
	got = waitRan(b, 5)
	slices.Sort(got)
	if diff := cmp.Diff([]string{"late1", "late2", "late3", "parsed", "site"}, got); diff != "" {
		t.Errorf("on the next page, ran (-want +got):\n%s", diff)
	}
	if n := eval[int](b, `document.querySelectorAll('[data-charte-auto]').length`); n != 0 {
		t.Errorf("on the next page %d elements were held, want none", n)
	}
}
