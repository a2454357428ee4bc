package web

import (
	"bytes"
	"compress/gzip"
	"crypto/tls"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/charterfile"
	"github.com/charte/charte/internal/i18n"
)

// bannerBudget is the most the banner of charte's built-in charter may
// weigh gzipped, script, styles, texts and configuration together (issue 3).
// The smallest comparable open-source banner, Orejime 3.2.1, weighs 14,660 B.
const bannerBudget = 5000

// serveBanner serves the banner of site ("" for the default site) through
// the handler, as the route GET /sites/{site}/charte.js would.
func serveBanner(tb testing.TB, s *Server, site string, req *http.Request) *http.Response {
	tb.Helper()
	if req == nil {
		target := "/charte.js"
		if site != "" {
			target = "/sites/" + site + "/charte.js"
		}
		req = httptest.NewRequest(http.MethodGet, target, nil)
	}
	if site != "" {
		req.SetPathValue("site", site)
	}
	rec := httptest.NewRecorder()
	s.adapt(s.handleBanner).ServeHTTP(rec, req)
	return rec.Result()
}

// serveCenter serves the preference center's script as serveBanner serves
// the banner's; req is rewritten to the center's handler.
func serveCenter(tb testing.TB, s *Server, site string, req *http.Request) *http.Response {
	tb.Helper()
	if req == nil {
		target := "/charte-center.js"
		if site != "" {
			target = "/sites/" + site + "/charte-center.js"
		}
		req = httptest.NewRequest(http.MethodGet, target, nil)
	}
	if site != "" {
		req.SetPathValue("site", site)
	}
	rec := httptest.NewRecorder()
	s.adapt(s.handleBannerCenter).ServeHTTP(rec, req)
	return rec.Result()
}

// centerConfigOf returns the configuration inlined into a served center.
func centerConfigOf(tb testing.TB, js []byte) centerConfig {
	tb.Helper()
	b := centerBundle
	if !bytes.HasPrefix(js, b[0]) || !bytes.HasSuffix(js, b[1]) || len(js) < len(b[0])+len(b[1]) {
		tb.Fatalf("the center is not a bundle with a config inlined:\n%.300s", js)
	}
	var cfg centerConfig
	if err := json.Unmarshal(js[len(b[0]):len(js)-len(b[1])], &cfg); err != nil {
		tb.Fatalf("center config: %v", err)
	}
	return cfg
}

// bannerConfigOf returns the configuration inlined into a served banner.
func bannerConfigOf(tb testing.TB, js []byte) bannerConfig {
	tb.Helper()
	for _, b := range bannerBundles {
		// The optional modules come before (auto_block) and after (services).
		head := bytes.Index(js, b[0])
		if head < 0 {
			continue
		}
		rest := js[head+len(b[0]):]
		if tail := bytes.Index(rest, b[1]); tail >= 0 {
			var cfg bannerConfig
			if err := json.Unmarshal(rest[:tail], &cfg); err != nil {
				tb.Fatalf("banner config: %v", err)
			}
			return cfg
		}
	}
	tb.Fatalf("the banner is not a bundle with a config inlined:\n%.300s", js)
	return bannerConfig{}
}

func gzipSize(tb testing.TB, b []byte) int {
	tb.Helper()
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := zw.Write(b); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Len()
}

func TestBannerHandler(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	s := MustNewServer(t, Options{Now: func() time.Time { return now }})
	for _, tc := range []struct {
		name     string
		site     string
		wantSite string
	}{
		{name: "default site", site: "", wantSite: "charte"},
		{name: "default site by id", site: "charte", wantSite: "charte"},
		{name: "other site", site: "data-aveyron", wantSite: "data-aveyron"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The center is served as the banner is, for the same pages.
			center := serveCenter(t, s, tc.site, nil)
			for k, want := range map[string]string{
				"Content-Type":                 "text/javascript; charset=utf-8",
				"Cache-Control":                "public, max-age=300",
				"Access-Control-Allow-Origin":  "*",
				"Cross-Origin-Resource-Policy": "cross-origin",
			} {
				if got := center.Header.Get(k); got != want {
					t.Errorf("center: %s = %q, want %q", k, got, want)
				}
			}
			if cfg := centerConfigOf(t, mustBody(t, center)); len(cfg.Categories) == 0 || cfg.Categories[0].Description == nil {
				t.Errorf("center config = %+v, want the categories with their descriptions", cfg)
			}
			resp := serveBanner(t, s, tc.site, nil)
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status = %d, want 200", resp.StatusCode)
			}
			for k, want := range map[string]string{
				"Content-Type":                 "text/javascript; charset=utf-8",
				"Cache-Control":                "public, max-age=300",
				"Access-Control-Allow-Origin":  "*",
				"Cross-Origin-Resource-Policy": "cross-origin",
			} {
				if got := resp.Header.Get(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
			cfg := bannerConfigOf(t, body)
			if cfg.Site != tc.wantSite {
				t.Errorf("config site = %q, want %q", cfg.Site, tc.wantSite)
			}
			etag := resp.Header.Get("ETag")
			if !strings.HasPrefix(etag, `"`) {
				t.Fatalf("ETag = %q, want a strong ETag", etag)
			}
			req := httptest.NewRequest(http.MethodGet, "/charte.js", nil)
			req.Header.Set("If-None-Match", etag)
			if got := serveBanner(t, s, tc.site, req).StatusCode; got != http.StatusNotModified {
				t.Errorf("with If-None-Match: status = %d, want 304", got)
			}
		})
	}
	t.Run("unknown site", func(t *testing.T) {
		if got := serveBanner(t, s, "nope", nil).StatusCode; got != http.StatusNotFound {
			t.Errorf("status = %d, want 404", got)
		}
		if got := serveCenter(t, s, "nope", nil).StatusCode; got != http.StatusNotFound {
			t.Errorf("center: status = %d, want 404", got)
		}
	})
}

func TestBannerConfig(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	s := MustNewServer(t, Options{Now: func() time.Time { return now }})
	req := httptest.NewRequest(http.MethodGet, "https://charte.example/sites/data-aveyron/charte.js?lang=fr,en", nil)
	req.TLS = &tls.ConnectionState{}
	got := bannerConfigOf(t, mustBody(t, serveBanner(t, s, "data-aveyron", req)))
	ch, err := s.sites.Find("data-aveyron")
	if err != nil {
		t.Fatal(err)
	}
	want := bannerConfig{
		Site:         "data-aveyron",
		Version:      ch.Version,
		API:          "https://charte.example/api/v1",
		Policy:       "https://charte.example/sites/data-aveyron/cookies",
		LifetimeDays: 181, // from 2026-11-28 to 2027-05-28
		Langs:        []string{"fr", "en"},
		DefaultLang:  "fr",
		Persistent:   true,
		Layout:       charte.LayoutBox,
		Position:     charte.PositionBottomRight,
	}
	if diff := cmp.Diff(want, got, cmpIgnore("Categories", "Texts")); diff != "" {
		t.Errorf("config (-want +got):\n%s", diff)
	}
	if len(got.Texts) != 2 || got.Texts["fr"].Title == "" || got.Texts["en"].AcceptAll != "Accept all" {
		t.Errorf("texts = %+v, want French and English", got.Texts)
	}
	if len(got.Categories) != 1 || !got.Categories[0].Necessary || len(got.Categories[0].Cookies) != 4 {
		t.Fatalf("categories = %+v, want necessary with 4 cookies", got.Categories)
	}
	wantCookie := bannerCookie{
		Name:     "sessionid",
		Provider: "Opendatasoft",
		Purpose:  charte.Text{"fr": "Se souvenir de l'utilisateur d'une page à une autre.", "en": "Remembers the user from one page to the next."},
		Lifetime: charte.Text{"fr": "2 semaines", "en": "2 weeks"},
	}
	// charte.js has the cookie's name; the center has all of it.
	if diff := cmp.Diff(bannerCookie{Name: wantCookie.Name}, got.Categories[0].Cookies[0]); diff != "" {
		t.Errorf("first cookie (-want +got):\n%s", diff)
	}
	creq := httptest.NewRequest(http.MethodGet, "https://charte.example/sites/data-aveyron/charte-center.js?lang=fr,en", nil)
	center := centerConfigOf(t, mustBody(t, serveCenter(t, s, "data-aveyron", creq)))
	if len(center.Categories) != 1 || len(center.Categories[0].Cookies) != 4 {
		t.Fatalf("center categories = %+v, want necessary with 4 cookies", center.Categories)
	}
	if diff := cmp.Diff(wantCookie, center.Categories[0].Cookies[0]); diff != "" {
		t.Errorf("center: first cookie (-want +got):\n%s", diff)
	}
}

// TestBannerTheme checks the theme's CSS that the banner adopts: nothing for
// the default look, and only what differs from it otherwise.
func TestBannerTheme(t *testing.T) {
	radius := func(n int) *int { return &n }
	for _, tc := range []struct {
		name  string
		theme charte.Theme
		want  string
	}{
		{"zero", charte.Theme{}, ""},
		{"default preset", charte.Theme{Preset: charte.PresetDefault}, ""},
		{"default values spelt out", charte.Theme{Accent: "#1F3A93", Radius: radius(8), Font: "system-ui,sans-serif", Dark: &charte.Colors{Background: "#222222"}}, ""},
		{
			"dsfr",
			charte.Theme{Preset: charte.PresetDSFR},
			":host{--charte-accent:#000091;--charte-accent-text:#f5f5fe;--charte-bg:#fff;--charte-text:#161616;--charte-radius:0px;--charte-font:Marianne,arial,sans-serif}" +
				"@media(prefers-color-scheme:dark){:host{--charte-accent:#8585f6;--charte-accent-text:#000091;--charte-bg:#1e1e1e;--charte-text:#cecece}}",
		},
		{
			"light colours without dark hold in dark mode",
			charte.Theme{Accent: "#005A9C", Font: `"Fira Sans" , 'Open Sans', sans-serif`},
			`:host{--charte-accent:#005a9c;--charte-accent-text:#fff;--charte-bg:#fff;--charte-text:#1b1b1b;--charte-font:"Fira Sans",'Open Sans',sans-serif}`,
		},
		{
			"dark only",
			charte.Theme{Dark: &charte.Colors{Background: "#000000"}},
			":host{--charte-bg:#fff}@media(prefers-color-scheme:dark){:host{--charte-bg:#000}}",
		},
		{"radius only", charte.Theme{Radius: radius(0)}, ":host{--charte-radius:0px}"},
		{
			"values Check refuses are the preset's",
			charte.Theme{Preset: charte.PresetDSFR, Accent: "red;}", Radius: radius(99), Font: "a}b{"},
			":host{--charte-accent:#000091;--charte-accent-text:#f5f5fe;--charte-bg:#fff;--charte-text:#161616;--charte-radius:0px;--charte-font:Marianne,arial,sans-serif}" +
				"@media(prefers-color-scheme:dark){:host{--charte-accent:#8585f6;--charte-accent-text:#000091;--charte-bg:#1e1e1e;--charte-text:#cecece}}",
		},
	} {
		if got := bannerThemeCSS(tc.theme); got != tc.want {
			t.Errorf("%s: bannerThemeCSS() =\n%s\nwant\n%s", tc.name, got, tc.want)
		}
	}
}

// TestBannerConfigTheme checks that a served banner carries the charter's
// layout, position and theme.
func TestBannerConfigTheme(t *testing.T) {
	ch := charterfile.Default()
	ch.Options.Layout = charte.LayoutBar
	ch.Theme = charte.Theme{Preset: charte.PresetDSFR}
	sites, err := NewSites(ch)
	if err != nil {
		t.Fatal(err)
	}
	js := mustBody(t, serveBanner(t, NewServer(Options{Sites: sites}), "", nil))
	cfg := bannerConfigOf(t, js)
	if cfg.Layout != charte.LayoutBar || cfg.Position != charte.PositionBottom {
		t.Errorf("config layout, position = %q, %q, want bar, bottom", cfg.Layout, cfg.Position)
	}
	if want := bannerThemeCSS(ch.Theme); cfg.ThemeCSS != want || want == "" {
		t.Errorf("config theme_css = %q, want %q", cfg.ThemeCSS, want)
	}
	plain := mustBody(t, serveBanner(t, MustNewServer(t, Options{}), "", nil))
	if bytes.Contains(plain, []byte(`"theme_css"`)) {
		t.Error("the default theme's banner carries theme_css")
	}
	if !bytes.Contains(plain, []byte(`"layout":"box","position":"bottom-right"`)) {
		t.Error(`the default banner's config has no "layout":"box","position":"bottom-right"`)
	}
}

// TestBannerConfigServices checks that the banner's config names the
// charter's services, with their tag's URL filled in, and auto_block; and
// neither for a charter without them.
func TestBannerConfigServices(t *testing.T) {
	ch := charterfile.Default()
	ch.Options.AutoBlock = true
	ch.Services = []charte.SiteService{
		{ID: "google-analytics-4", Params: map[string]string{"measurement_id": "G-ABC123"}},
		{ID: "matomo", Exempt: true, Params: map[string]string{"url": "https://stats.example.org/", "site_id": "3"}},
		{ID: "youtube"},
		{ID: "unknown"},
	}
	sites, err := NewSites(ch)
	if err != nil {
		t.Fatal(err)
	}
	cfg := bannerConfigOf(t, mustBody(t, serveBanner(t, NewServer(Options{Sites: sites}), "", nil)))
	want := []bannerService{
		{ID: "google-analytics-4", Name: "Google Analytics 4", Provider: "Google Ireland Limited", Category: "statistics", Loader: "gtag",
			Src: "https://www.googletagmanager.com/gtag/js?id=G-ABC123", Params: map[string]string{"measurement_id": "G-ABC123"},
			Hosts: []string{"www.googletagmanager.com", "*.google-analytics.com", "*.analytics.google.com"}},
		{ID: "matomo", Name: "Matomo", Provider: "Matomo", Category: "statistics", Loader: "matomo",
			Src: "https://stats.example.org/matomo.js", Params: map[string]string{"url": "https://stats.example.org/", "site_id": "3"},
			Hosts: []string{"cdn.matomo.cloud", "*.matomo.cloud"}},
		{ID: "youtube", Name: "YouTube", Provider: "Google Ireland Limited", Category: "marketing", Embed: true,
			Hosts: []string{"www.youtube.com", "www.youtube-nocookie.com", "*.youtube.com", "*.youtube-nocookie.com", "*.ytimg.com", "youtu.be"}},
	}
	if diff := cmp.Diff(want, cfg.Services); diff != "" {
		t.Errorf("config services (-want +got):\n%s", diff)
	}
	if !cfg.AutoBlock {
		t.Error("config auto_block = false, want true")
	}
	plain := mustBody(t, serveBanner(t, MustNewServer(t, Options{}), "", nil))
	if bytes.Contains(plain, []byte(`"services"`)) || bytes.Contains(plain, []byte(`"auto_block"`)) {
		t.Error("the built-in charter's banner carries services or auto_block")
	}
}

func TestBannerLifetime(t *testing.T) {
	for _, tc := range []struct {
		in, fr, en string
	}{
		{"session", "fin de la session", "end of session"},
		{"1y", "1 an", "1 year"},
		{"13mo", "13 mois", "13 months"},
		{"2w", "2 semaines", "2 weeks"},
		{"1d", "1 jour", "1 day"},
		{"12h", "12 heures", "12 hours"},
	} {
		l, err := charte.ParseLifetime(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := bannerLifetime("fr", l); got != tc.fr {
			t.Errorf("lifetime(fr, %s) = %q, want %q", tc.in, got, tc.fr)
		}
		if got := bannerLifetime("de", l); got != tc.en {
			t.Errorf("lifetime(de → en, %s) = %q, want %q", tc.in, got, tc.en)
		}
	}
}

// TestBannerTexts holds the lists of the banner's texts together: the
// script's Texts and CenterTexts (src/config.ts), [bannerTexts] and
// [centerTexts], and [i18n.Banner], which has each of them in every
// language it has.
func TestBannerTexts(t *testing.T) {
	src, err := os.ReadFile("assets/banner/src/config.ts")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		iface string
		value any
	}{
		{iface: "Texts", value: bannerTexts{}},
		{iface: "CenterTexts", value: centerTexts{}},
	} {
		block := regexp.MustCompile(`(?s)export interface ` + tc.iface + ` \{(.*?)\n\}`).FindSubmatch(src)
		if block == nil {
			t.Fatalf("no interface %s in src/config.ts", tc.iface)
		}
		var script []string
		for _, m := range regexp.MustCompile(`(?m)^\s*(\w+): string;`).FindAllSubmatch(block[1], -1) {
			script = append(script, string(m[1]))
		}
		var fields map[string]string
		js, err := json.Marshal(tc.value)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(js, &fields); err != nil {
			t.Fatal(err)
		}
		keys := slices.Sorted(maps.Keys(fields))
		slices.Sort(script)
		if diff := cmp.Diff(script, keys); diff != "" {
			t.Errorf("%T's JSON names (-config.ts %s +Go):\n%s", tc.value, tc.iface, diff)
		}
		for _, lang := range i18n.BannerLanguages() {
			for _, key := range keys {
				if got := i18n.Banner(lang, key); got == key || got == "" {
					t.Errorf("i18n.Banner(%q, %q) = %q, want a text", lang, key, got)
				}
			}
		}
	}
	for _, lang := range i18n.BannerLanguages() {
		if got, want := textsIn(lang), newBannerTexts(lang); got != want {
			t.Errorf("textsIn(%q) = %+v, want %+v", lang, got, want)
		}
	}
	if got, want := textsIn("fr-BE"), textsIn("fr"); got != want {
		t.Errorf("textsIn(fr-BE) = %+v, want the French texts %+v", got, want)
	}
}

func TestBannerLanguages(t *testing.T) {
	s := MustNewServer(t, Options{})
	for _, tc := range []struct {
		name   string
		target string
		accept string
		want   []string
	}{
		{name: "default language alone", target: "/charte.js", want: []string{"fr"}},
		{name: "French visitor", target: "/charte.js", accept: "fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7", want: []string{"fr"}},
		{name: "English visitor", target: "/charte.js", accept: "en-GB,en;q=0.9", want: []string{"fr", "en"}},
		{name: "unsupported visitor language", target: "/charte.js", accept: "de", want: []string{"fr"}},
		{name: "query", target: "/charte.js?lang=en", accept: "fr", want: []string{"en"}},
		{name: "query list, order kept", target: "/charte.js?lang=en,FR,en", want: []string{"en", "fr"}},
		{name: "query without a site language", target: "/charte.js?lang=de", accept: "en", want: []string{"fr", "en"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, tc.target, nil)
			if tc.accept != "" {
				req.Header.Set("Accept-Language", tc.accept)
			}
			cfg := bannerConfigOf(t, mustBody(t, serveBanner(t, s, "", req)))
			if diff := cmp.Diff([]string{"fr", "en"}, cfg.Langs); diff != "" {
				t.Errorf("langs, the site's (-want +got):\n%s", diff)
			}
			var got []string
			for _, l := range tc.want {
				if _, ok := cfg.Texts[l]; ok {
					got = append(got, l)
				}
			}
			if cfg.DefaultLang != tc.want[0] || len(cfg.Texts) != len(tc.want) || len(got) != len(tc.want) {
				t.Errorf("default_lang = %q, texts in %v, want %q and texts in %v", cfg.DefaultLang, slices.Collect(maps.Keys(cfg.Texts)), tc.want[0], tc.want)
			}
			for _, c := range cfg.Categories {
				if len(c.Name) != len(tc.want) || c.Description != nil {
					t.Errorf("category %s has a name in %d languages and description %v, want %d and none (in the center)", c.ID, len(c.Name), c.Description, len(tc.want))
				}
			}
			center := httptest.NewRequest(http.MethodGet, strings.Replace(tc.target, "charte.js", "charte-center.js", 1), nil)
			if tc.accept != "" {
				center.Header.Set("Accept-Language", tc.accept)
			}
			for _, c := range centerConfigOf(t, mustBody(t, serveCenter(t, s, "", center))).Categories {
				if len(c.Name) != len(tc.want) || len(c.Description) != len(tc.want) {
					t.Errorf("center: category %s has texts in %d and %d languages, want %d", c.ID, len(c.Name), len(c.Description), len(tc.want))
				}
			}
		})
	}
}

// TestBannerEscaping feeds the banner charter texts that would break out of
// a <script> element or a JavaScript string if inlined raw.
func TestBannerEscaping(t *testing.T) {
	ch := charterfile.Default()
	ch.Categories[0].Description = charte.Text{"fr": "a</script><script>alert(1)</script>\u2028b\u2029c & <!--", "en": "x"}
	sites, err := NewSites(ch)
	if err != nil {
		t.Fatal(err)
	}
	s := NewServer(Options{Sites: sites})
	js := mustBody(t, serveCenter(t, s, "", nil))
	for _, script := range [][]byte{mustBody(t, serveBanner(t, s, "", nil)), js} {
		for _, raw := range []string{"</script", "<script", "<!--", "\u2028", "\u2029"} {
			if strings.Contains(string(script), raw) {
				t.Errorf("a banner script holds %q raw", raw)
			}
		}
	}
	if got := centerConfigOf(t, js).Categories[0].Description["fr"]; got != ch.Categories[0].Description["fr"] {
		t.Errorf("description = %q, want it back intact", got)
	}
}

// TestBannerGCM checks that only sites with Google Consent Mode get the
// bundle that sends its signals.
func TestBannerGCM(t *testing.T) {
	ch := charterfile.Default()
	ch.Options.GoogleConsentMode = true
	sites, err := NewSites(ch)
	if err != nil {
		t.Fatal(err)
	}
	js := mustBody(t, serveBanner(t, NewServer(Options{Sites: sites}), "", nil))
	if !bytes.Contains(js, []byte(`gtag("consent"`)) || !bannerConfigOf(t, js).GCM {
		t.Error("a site with google_consent_mode got a banner without it")
	}
	t.Logf("banner with Google Consent Mode: %d B gzipped", gzipSize(t, js))
	plain := mustBody(t, serveBanner(t, MustNewServer(t, Options{}), "", nil))
	if bytes.Contains(plain, []byte("gtag")) {
		t.Error("a site without google_consent_mode got Google Consent Mode")
	}
}

// TestBannerSize holds the banner of charte's built-in charter, as served,
// to its budget.
func TestBannerSize(t *testing.T) {
	sites, err := NewSites(charterfile.Default())
	if err != nil {
		t.Fatal(err)
	}
	s := NewServer(Options{Sites: sites})
	req := httptest.NewRequest(http.MethodGet, "/charte.js", nil)
	req.Header.Set("Accept-Language", "fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7")
	js := mustBody(t, serveBanner(t, s, "", req))
	size := gzipSize(t, js)
	t.Logf("banner of the built-in charter in French: %d B, %d B gzipped (budget %d B)", len(js), size, bannerBudget)
	if size > bannerBudget {
		t.Errorf("the banner weighs %d B gzipped, over its %d B budget", size, bannerBudget)
	}
	both := mustBody(t, serveBanner(t, s, "", httptest.NewRequest(http.MethodGet, "/charte.js?lang=fr,en", nil)))
	t.Logf("the same in French and English: %d B, %d B gzipped", len(both), gzipSize(t, both))

	ch := charterfile.Default()
	ch.Theme.Preset = charte.PresetDSFR
	dsfrSites, err := NewSites(ch)
	if err != nil {
		t.Fatal(err)
	}
	dsfr := mustBody(t, serveBanner(t, NewServer(Options{Sites: dsfrSites}), "", req))
	t.Logf("the same with the dsfr preset: %d B, %d B gzipped", len(dsfr), gzipSize(t, dsfr))
	center := mustBody(t, serveCenter(t, s, "", httptest.NewRequest(http.MethodGet, "/charte-center.js?lang=fr", nil)))
	t.Logf("its preference center (charte-center.js), loaded when needed: %d B, %d B gzipped", len(center), gzipSize(t, center))
}

func BenchmarkBanner(b *testing.B) {
	s := MustNewServer(b, Options{})
	h := s.adapt(s.handleBanner)
	req := httptest.NewRequest(http.MethodGet, "/charte.js", nil)
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status = %d", rec.Code)
		}
	}
}

func mustBody(tb testing.TB, resp *http.Response) []byte {
	tb.Helper()
	if resp.StatusCode != http.StatusOK {
		tb.Fatalf("status = %d, want 200", resp.StatusCode)
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// cmpIgnore ignores fields of bannerConfig.
func cmpIgnore(fields ...string) cmp.Option {
	return cmp.FilterPath(func(p cmp.Path) bool {
		for _, f := range fields {
			if p.Last().String() == "."+f {
				return true
			}
		}
		return false
	}, cmp.Ignore())
}

// TestBannerDefaultTheme holds the custom properties that the banner's
// stylesheet sets on :host, light and dark, to the default preset: the
// server sends only what a theme changes from it (bannerThemeCSS), and
// charte check measures the preset's contrast, so the banner must show
// exactly those values.
func TestBannerDefaultTheme(t *testing.T) {
	css, err := os.ReadFile("assets/banner/src/banner.css")
	if err != nil {
		t.Fatal(err)
	}
	decls := regexp.MustCompile(`(--charte-[a-z-]+):\s*([^;]+);`)
	props := func(block string) map[string]string {
		m := make(map[string]string)
		for _, d := range decls.FindAllStringSubmatch(block, -1) {
			m[d[1]] = strings.TrimSpace(d[2])
		}
		return m
	}
	light := regexp.MustCompile(`(?s)^.*?:host \{(.*?)\n\}`).FindStringSubmatch(string(css))
	dark := regexp.MustCompile(`(?s)@media \(prefers-color-scheme: dark\) \{\s*:host \{(.*?)\}`).FindStringSubmatch(string(css))
	if light == nil || dark == nil {
		t.Fatal("banner.css has no :host block, or none in a prefers-color-scheme: dark block")
	}
	def, _ := charte.Preset(charte.PresetDefault)
	want := func(c charte.Colors) map[string]string {
		return map[string]string{"--charte-accent": shortHex(c.Accent), "--charte-accent-text": shortHex(c.AccentText), "--charte-bg": shortHex(c.Background), "--charte-text": shortHex(c.Text)}
	}
	gotLight, gotDark := props(light[1]), props(dark[1])
	wantLight := want(def.Light)
	wantLight["--charte-radius"] = strconv.Itoa(def.Radius) + "px"
	wantLight["--charte-font"] = compactFont(def.Font)
	gotLight["--charte-font"] = compactFont(gotLight["--charte-font"])
	for name, v := range wantLight {
		if gotLight[name] != v {
			t.Errorf("banner.css :host %s = %q, want the default preset's %q", name, gotLight[name], v)
		}
	}
	for name, v := range want(def.Dark) {
		if gotDark[name] != v {
			t.Errorf("banner.css dark :host %s = %q, want the default preset's %q", name, gotDark[name], v)
		}
	}
}
