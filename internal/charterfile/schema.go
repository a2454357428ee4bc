package charterfile

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/services"
)

// The keys of each mapping of a charter file. They are a public contract:
// renaming one breaks every charter written with it.
var (
	charterKeys  = []string{"site", "options", "theme", "categories", "cookies", "services"}
	siteKeys     = []string{"id", "name", "url", "origins", "languages", "contact", "consent_lifetime", "updated"}
	optionKeys   = []string{"google_consent_mode", "persistent_control", "layout", "position", "auto_block"}
	themeKeys    = []string{"preset", "accent", "accent_text", "background", "text", "radius", "font", "dark"}
	colorKeys    = []string{"accent", "accent_text", "background", "text"}
	categoryKeys = []string{"id", "name", "description", "exempt"}
	cookieKeys   = []string{"name", "provider", "service", "purpose", "category", "lifetime", "party", "domain"}
)

// charter reads the whole file, then checks the charter it holds. The site
// comes first whatever the key order, since texts are given to its
// languages.
func (p *parser) charter(root *yaml.Node) *charte.Charter {
	ch := &charte.Charter{
		Options: charte.Options{PersistentControl: true},
	}
	root = resolve(root)
	p.at("", root)
	if root.Kind != yaml.MappingNode {
		p.errorf(root, "a charter must be a mapping with the keys site, categories and cookies, not %s", kind(root))
		return ch
	}
	fs := p.fields(root, "charter", charterKeys)
	p.under("", fs)
	if f, ok := fs["site"]; ok {
		ch.Site, ch.Updated = p.site(f)
	} else {
		p.missing(root, "site", "site", "charter", "site: {id: …, name: …, url: …, languages: [fr, en], contact: …}")
	}
	if f, ok := fs["options"]; ok {
		ch.Options = p.options(f)
	}
	if f, ok := fs["theme"]; ok {
		ch.Theme = p.theme(f)
	}
	cats, implicit := p.categories(fs["categories"])
	ch.Categories = cats
	if f, ok := fs["cookies"]; ok {
		ch.Cookies = p.cookies(f, cats)
	} else {
		p.missing(root, "cookies", "cookies", "charter", "the list of the site's cookies, or cookies: [] if it sets none")
	}
	if _, ok := fs["categories"]; !ok {
		p.missing(root, "categories", "categories", "charter", "categories: [{id: necessary}] and one entry per purpose the site asks consent for")
	}
	if f, ok := fs["services"]; ok {
		ch.Services = p.services(f)
	}
	p.applyServices(ch)
	p.check(ch, implicit, fs["categories"].key)
	return ch
}

// services reads the services the charter names: each an id, exempt, and
// the values of the service's parameters, which
// [charte.Charter.ApplyServices] checks.
func (p *parser) services(f field) []charte.SiteService {
	items, ok := p.seq(f, "services", "one entry per service, as in - {id: youtube}")
	if !ok {
		return nil
	}
	var out []charte.SiteService
	for _, n := range items {
		if n.Kind != yaml.MappingNode {
			p.errorf(n, "each service must be a mapping, not %s: write - id: youtube, or - {id: google-analytics-4, measurement_id: G-XXXXXXXXXX}", kind(n))
			continue
		}
		path := "services[" + strconv.Itoa(len(out)) + "]"
		p.at(path, n)
		fs := p.fields(n, "service", serviceKeys(n))
		p.under(path, fs)
		s := charte.SiteService{}
		if g, ok := fs["id"]; ok {
			s.ID, _ = p.str(g, "service id", "id: youtube", true)
		} else {
			p.missing(n, join(path, "id"), "id", "service", "id: followed by a service of the catalogue, as in id: youtube (charte services lists them)")
		}
		if g, ok := fs["exempt"]; ok {
			s.Exempt, _ = p.boolean(g, "exempt")
		}
		def, _ := services.Default().Service(s.ID)
		for k, g := range fs {
			if k == "id" || k == "exempt" {
				continue
			}
			hint := k + ": followed by its value"
			if def != nil {
				for _, prm := range def.Params {
					if prm.Name == k {
						hint = k + ": " + prm.Example
					}
				}
			}
			if v, ok := p.str(g, k+" of service "+strconv.Quote(s.ID), hint, false); ok {
				if s.Params == nil {
					s.Params = make(map[string]string)
				}
				s.Params[k] = v
			}
		}
		out = append(out, s)
	}
	return out
}

// serviceKeys are the keys a service entry may have: id, exempt, and any
// parameter name, which [charte.Charter.ApplyServices] checks against the
// service's own; the keys of the mapping itself and every parameter of the
// catalogue, so that merged keys (<<) count too.
func serviceKeys(n *yaml.Node) []string {
	keys := []string{"id", "exempt"}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; k.Kind == yaml.ScalarNode && k.ShortTag() != "!!merge" {
			keys = append(keys, k.Value)
		}
	}
	cat := services.Default()
	for _, id := range cat.ServiceIDs() {
		d, _ := cat.Service(id)
		for _, prm := range d.Params {
			keys = append(keys, prm.Name)
		}
	}
	return keys
}

// applyServices declares the cookies of the charter's services
// ([charte.Charter.ApplyServices] with the built-in catalogue) and reports
// its problems at the service entries they are about. The cookies and
// categories it adds are placed at the entry of their service, so that
// [charte.Charter.Check]'s problems with them point there.
func (p *parser) applyServices(ch *charte.Charter) {
	if len(ch.Services) == 0 {
		return
	}
	cookies, cats := len(ch.Cookies), len(ch.Categories)
	for _, pr := range ch.ApplyServices(services.Default()) {
		switch {
		case p.skipped(pr.Path):
		default:
			p.place(pr)
		}
	}
	entry := make(map[string]string, len(ch.Services)) // id → path of its first entry
	for i, s := range ch.Services {
		if _, ok := entry[s.ID]; !ok {
			entry[s.ID] = "services[" + strconv.Itoa(i) + "]"
		}
	}
	for i := cookies; i < len(ch.Cookies); i++ {
		p.at("cookies["+strconv.Itoa(i)+"]", p.node(entry[ch.Cookies[i].FromService]))
	}
	// A category comes for the first service that needs it.
	for i := cats; i < len(ch.Categories); i++ {
		for _, s := range ch.Services {
			if d, ok := services.Default().Service(s.ID); ok && (d.Category == ch.Categories[i].ID || s.Exempt && ch.Categories[i].ID == charte.CategoryStatistics) {
				p.at("categories["+strconv.Itoa(i)+"]", p.node(entry[s.ID]))
				break
			}
		}
	}
}

// place reports a problem of the domain at the node its path was read
// from, or the nearest one read above it, citing the line of its Other
// path ("first on line 4") when it has one.
func (p *parser) place(pr charte.Problem) {
	if pr.Other == "" {
		p.errorf(p.node(pr.Path), "%s", pr.Message)
		return
	}
	line := 1
	if n := p.node(pr.Other); n != nil {
		line = n.Line
	}
	p.errorf(p.node(pr.Path), "%s", pr.Cite(fmt.Sprintf("on line %d", line)))
}

// check reports the problems of [charte.Charter.Check] at the nodes their
// paths were read from, or the nearest node read above them. A path that
// already has a problem of the file, or is read from one that has, is not
// checked again: the necessary category that the file leaves out
// (implicit, whose key is catKey) gets one problem per language that
// charte has no text in.
func (p *parser) check(ch *charte.Charter, implicit string, catKey *yaml.Node) {
	if p.bad[""] {
		return
	}
	necessaryMissing := false
	for _, pr := range ch.Check() {
		switch {
		case implicit != "" && within(pr.Path, implicit):
			necessaryMissing = true
		case p.skipped(pr.Path):
		default:
			p.place(pr)
		}
	}
	if !necessaryMissing || catKey == nil {
		return
	}
	necessary, _ := charte.BuiltinCategory(charte.CategoryNecessary)
	for _, l := range p.langs {
		if _, ok := necessary.Name[l]; !ok {
			p.errorf(catKey, "the necessary category, added because categories does not declare it, has no text in %s: declare it with - {id: necessary, name: {%s: \"…\"}, description: {%s: \"…\"}}", l, l, l)
		}
	}
}

// complete finishes a charter that has no problem: its origins as browsers
// send them, the texts of built-in categories in every site language, and
// the necessary category first when the file leaves it out (implicit).
func complete(ch *charte.Charter, implicit bool) {
	for i, o := range ch.Site.Origins {
		ch.Site.Origins[i] = charte.Origin(o)
	}
	for i, c := range ch.Categories {
		builtin, ok := charte.BuiltinCategory(c.ID)
		if !ok {
			continue
		}
		ch.Categories[i].Name = withDefaults(c.Name, builtin.Name, ch.Site.Languages)
		ch.Categories[i].Description = withDefaults(c.Description, builtin.Description, ch.Site.Languages)
	}
	// The necessary category that the file leaves out is read after the
	// file's, so that the ids in problems come in the file's order (the
	// categories of services come after it); it comes first.
	if i := slices.IndexFunc(ch.Categories, charte.Category.Necessary); implicit && i > 0 {
		necessary := ch.Categories[i]
		copy(ch.Categories[1:i+1], ch.Categories[:i])
		ch.Categories[0] = necessary
	}
}

// withDefaults returns t with defaults filling the languages of langs that
// it leaves out.
func withDefaults(t, defaults charte.Text, langs []string) charte.Text {
	out := make(charte.Text, len(langs))
	for _, l := range langs {
		if s, ok := t[l]; ok {
			out[l] = s
		} else {
			out[l] = defaults[l]
		}
	}
	return out
}

func (p *parser) site(f field) (charte.Site, time.Time) {
	var s charte.Site
	var updated time.Time
	if f.val.Kind != yaml.MappingNode {
		p.errorf(f.pos(), "site must be a mapping, not %s: write site: {id: …, name: …, url: …, languages: [fr, en], contact: …}", kind(f.val))
		p.fail(f.path)
		return s, updated
	}
	fs := p.fields(f.val, "site", siteKeys)
	p.under(f.path, fs)
	need := func(key, hint string) (field, bool) {
		g, ok := fs[key]
		if !ok {
			p.missing(f.val, join(f.path, key), key, "site", hint)
		}
		return g, ok
	}

	// Languages first: the texts of the whole file are given to them.
	if g, ok := need("languages", "languages: [fr, en], the languages of the site's texts, default first"); ok {
		s.Languages = p.languages(g)
	}
	if g, ok := need("id", "id: my-site, a slug of lowercase letters, digits and hyphens"); ok {
		s.ID, _ = p.str(g, "site id", "id: my-site", true)
	}
	if g, ok := need("name", "name: followed by the site's name"); ok {
		s.Name, _ = p.str(g, "site name", "name: followed by the site's name", true)
	}
	if g, ok := need("url", "url: https://www.example.org, the site's address"); ok {
		s.URL, _ = p.str(g, "site url", "url: https://www.example.org", true)
	}
	if g, ok := fs["origins"]; ok {
		s.Origins = p.origins(g)
	} else if o := charte.Origin(s.URL); o != "" {
		s.Origins = []string{o}
	} else {
		// The origin of a url that has a problem: that problem is enough.
		p.fail(join(f.path, "origins"))
	}
	if g, ok := need("contact", "contact: dpo@example.org, the address of the controller or DPO for questions"); ok {
		s.Contact, _ = p.str(g, "contact", "contact: dpo@example.org", true)
	}
	s.ConsentLifetime = charte.DefaultConsentLifetime
	if g, ok := fs["consent_lifetime"]; ok {
		if v, ok := p.str(g, "consent_lifetime", "consent_lifetime: 6mo", true); ok {
			if d, err := charte.ParseDuration(v); err != nil {
				p.errorf(g.val, "consent_lifetime must be a duration: %v", err)
				p.fail(g.path)
			} else {
				s.ConsentLifetime = d
			}
		}
	}
	if g, ok := fs["updated"]; ok {
		if v, ok := p.str(g, "updated", "updated: 2026-11-28", true); ok {
			t, err := time.Parse(time.DateOnly, v)
			if err != nil {
				p.errorf(g.val, "updated %q is not a date: write the day the charter last changed as YYYY-MM-DD, as in updated: 2026-11-28", v)
			}
			updated = t
		}
	}
	return s, updated
}

// languages reads site.languages, each as written, and gives the valid
// ones to texts, once each.
func (p *parser) languages(f field) []string {
	items, ok := p.seq(f, "languages", "languages: [fr, en]")
	if !ok {
		return nil
	}
	langs := make([]string, 0, len(items))
	p.isLang = make(map[string]bool, len(items))
	p.langsOK = len(items) > 0
	for i, n := range items {
		path := f.path + "[" + strconv.Itoa(i) + "]"
		p.at(path, n)
		if n.Kind != yaml.ScalarNode || isNull(n) {
			p.errorf(n, "each language must be a language code, as in fr or en-GB, not %s", kind(n))
			p.fail(path)
			p.langsOK = false
			langs = append(langs, "")
			continue
		}
		l := strings.TrimSpace(n.Value)
		langs = append(langs, l)
		switch {
		case !charte.ValidLanguage(l) || p.isLang[l]:
			p.langsOK = false
		default:
			p.isLang[l] = true
			p.langs = append(p.langs, l)
		}
	}
	return langs
}

func (p *parser) origins(f field) []string {
	items, ok := p.seq(f, "origins", `origins: ["https://www.example.org"]`)
	if !ok {
		return nil
	}
	out := make([]string, 0, len(items))
	for i, n := range items {
		path := f.path + "[" + strconv.Itoa(i) + "]"
		p.at(path, n)
		if n.Kind != yaml.ScalarNode || isNull(n) {
			p.errorf(n, "each origin must be a plain value, as in https://www.example.org, not %s", kind(n))
			p.fail(path)
			out = append(out, "")
			continue
		}
		out = append(out, strings.TrimSpace(n.Value))
	}
	return out
}

func (p *parser) options(f field) charte.Options {
	o := charte.Options{PersistentControl: true}
	if isNull(f.val) {
		return o
	}
	if f.val.Kind != yaml.MappingNode {
		p.errorf(f.val, "options must be a mapping, not %s: write options: {persistent_control: true}", kind(f.val))
		return o
	}
	fs := p.fields(f.val, "options", optionKeys)
	p.under(f.path, fs)
	if g, ok := fs["google_consent_mode"]; ok {
		o.GoogleConsentMode, _ = p.boolean(g, "google_consent_mode")
	}
	if g, ok := fs["persistent_control"]; ok {
		if v, ok := p.boolean(g, "persistent_control"); ok {
			o.PersistentControl = v
		}
	}
	if g, ok := fs["layout"]; ok {
		v, _ := p.str(g, "layout", "layout: box, bar or cloud", true)
		o.Layout = charte.Layout(v)
	}
	if g, ok := fs["position"]; ok {
		v, _ := p.str(g, "position", "position: bottom, bottom-left, bottom-right, top or middle", true)
		o.Position = charte.Position(v)
	}
	if g, ok := fs["auto_block"]; ok {
		o.AutoBlock, _ = p.boolean(g, "auto_block")
	}
	return o
}

// theme reads the banner's theme; [charte.Charter.Check] holds its values
// to the rules.
func (p *parser) theme(f field) charte.Theme {
	var t charte.Theme
	if isNull(f.val) {
		return t
	}
	if f.val.Kind != yaml.MappingNode {
		p.errorf(f.val, "theme must be a mapping, not %s: write theme: {preset: dsfr}, or theme: {accent: \"#000091\", …}", kind(f.val))
		p.fail(f.path)
		return t
	}
	fs := p.fields(f.val, "theme", themeKeys)
	p.under(f.path, fs)
	if g, ok := fs["preset"]; ok {
		t.Preset, _ = p.str(g, "preset", "preset: default, or preset: dsfr", true)
	}
	cs := p.colors(fs)
	t.Accent, t.AccentText, t.Background, t.Text = cs.Accent, cs.AccentText, cs.Background, cs.Text
	if g, ok := fs["radius"]; ok {
		if g.val.Kind == yaml.ScalarNode && g.val.ShortTag() == "!!int" {
			if n, err := strconv.Atoi(g.val.Value); err == nil {
				t.Radius = &n
			} else {
				p.errorf(g.val, "radius %s is out of range: write a number of pixels from 0 (square corners) to %d, as in radius: 8", g.val.Value, charte.MaxRadius)
				p.fail(g.path)
			}
		} else {
			hint := "radius: 8"
			if v := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(g.val.Value), "px")); g.val.Kind == yaml.ScalarNode && v != "" {
				if _, err := strconv.Atoi(v); err == nil {
					hint = "radius: " + v + ", without a unit"
				}
			}
			p.errorf(g.pos(), "radius must be a whole number of pixels, not %s: write %s", kind(g.val), hint)
			p.fail(g.path)
		}
	}
	if g, ok := fs["font"]; ok {
		t.Font, _ = p.str(g, "font", `font: "Marianne, system-ui, sans-serif"`, true)
	}
	if g, ok := fs["dark"]; ok {
		switch {
		case isNull(g.val):
		case g.val.Kind != yaml.MappingNode:
			p.errorf(g.val, "dark must be a mapping of colours, not %s: write dark: {accent: \"#8585f6\", accent_text: \"#000091\", background: \"#1e1e1e\", text: \"#cecece\"}", kind(g.val))
			p.fail(g.path)
		default:
			dfs := p.fields(g.val, "theme.dark", colorKeys)
			p.under(g.path, dfs)
			cs := p.colors(dfs)
			t.Dark = &cs
		}
	}
	return t
}

// colors reads the colour keys of a theme's mapping. An unquoted colour is a YAML comment, so the value is empty: the
// hint says to quote it.
func (p *parser) colors(fs map[string]field) charte.Colors {
	var cs charte.Colors
	for _, key := range colorKeys {
		g, ok := fs[key]
		if !ok {
			continue
		}
		v, _ := p.str(g, key, key+`: "#000091", in quotes, since # begins a comment in YAML`, true)
		switch key {
		case "accent":
			cs.Accent = v
		case "accent_text":
			cs.AccentText = v
		case "background":
			cs.Background = v
		case "text":
			cs.Text = v
		}
	}
	return cs
}

// categories reads every category that has an id. When none is the
// necessary category, it adds it last, with no texts (its built-in ones),
// and returns its path as implicit.
func (p *parser) categories(f field) (list []charte.Category, implicit string) {
	var items []*yaml.Node
	if f.key != nil {
		items, _ = p.seq(f, "categories", "categories: [{id: necessary}]")
	}
	for _, n := range items {
		if c, ok := p.category(n, "categories["+strconv.Itoa(len(list))+"]"); ok {
			list = append(list, c)
		}
	}
	if !slices.ContainsFunc(list, charte.Category.Necessary) {
		implicit = "categories[" + strconv.Itoa(len(list)) + "]"
		list = append(list, charte.Category{ID: charte.CategoryNecessary})
		p.implicit = true
	}
	return list, implicit
}

// category reads one category, at path when it has an id; ok is false when
// it has none. Texts that the file leaves out of a built-in category are
// nil, its built-in texts.
func (p *parser) category(n *yaml.Node, path string) (c charte.Category, ok bool) {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "each category must be a mapping, not %s: write - id: necessary, or - {id: my-purpose, name: …, description: …}", kind(n))
		return c, false
	}
	fs := p.fields(n, "category", categoryKeys)
	g, has := fs["id"]
	if !has {
		p.missing(n, "", "id", "category", "id: followed by one of necessary, preferences, statistics, marketing, or an id of your own")
		return c, false
	}
	// Without a path yet: a category without an id is not one of the
	// charter's.
	id, valid := p.str(g, "category id", "id: statistics", true)
	if !valid {
		return c, false
	}
	p.at(path, n)
	p.under(path, fs)
	c.ID = id
	_, isBuiltin := charte.BuiltinCategory(id)
	for _, key := range []string{"name", "description"} {
		var t charte.Text
		if g, ok := fs[key]; ok {
			t = p.text(g, key+" of category "+strconv.Quote(id))
		} else if !isBuiltin {
			hint := p.textHint(key) + " (only built-in categories have default texts)"
			if s := charte.Suggest(id, charte.BuiltinCategoryIDs()); s != "" {
				hint = p.textHint(key) + fmt.Sprintf(", or did you mean the built-in category %q?", s)
			}
			p.missing(n, join(path, key), key, "category "+strconv.Quote(id), hint)
		}
		if key == "name" {
			c.Name = t
		} else {
			c.Description = t
		}
	}
	if g, ok := fs["exempt"]; ok {
		c.Exempt, _ = p.boolean(g, "exempt")
	}
	return c, true
}

func (p *parser) cookies(f field, cats []charte.Category) []charte.Cookie {
	items, ok := p.seq(f, "cookies", "one entry per cookie, as in - {name: sessionid, …}, or cookies: [] if the site sets none")
	if !ok {
		return nil
	}
	var ids []string // for hints
	seen := make(map[string]bool, len(cats))
	for _, c := range cats {
		if !seen[c.ID] {
			seen[c.ID] = true
			ids = append(ids, c.ID)
		}
	}
	var out []charte.Cookie
	for _, n := range items {
		if n.Kind != yaml.MappingNode {
			p.errorf(n, "each cookie must be a mapping, not %s: write - {name: sessionid, provider: …, service: …, purpose: …, category: necessary, lifetime: session, party: first}", kind(n))
			continue
		}
		out = append(out, p.cookie(n, "cookies["+strconv.Itoa(len(out))+"]", ids))
	}
	return out
}

// cookie reads one cookie, at path; ids are the charter's categories.
func (p *parser) cookie(n *yaml.Node, path string, ids []string) (c charte.Cookie) {
	p.at(path, n)
	fs := p.fields(n, "cookie", cookieKeys)
	p.under(path, fs)
	what := "cookie"
	need := func(key, hint string) (field, bool) {
		g, ok := fs[key]
		if !ok {
			p.missing(n, join(path, key), key, what, hint)
		}
		return g, ok
	}
	if g, ok := need("name", "name: followed by the cookie's name, or a pattern such as _ga_*"); ok {
		if name, ok := p.str(g, "cookie name", "name: sessionid", true); ok {
			c.Name = name
			what = "cookie " + strconv.Quote(name)
		}
	}
	if g, ok := need("provider", "provider: followed by who sets the cookie, as in provider: Google"); ok {
		c.Provider, _ = p.str(g, "provider of "+what, "provider: Google, a plain name", true)
	}
	// The hints of texts name every site language: only for a missing key.
	if g, ok := fs["service"]; ok {
		c.Service = p.text(g, "service of "+what)
	} else {
		p.missing(n, join(path, "service"), "service", what, p.textHint("service")+", the service the cookie belongs to")
	}
	if g, ok := fs["purpose"]; ok {
		c.Purpose = p.text(g, "purpose of "+what)
	} else {
		p.missing(n, join(path, "purpose"), "purpose", what, p.textHint("purpose")+", what the cookie is for")
	}
	if g, ok := need("category", "category: followed by one of "+list(ids, "or")); ok {
		c.Category, _ = p.str(g, "category of "+what, "category: necessary", true)
	}
	if g, ok := need("lifetime", "lifetime: session, or a duration such as 30d, 6mo or 1y"); ok {
		if v, ok := p.str(g, "lifetime of "+what, "lifetime: session, or a duration such as 30d, 6mo or 1y", true); ok {
			l, err := charte.ParseLifetime(v)
			if err != nil {
				p.errorf(g.val, "%v", err)
				p.fail(g.path)
			}
			c.Lifetime = l
		}
	}
	if g, ok := need("party", "party: first if the site sets the cookie, or party: third if another site does"); ok {
		if v, ok := p.str(g, "party of "+what, "party: first, or party: third", true); ok {
			c.Party = charte.Party(v)
		}
	}
	if g, ok := fs["domain"]; ok {
		c.Domain, _ = p.str(g, "domain of "+what, "domain: .example.com", false)
	}
	return c
}
