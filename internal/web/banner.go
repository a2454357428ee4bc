package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/i18n"
	"github.com/charte/charte/internal/policy"
	"github.com/charte/charte/internal/services"
	"github.com/charte/charte/internal/web/assets/banner"
)

// bannerBundles are the committed bundles, without and with Google Consent
// Mode, split around their config placeholder: serving a site's script is
// then two copies and one JSON encoding.
var bannerBundles = [2][2][]byte{splitBanner(banner.JS), splitBanner(banner.GCM)}

// centerBundle is the preference center's bundle, split the same way.
var centerBundle = splitBanner(banner.Center)

// splitBanner returns the bundle before and after its config placeholder.
// It panics if the placeholder is not there exactly once: a bad build, which
// the package's tests catch.
func splitBanner(js []byte) [2][]byte {
	head, tail, ok := bytes.Cut(js, []byte(banner.ConfigPlaceholder))
	if !ok || bytes.Contains(tail, []byte(banner.ConfigPlaceholder)) {
		panic("web: the banner bundle must hold " + banner.ConfigPlaceholder + " exactly once")
	}
	return [2][]byte{head, tail}
}

// bannerConfig is a site's configuration as the banner script reads it
// (internal/web/assets/banner/src/config.ts). Langs are the site's
// languages, but texts are given in a few of them only (see
// [Server.bannerLanguages]), to keep the script small: on a page in another
// of the site's languages, the script loads itself again with ?lang=.
// DefaultLang, the first language of the texts, is the one the banner
// speaks on a page in a language the site does not have.
type bannerConfig struct {
	Site    string `json:"site"`
	Version string `json:"version"`
	// API is the consent API's absolute base URL; Policy the policy page's URL.
	API    string `json:"api"`
	Policy string `json:"policy"`
	// LifetimeDays is how long a decision made now is kept, in days (a
	// fraction for lifetimes in hours); the banner uses it only until the
	// API answers with the decision's own expiry.
	LifetimeDays float64  `json:"lifetime_days"`
	Langs        []string `json:"langs"`
	DefaultLang  string   `json:"default_lang"`
	GCM          bool     `json:"gcm"`
	Persistent   bool     `json:"persistent"`
	// Layout and Position are the banner's, with their defaults
	// ([charte.Options.Placement]).
	Layout   charte.Layout   `json:"layout"`
	Position charte.Position `json:"position"`
	// ThemeCSS is the charter's theme as CSS custom properties on :host
	// (see [bannerThemeCSS]), for the banner to adopt as a constructable
	// stylesheet after its own; "" (left out) for the default theme, whose
	// values the banner's stylesheet carries.
	ThemeCSS   string                 `json:"theme_css,omitempty"`
	Categories []bannerCategory       `json:"categories"`
	Texts      map[string]bannerTexts `json:"texts"`
	// Services are the catalogue services the charter names, in its order;
	// left out when it names none. The main code of charte.js does not read
	// them: [bannerScript] hands them to the services module too, in its own
	// configuration (gzip makes the second copy cost little).
	Services []bannerService `json:"services,omitempty"`
	// AutoBlock makes the banner hold the scripts and frames of known
	// service hosts that other scripts insert ([charte.Options.AutoBlock]).
	AutoBlock bool `json:"auto_block,omitempty"`
	// OtherHosts are, with AutoBlock, the hosts of the catalogue's services
	// the charter does not name (but the necessary ones), each with its
	// service's category and id: auto_block holds them too, as the proxy
	// blocks them, and they stay held unless their category is granted.
	OtherHosts [][3]string `json:"-"`
}

// bannerService is a service of the banner's configuration: what it needs
// to load the service's tag (Loader, Src with the charter's parameters),
// to name it in a placeholder (Name, Provider) and to know its requests
// (Hosts). Category is the one its cookies are in: statistics for a
// service in its exempt configuration.
type bannerService struct {
	ID       string            `json:"id"`
	Name     string            `json:"name"`
	Provider string            `json:"provider"`
	Category string            `json:"category"`
	Loader   string            `json:"loader,omitempty"`
	Src      string            `json:"src,omitempty"`
	Params   map[string]string `json:"params,omitempty"`
	Embed    bool              `json:"embed"`
	Hosts    []string          `json:"hosts,omitempty"`
}

// bannerServices returns the services of ch, found in cat, as the banner
// reads them; a service cat does not know (which a loaded charter does not
// name) is left out.
func bannerServices(ch *charte.Charter, cat charte.ServiceCatalog) []bannerService {
	var out []bannerService
	for _, s := range ch.Services {
		d, ok := cat.Service(s.ID)
		if !ok {
			continue
		}
		bs := bannerService{ID: d.ID, Name: d.Name, Provider: d.Provider, Category: d.Category, Params: s.Params, Embed: d.Embed, Hosts: d.Hosts}
		if s.Exempt && d.Exemptable {
			bs.Category = charte.CategoryStatistics
		}
		if d.Tag != nil {
			bs.Loader = d.Tag.Loader
			src := d.Tag.Src
			for _, p := range d.Params {
				src = strings.ReplaceAll(src, "{"+p.Name+"}", s.Params[p.Name])
			}
			bs.Src = src
		}
		out = append(out, bs)
	}
	return out
}

// catalogHosts returns the hosts of the services of cat that ch does not
// name, with their category and id, but for the necessary ones (a
// CAPTCHA is never held).
func catalogHosts(ch *charte.Charter, cat charte.ServiceCatalog) [][3]string {
	var out [][3]string
	for _, id := range cat.ServiceIDs() {
		d, ok := cat.Service(id)
		if !ok || d.Category == charte.CategoryNecessary || slices.ContainsFunc(ch.Services, func(s charte.SiteService) bool { return s.ID == id }) {
			continue
		}
		for _, h := range d.Hosts {
			out = append(out, [3]string{h, d.Category, d.ID})
		}
	}
	return out
}

// servicesConfig is what the services module reads
// (internal/web/assets/banner/src/service.ts, ServicesConfig).
type servicesConfig struct {
	Services   []bannerService         `json:"services"`
	Categories map[string]charte.Text  `json:"categories"`
	Texts      map[string]serviceTexts `json:"texts"`
	// DefaultLang is charte.js's: the language of the texts on a page in
	// another language.
	DefaultLang string `json:"default_lang"`
}

// serviceTexts are the named placeholders' texts in one language: Service
// holds %s three times (the service's name, its provider, the category's
// name), Open once (the service's name).
type serviceTexts struct {
	Service string `json:"service"`
	Open    string `json:"open"`
}

// autoBlockConfig is what the auto_block module reads: each host with its
// service's category and id.
type autoBlockConfig struct {
	Hosts [][3]string `json:"hosts"`
}

// bannerCategory is a category of the banner's configuration. charte.js
// gets it without its description and with its cookies' names only; the
// preference center (charte-center.js) gets all of it ([centerConfig]).
type bannerCategory struct {
	ID          string         `json:"id"`
	Name        charte.Text    `json:"name"`
	Description charte.Text    `json:"description,omitempty"`
	Exempt      bool           `json:"exempt,omitempty"`
	Necessary   bool           `json:"necessary,omitempty"`
	Cookies     []bannerCookie `json:"cookies"`
}

type bannerCookie struct {
	Name     string      `json:"name"`
	Provider string      `json:"provider,omitempty"`
	Purpose  charte.Text `json:"purpose,omitempty"`
	// Lifetime is written out in each language.
	Lifetime charte.Text `json:"lifetime,omitempty"`
}

// centerConfig is what the preference center's script reads of a site's
// configuration (internal/web/assets/banner/src/center.ts): the categories
// in full. The rest it takes from charte.js.
type centerConfig struct {
	Categories []bannerCategory       `json:"categories"`
	Texts      map[string]centerTexts `json:"texts"`
}

// bannerTexts are the banner's own texts in one language, under the names
// the script reads them by; the words are [i18n.Banner]'s. Allow holds %s,
// a category's name.
type bannerTexts struct {
	Title     string `json:"title"`
	Body      string `json:"body"`
	AcceptAll string `json:"accept_all"`
	RejectAll string `json:"reject_all"`
	Customize string `json:"customize"`
	Close     string `json:"close"`
	Prefs     string `json:"prefs"`
	Policy    string `json:"policy"`
	Allow     string `json:"allow"`
}

// centerTexts are the texts only the preference center shows, sent with it
// (src/config.ts, CenterTexts); it takes the others from charte.js.
type centerTexts struct {
	Save     string `json:"save"`
	Back     string `json:"back"`
	Cookies  string `json:"cookies"`
	Provider string `json:"provider"`
	Lifetime string `json:"lifetime"`
	On       string `json:"on"`
	Details  string `json:"details"`
}

// bannerUI are the banner's texts in each language of [i18n.Banner], built
// once from the catalogue rather than on every request for the script.
var bannerUI = func() map[string]bannerTexts {
	ui := make(map[string]bannerTexts)
	for _, l := range i18n.BannerLanguages() {
		ui[l] = newBannerTexts(l)
	}
	return ui
}()

// textsIn returns the banner's texts in lang: a language the banner has no
// texts in gets its base language's (fr for fr-BE), else the English ones.
func textsIn(lang string) bannerTexts {
	if t, ok := bannerUI[lang]; ok {
		return t
	}
	return newBannerTexts(lang)
}

// newBannerTexts returns the banner's texts in lang, looked up in
// [i18n.Banner] with its fallbacks.
func newBannerTexts(lang string) bannerTexts {
	text := func(key string) string { return i18n.Banner(lang, key) }
	return bannerTexts{
		Title:     text("title"),
		Body:      text("body"),
		AcceptAll: text("accept_all"),
		RejectAll: text("reject_all"),
		Customize: text("customize"),
		Close:     text("close"),
		Prefs:     text("prefs"),
		Policy:    text("policy"),
		Allow:     text("allow"),
	}
}

// newCenterTexts returns the preference center's own texts in lang.
func newCenterTexts(lang string) centerTexts {
	text := func(key string) string { return i18n.Banner(lang, key) }
	return centerTexts{
		Save:     text("save"),
		Back:     text("back"),
		Cookies:  text("cookies"),
		Provider: text("provider"),
		Lifetime: text("lifetime"),
		On:       text("on"),
		Details:  text("details"),
	}
}

// bannerLifetime writes a cookie lifetime out in lang, on the server, which
// keeps the script smaller than shipping the words: "6 mois", "1 year",
// "fin de la session".
func bannerLifetime(lang string, l charte.Lifetime) string {
	if l.Session {
		return i18n.Banner(lang, "session")
	}
	return i18n.Duration(lang, l.Duration.N, string(l.Duration.Unit))
}

// newBannerConfig returns the banner configuration of ch with texts in
// langs (at least one; the first is the fallback), served from base
// (scheme://host of charte itself), at now: the consent lifetime in days is
// counted in calendar terms from now.
func newBannerConfig(ch *charte.Charter, langs []string, base string, now time.Time) bannerConfig {
	def := ch.Site.DefaultLanguage()
	text := func(t charte.Text) charte.Text {
		out := make(charte.Text, len(langs))
		for _, l := range langs {
			out[l] = t.In(l, def)
		}
		return out
	}
	life := ch.Site.ConsentLifetime
	if life.IsZero() {
		life = charte.DefaultConsentLifetime
	}
	cfg := bannerConfig{
		Site:         ch.Site.ID,
		Version:      ch.Version,
		API:          base + "/api/v1",
		Policy:       base + "/sites/" + ch.Site.ID + "/cookies",
		LifetimeDays: life.AddTo(now).Sub(now).Hours() / 24,
		Langs:        policy.Languages(ch),
		DefaultLang:  langs[0],
		GCM:          ch.Options.GoogleConsentMode,
		Persistent:   ch.Options.PersistentControl,
		ThemeCSS:     bannerThemeCSS(ch.Theme),
		Texts:        make(map[string]bannerTexts, len(langs)),
		Services:     bannerServices(ch, services.Default()),
		AutoBlock:    ch.Options.AutoBlock,
	}
	cfg.Layout, cfg.Position = ch.Options.Placement()
	if cfg.AutoBlock {
		cfg.OtherHosts = catalogHosts(ch, services.Default())
	}
	for _, c := range ch.Categories {
		bc := bannerCategory{ID: c.ID, Name: text(c.Name), Description: text(c.Description), Exempt: c.Exempt, Necessary: c.Necessary(), Cookies: []bannerCookie{}}
		for _, k := range ch.CookiesIn(c.ID) {
			life := make(charte.Text, len(langs))
			for _, l := range langs {
				life[l] = bannerLifetime(l, k.Lifetime)
			}
			bc.Cookies = append(bc.Cookies, bannerCookie{Name: k.Name, Provider: k.Provider, Purpose: text(k.Purpose), Lifetime: life})
		}
		cfg.Categories = append(cfg.Categories, bc)
	}
	for _, l := range langs {
		cfg.Texts[l] = textsIn(l)
	}
	return cfg
}

// bannerThemeCSS returns t as the banner reads it: CSS custom properties
// on :host, light, then in a prefers-color-scheme: dark block those of the
// dark colours that differ from the light ones:
//
//	:host{--charte-accent:#000091;--charte-accent-text:#f5f5fe;--charte-bg:#fff;
//	--charte-text:#161616;--charte-radius:0px;--charte-font:Marianne,arial,sans-serif}
//	@media(prefers-color-scheme:dark){:host{--charte-accent:#8585f6;…}}
//
// The banner's own stylesheet carries the default preset's values, light
// and dark, so a property whose light and dark values are the default's is
// left out, and the default theme is "". A colour set in :host holds in dark
// mode too, since the theme's stylesheet comes after the banner's: the dark
// block then gives each dark value that differs from it.
//
// Only values that [charte.Charter.Check] accepts are written, normalised
// (colours in their shortest hex form, no space after a font's commas): a
// value it refuses, which a loaded charter never has, is left out, as if
// the charter did not give it. So no charter text can end the declaration
// or the rule.
func bannerThemeCSS(t charte.Theme) string {
	look := validTheme(t).Resolve()
	def, _ := charte.Preset(charte.PresetDefault)
	color := func(v string) string {
		c, _ := charte.ParseColor(v) // validTheme kept colours only
		return c.String()
	}
	colors := func(cs charte.Colors) [4]string {
		return [4]string{color(cs.Accent), color(cs.AccentText), color(cs.Background), color(cs.Text)}
	}
	light, dark := colors(look.Light), colors(look.Dark)
	defLight, defDark := colors(def.Light), colors(def.Dark)
	names := [4]string{"--charte-accent:", "--charte-accent-text:", "--charte-bg:", "--charte-text:"}
	var host, darkDecls []string
	for i, name := range names {
		if light[i] == defLight[i] && dark[i] == defDark[i] {
			continue
		}
		host = append(host, name+light[i])
		if dark[i] != light[i] {
			darkDecls = append(darkDecls, name+dark[i])
		}
	}
	if look.Radius != def.Radius {
		host = append(host, "--charte-radius:"+strconv.Itoa(look.Radius)+"px")
	}
	if font := compactFont(look.Font); font != compactFont(def.Font) {
		host = append(host, "--charte-font:"+font)
	}
	var b strings.Builder
	if len(host) > 0 {
		b.WriteString(":host{" + strings.Join(host, ";") + "}")
	}
	if len(darkDecls) > 0 {
		b.WriteString("@media(prefers-color-scheme:dark){:host{" + strings.Join(darkDecls, ";") + "}}")
	}
	return b.String()
}

// validTheme returns t without the values that [charte.Charter.Check]
// refuses, as if the charter did not give them: a loaded charter has none,
// but one built otherwise might.
func validTheme(t charte.Theme) charte.Theme {
	if _, ok := charte.Preset(t.Preset); !ok {
		t.Preset = ""
	}
	valid := func(c *string) {
		if _, ok := charte.ParseColor(*c); !ok {
			*c = ""
		}
	}
	valid(&t.Accent)
	valid(&t.AccentText)
	valid(&t.Background)
	valid(&t.Text)
	if t.Dark != nil {
		d := *t.Dark
		valid(&d.Accent)
		valid(&d.AccentText)
		valid(&d.Background)
		valid(&d.Text)
		t.Dark = &d
	}
	if t.Radius != nil && (*t.Radius < 0 || *t.Radius > charte.MaxRadius) {
		t.Radius = nil
	}
	if !charte.ValidFont(t.Font) {
		t.Font = ""
	}
	return t
}

// compactFont writes a font list without the spaces around its commas,
// outside quotes: "Marianne, arial, sans-serif" is Marianne,arial,sans-serif.
func compactFont(s string) string {
	var b strings.Builder
	var quote rune
	for _, f := range strings.FieldsFunc(s, func(r rune) bool {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote == 0 && (r == '"' || r == '\''):
			quote = r
		}
		return quote == 0 && r == ','
	}) {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strings.TrimSpace(f))
	}
	return b.String()
}

// bannerScript returns the banner bundle with cfg inlined: the bundle with
// Google Consent Mode only for the sites that use it. encoding/json escapes
// <, >, & and U+2028/U+2029, so no text of the charter can close a <script>
// element or end a JavaScript string.
//
// The categories go without what only the preference center shows (their
// descriptions, their cookies' purposes, providers and lifetimes), which
// [centerScript] serves: that keeps the first script within its budget.
func bannerScript(cfg bannerConfig) ([]byte, error) {
	first := cfg
	first.Categories = make([]bannerCategory, len(cfg.Categories))
	for i, c := range cfg.Categories {
		c.Description = nil
		cookies := make([]bannerCookie, len(c.Cookies))
		for j, k := range c.Cookies {
			cookies[j] = bannerCookie{Name: k.Name}
		}
		c.Cookies = cookies
		first.Categories[i] = c
	}
	b := bannerBundles[0]
	if cfg.GCM {
		b = bannerBundles[1]
	}
	js, err := inline(b, first, cfg.Site)
	if err != nil {
		return nil, err
	}
	if cfg.AutoBlock {
		var hosts autoBlockConfig
		for _, svc := range cfg.Services {
			// The tag's own host too: a self-hosted Matomo's is the charter's.
			names := svc.Hosts
			if u, err := url.Parse(svc.Src); err == nil && u.Hostname() != "" && !slices.Contains(names, u.Hostname()) {
				names = append(slices.Clip(names), u.Hostname())
			}
			for _, h := range names {
				hosts.Hosts = append(hosts.Hosts, [3]string{h, svc.Category, svc.ID})
			}
		}
		// The charter's services first: a host two services share is the
		// charter's.
		hosts.Hosts = append(hosts.Hosts, cfg.OtherHosts...)
		if len(hosts.Hosts) > 0 {
			auto, err := inline(bannerModules.autoBlock, hosts, cfg.Site)
			if err != nil {
				return nil, err
			}
			js = append(auto, js...)
		}
	}
	if len(cfg.Services) == 0 {
		return js, nil
	}
	return servicesScript(js, cfg)
}

// servicesScript appends to js, charte.js, the services module with the
// loaders cfg's services use, each once, in one closure that defines
// __charteLoaders, which the loaders fill and the services module reads.
// A loader the banner does not have loads the service's src as a plain
// script.
func servicesScript(js []byte, cfg bannerConfig) ([]byte, error) {
	sc := servicesConfig{Services: cfg.Services, Categories: make(map[string]charte.Text), Texts: make(map[string]serviceTexts, len(cfg.Texts)), DefaultLang: cfg.DefaultLang}
	for _, c := range cfg.Categories {
		sc.Categories[c.ID] = c.Name
	}
	for l := range cfg.Texts {
		sc.Texts[l] = serviceTexts{Service: i18n.Banner(l, "service"), Open: i18n.Banner(l, "open")}
	}
	js = append(js, "(()=>{const __charteLoaders={};"...)
	var used []string
	for _, svc := range cfg.Services {
		if l, ok := bannerModules.loaders[svc.Loader]; ok && !slices.Contains(used, svc.Loader) {
			used = append(used, svc.Loader)
			js = append(js, l...)
		}
	}
	mod, err := inline(bannerModules.services, sc, cfg.Site)
	if err != nil {
		return nil, err
	}
	js = append(js, mod...)
	return append(js, "})();\n"...), nil
}

// bannerModules are the optional modules of charte.js ([banner.Modules]),
// without esbuild's "use strict" directive, which would mean nothing once
// they are concatenated: auto_block and services split around their config
// placeholder, the loaders by name.
var bannerModules = func() (m struct {
	autoBlock, services [2][]byte
	loaders             map[string][]byte
}) {
	read := func(name string) []byte {
		b, err := banner.Modules.ReadFile(name)
		if err != nil {
			panic("web: " + err.Error()) // the embed pattern names them
		}
		return bytes.TrimPrefix(b, []byte(`"use strict";`))
	}
	m.autoBlock = splitBanner(read(banner.AutoBlockFile))
	m.services = splitBanner(read(banner.ServicesFile))
	m.loaders = make(map[string][]byte)
	names, err := fs.Glob(banner.Modules, banner.LoaderFile("*"))
	if err != nil {
		panic("web: " + err.Error()) // the pattern is valid
	}
	for _, name := range names {
		loader := strings.TrimSuffix(strings.TrimPrefix(name, "charte-loader-"), ".min.js")
		m.loaders[loader] = read(name)
	}
	return m
}()

// centerScript returns the preference center's bundle with the details of
// cfg's categories inlined, escaped as in [bannerScript].
func centerScript(cfg bannerConfig) ([]byte, error) {
	center := centerConfig{Categories: cfg.Categories, Texts: make(map[string]centerTexts, len(cfg.Texts))}
	for l := range cfg.Texts {
		center.Texts[l] = newCenterTexts(l)
	}
	return inline(centerBundle, center, cfg.Site)
}

// inline returns the bundle b with v, as JSON, in place of its placeholder.
func inline(b [2][]byte, v any, site string) ([]byte, error) {
	js, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode banner config of %s: %w", site, err)
	}
	out := make([]byte, 0, len(b[0])+len(js)+len(b[1]))
	out = append(out, b[0]...)
	out = append(out, js...)
	return append(out, b[1]...), nil
}

// bannerLanguages returns the languages whose texts go into a banner, the
// fallback first. With ?lang=fr,en, those of the site's languages. Else the
// site's default language and the one the visitor prefers (Accept-Language),
// which covers most pages; on a page in another of the site's languages the
// banner loads itself again with ?lang=. Carrying every language of every
// site would weigh a French visitor down with English and more (issue 3
// budgets 5,000 B gzipped). Responses vary by Accept-Language, which
// [Server.writeCacheable] declares.
func (s *Server) bannerLanguages(r *http.Request, ch *charte.Charter) []string {
	site := policy.Languages(ch)
	var langs []string
	if q := r.URL.Query().Get("lang"); q != "" {
		for _, l := range strings.Split(q, ",") {
			for _, sl := range site {
				if strings.EqualFold(strings.TrimSpace(l), sl) && !slices.Contains(langs, sl) {
					langs = append(langs, sl)
				}
			}
		}
		if len(langs) > 0 {
			return langs
		}
	}
	langs = []string{site[0]}
	if l := i18n.Negotiate("", "", r.Header.Get("Accept-Language"), site); l != site[0] {
		langs = append(langs, l)
	}
	return langs
}

// handleBanner serves a site's banner script, the default site's at
// /charte.js. Any site embeds it, from any origin; it is cached for five
// minutes and then revalidated with its ETag, so a charter change reaches
// visitors quickly. The API URL inside is charte's as the request reached
// it; the languages are those of [Server.bannerLanguages].
func (s *Server) handleBanner(w http.ResponseWriter, r *http.Request) error {
	return s.serveBannerScript(w, r, bannerScript)
}

// handleBannerCenter serves a site's preference center script, which its
// banner script loads (charte-center.js): with the same headers, for the
// same embedding pages, and in the languages of ?lang= as the banner.
func (s *Server) handleBannerCenter(w http.ResponseWriter, r *http.Request) error {
	return s.serveBannerScript(w, r, centerScript)
}

// serveBannerScript serves the script that script builds from the site's
// banner configuration.
func (s *Server) serveBannerScript(w http.ResponseWriter, r *http.Request, script func(bannerConfig) ([]byte, error)) error {
	ch := s.sites.Default()
	if id := r.PathValue("site"); id != "" {
		var err error
		if ch, err = s.sites.Find(id); err != nil {
			return err
		}
	}
	js, err := script(newBannerConfig(ch, s.bannerLanguages(r, ch), s.origin(r)+s.basePath, s.now()))
	if err != nil {
		return err
	}
	h := w.Header()
	h.Add("Vary", "Accept-Encoding")
	if acceptsGzip(r) {
		// Less than half the weight: send it gzipped, compressed once per
		// distinct script.
		gz, err := s.gzipped.get(js)
		if err != nil {
			return err
		}
		js = gz
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Type", "text/javascript; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=300")
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Cross-Origin-Resource-Policy", "cross-origin")
	s.writeCacheable(w, r, js)
	return nil
}

// acceptsGzip reports whether the client takes gzip-encoded responses.
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			return !strings.Contains(strings.ReplaceAll(params, " ", ""), "q=0") || strings.Contains(params, "q=0.")
		}
	}
	return false
}

// gzipCache keeps the gzipped form of the last banner scripts served: there
// is one per site, charter version, language set and host, so a few.
type gzipCache struct {
	mu sync.Mutex
	m  map[[32]byte][]byte
}

// maxGzipCache bounds the cache: the host comes from the request, so a
// client could make the scripts differ without end.
const maxGzipCache = 256

// get returns js gzipped.
func (c *gzipCache) get(js []byte) ([]byte, error) {
	key := sha256.Sum256(js)
	c.mu.Lock()
	gz, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return gz, nil
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // the level is valid
	if _, err := zw.Write(js); err != nil {
		return nil, fmt.Errorf("gzip banner: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("gzip banner: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxGzipCache {
		c.m = make(map[[32]byte][]byte)
	}
	c.m[key] = buf.Bytes()
	return buf.Bytes(), nil
}
