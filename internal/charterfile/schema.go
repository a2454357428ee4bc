package charterfile

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/charte/charte/internal/charte"
)

// The keys of each mapping of a charter file. They are a public contract:
// renaming one breaks every charter written with it.
var (
	charterKeys  = []string{"site", "options", "categories", "cookies"}
	siteKeys     = []string{"id", "name", "url", "origins", "languages", "contact", "consent_lifetime", "updated"}
	optionKeys   = []string{"google_consent_mode", "persistent_control"}
	categoryKeys = []string{"id", "name", "description", "exempt"}
	cookieKeys   = []string{"name", "provider", "service", "purpose", "category", "lifetime", "party", "domain"}
)

// charter reads the whole file. The site comes first whatever the key
// order, since texts are checked against its languages.
func (p *parser) charter(root *yaml.Node) *charte.Charter {
	ch := &charte.Charter{
		Options: charte.Options{PersistentControl: true},
	}
	root = resolve(root)
	if root.Kind != yaml.MappingNode {
		p.errorf(root, "a charter must be a mapping with the keys site, categories and cookies, not %s", kind(root))
		return ch
	}
	fs := p.fields(root, "charter", charterKeys)
	if f, ok := fs["site"]; ok {
		ch.Site, ch.Updated = p.site(f)
	} else {
		p.missing(root, "site", "charter", "site: {id: …, name: …, url: …, languages: [fr, en], contact: …}")
	}
	if f, ok := fs["options"]; ok {
		ch.Options = p.options(f)
	}
	cats := p.categories(fs["categories"])
	ch.Categories = cats.list
	if err := ch.CheckConsentCookie(); err != nil {
		at := root
		if f, ok := fs["categories"]; ok {
			at = f.pos()
		}
		p.errorf(at, "%s", charte.ErrorMessage(err))
	}
	if f, ok := fs["cookies"]; ok {
		ch.Cookies = p.cookies(f, cats)
	} else {
		p.missing(root, "cookies", "charter", "the list of the site's cookies, or cookies: [] if it sets none")
	}
	if _, ok := fs["categories"]; !ok {
		p.missing(root, "categories", "charter", "categories: [{id: necessary}] and one entry per purpose the site asks consent for")
	}
	return ch
}

func (p *parser) site(f field) (charte.Site, time.Time) {
	var s charte.Site
	var updated time.Time
	if f.val.Kind != yaml.MappingNode {
		p.errorf(f.pos(), "site must be a mapping, not %s: write site: {id: …, name: …, url: …, languages: [fr, en], contact: …}", kind(f.val))
		return s, updated
	}
	fs := p.fields(f.val, "site", siteKeys)
	need := func(key, hint string) (field, bool) {
		g, ok := fs[key]
		if !ok {
			p.missing(f.val, key, "site", hint)
		}
		return g, ok
	}

	// Languages first: the texts of the whole file depend on them.
	if g, ok := need("languages", "languages: [fr, en], the languages of the site's texts, default first"); ok {
		s.Languages = p.languages(g)
	}
	if g, ok := need("id", "id: my-site, a slug of lowercase letters, digits and hyphens"); ok {
		if id, ok := p.str(g, "site id", "id: my-site", true); ok {
			if msg := checkSlug(id); msg != "" {
				p.errorf(g.val, "%s", msg)
			}
			s.ID = id
		}
	}
	if g, ok := need("name", "name: followed by the site's name"); ok {
		s.Name, _ = p.str(g, "site name", "name: followed by the site's name", true)
	}
	var origin string
	if g, ok := need("url", "url: https://www.example.org, the site's address"); ok {
		if u, ok := p.str(g, "site url", "url: https://www.example.org", true); ok {
			if o, msg := checkURL(u); msg != "" {
				p.errorf(g.val, "url %s", msg)
			} else {
				origin = o
			}
			s.URL = u
		}
	}
	if g, ok := fs["origins"]; ok {
		s.Origins = p.origins(g)
	} else if origin != "" {
		s.Origins = []string{origin}
	}
	if g, ok := need("contact", "contact: dpo@example.org, the address of the controller or DPO for questions"); ok {
		if c, ok := p.str(g, "contact", "contact: dpo@example.org", true); ok {
			if msg := checkContact(c); msg != "" {
				p.errorf(g.val, "%s", msg)
			}
			s.Contact = c
		}
	}
	s.ConsentLifetime = charte.DefaultConsentLifetime
	if g, ok := fs["consent_lifetime"]; ok {
		if v, ok := p.str(g, "consent_lifetime", "consent_lifetime: 6mo", true); ok {
			d, err := charte.ParseDuration(v)
			switch {
			case err != nil:
				p.errorf(g.val, "consent_lifetime must be a duration: %v", err)
			case d.Longer(charte.MaxLifetime):
				p.errorf(g.val, "consent_lifetime %s is longer than 13 months, the most the CNIL allows: write 13mo or less (6mo is recommended)", d)
			default:
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

// languages reads site.languages, and makes them known to texts when they
// have no problem.
func (p *parser) languages(f field) []string {
	items, ok := p.seq(f, "languages", "languages: [fr, en]")
	if !ok {
		return nil
	}
	if len(items) == 0 {
		p.errorf(f.val, "languages is empty: list at least one language, the default first, as in languages: [fr, en]")
		return nil
	}
	clean := true
	var langs []string
	lines := make(map[string]int)
	for _, n := range items {
		if n.Kind != yaml.ScalarNode || isNull(n) {
			p.errorf(n, "each language must be a language code, as in fr or en-GB, not %s", kind(n))
			clean = false
			continue
		}
		l := strings.TrimSpace(n.Value)
		if msg := checkLanguage(l); msg != "" {
			p.errorf(n, "%s", msg)
			clean = false
			continue
		}
		if line, ok := lines[l]; ok {
			p.errorf(n, "language %s is listed twice (first on line %d): remove one", l, line)
			clean = false
			continue
		}
		lines[l] = n.Line
		langs = append(langs, l)
	}
	p.langs, p.langsOK = langs, clean
	return langs
}

func (p *parser) origins(f field) []string {
	items, ok := p.seq(f, "origins", `origins: ["https://www.example.org"]`)
	if !ok {
		return nil
	}
	if len(items) == 0 {
		p.errorf(f.val, "origins is empty: list the origins allowed to show the banner, or remove origins to allow the origin of url")
		return nil
	}
	var out []string
	lines := make(map[string]int)
	for _, n := range items {
		if n.Kind != yaml.ScalarNode || isNull(n) {
			p.errorf(n, "each origin must be a plain value, as in https://www.example.org, not %s", kind(n))
			continue
		}
		o, msg := checkOrigin(strings.TrimSpace(n.Value))
		if msg != "" {
			p.errorf(n, "%s", msg)
			continue
		}
		if line, ok := lines[o]; ok {
			p.errorf(n, "origin %s is listed twice (first on line %d): remove one", o, line)
			continue
		}
		lines[o] = n.Line
		out = append(out, o)
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
	if g, ok := fs["google_consent_mode"]; ok {
		o.GoogleConsentMode, _ = p.boolean(g, "google_consent_mode")
	}
	if g, ok := fs["persistent_control"]; ok {
		if v, ok := p.boolean(g, "persistent_control"); ok {
			o.PersistentControl = v
		}
	}
	return o
}

// categorySet is the categories of a charter, as cookies see them.
type categorySet struct {
	list []charte.Category
	// ids are every declared id, valid or not, so that a cookie in a
	// category whose declaration has a problem is not reported again.
	ids    []string
	exempt map[string]bool
}

func (p *parser) categories(f field) categorySet {
	set := categorySet{exempt: make(map[string]bool)}
	var items []*yaml.Node
	if f.key != nil {
		items, _ = p.seq(f, "categories", "categories: [{id: necessary}]")
	}
	lines := make(map[string]int)
	for _, n := range items {
		c, ok := p.category(n)
		if c.ID == "" {
			continue
		}
		if line, dup := lines[c.ID]; dup {
			p.errorf(n, "category %q is declared twice (first on line %d): remove one", c.ID, line)
			continue
		}
		lines[c.ID] = n.Line
		set.ids = append(set.ids, c.ID)
		set.exempt[c.ID] = c.Exempt
		if ok {
			set.list = append(set.list, c)
		}
	}
	if !slices.Contains(set.ids, charte.CategoryNecessary) {
		set.ids = append(set.ids, charte.CategoryNecessary)
		set.list = slices.Insert(set.list, 0, p.implicitNecessary(f))
	}
	return set
}

// implicitNecessary is the necessary category, with its built-in texts, for
// a file that does not declare it.
func (p *parser) implicitNecessary(f field) charte.Category {
	c, _ := charte.BuiltinCategory(charte.CategoryNecessary)
	if !p.langsOK {
		return c
	}
	at := f.key
	name, desc := make(charte.Text), make(charte.Text)
	for _, l := range p.langs {
		if _, ok := c.Name[l]; !ok && at != nil {
			p.errorf(at, "the necessary category, added because categories does not declare it, has no text in %s: declare it with - {id: necessary, name: {%s: \"…\"}, description: {%s: \"…\"}}", l, l, l)
			continue
		}
		name[l], desc[l] = c.Name[l], c.Description[l]
	}
	c.Name, c.Description = name, desc
	return c
}

// category reads one category. ok is false when it has a problem; its ID
// is set whenever the file gives one.
func (p *parser) category(n *yaml.Node) (c charte.Category, ok bool) {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "each category must be a mapping, not %s: write - id: necessary, or - {id: my-purpose, name: …, description: …}", kind(n))
		return c, false
	}
	before := len(p.problems)
	fs := p.fields(n, "category", categoryKeys)
	g, has := fs["id"]
	if !has {
		p.missing(n, "id", "category", "id: followed by one of necessary, preferences, statistics, marketing, or an id of your own")
		return c, false
	}
	id, valid := p.str(g, "category id", "id: statistics", true)
	if !valid {
		return c, false
	}
	c.ID = id
	if msg := checkCategoryID(id); msg != "" {
		p.errorf(g.val, "%s", msg)
	}
	builtin, isBuiltin := charte.BuiltinCategory(id)
	for _, key := range []string{"name", "description"} {
		what := key + " of category " + strconv.Quote(id)
		var t charte.Text
		if g, ok := fs[key]; ok {
			var defaults charte.Text
			if isBuiltin {
				defaults = builtin.Name
				if key == "description" {
					defaults = builtin.Description
				}
			}
			t = p.text(g, what, defaults)
		} else if isBuiltin {
			t = p.builtinText(n, id, key, builtin)
		} else {
			hint := p.textHint(key) + " (only built-in categories have default texts)"
			if s := suggest(id, charte.BuiltinCategoryIDs()); s != "" {
				hint = p.textHint(key) + fmt.Sprintf(", or did you mean the built-in category %q?", s)
			}
			p.missing(n, key, "category "+strconv.Quote(id), hint)
		}
		if key == "name" {
			c.Name = t
		} else {
			c.Description = t
		}
	}
	if g, ok := fs["exempt"]; ok {
		if v, ok := p.boolean(g, "exempt"); ok {
			if v && id != charte.CategoryStatistics {
				p.errorf(g.val, "exempt is only allowed on the statistics category, for audience measurement the CNIL exempts from consent: remove exempt: true")
			}
			c.Exempt = v
		}
	}
	return c, len(p.problems) == before
}

// builtinText is a built-in category's default text in the site's
// languages, reporting the languages that have no default.
func (p *parser) builtinText(n *yaml.Node, id, key string, builtin charte.Category) charte.Text {
	defaults := builtin.Name
	if key == "description" {
		defaults = builtin.Description
	}
	if !p.langsOK {
		return defaults
	}
	t := make(charte.Text, len(p.langs))
	for _, l := range p.langs {
		d, ok := defaults[l]
		if !ok {
			p.errorf(n, "category %q has no %s in %s: give %s: {%s: \"…\"}", id, key, l, key, l)
			continue
		}
		t[l] = d
	}
	return t
}

func (p *parser) cookies(f field, cats categorySet) []charte.Cookie {
	items, ok := p.seq(f, "cookies", "one entry per cookie, as in - {name: sessionid, …}, or cookies: [] if the site sets none")
	if !ok {
		return nil
	}
	var out []charte.Cookie
	lines := make(map[string]int)
	for _, n := range items {
		c, nameNode := p.cookie(n, cats)
		if nameNode == nil {
			continue
		}
		if line, dup := lines[c.Name]; dup {
			p.errorf(nameNode, "cookie %q is declared twice (first on line %d): merge the two or remove one", c.Name, line)
			continue
		}
		lines[c.Name] = nameNode.Line
		out = append(out, c)
	}
	return out
}

// cookie reads one cookie; nameNode is nil when it has no usable name.
func (p *parser) cookie(n *yaml.Node, cats categorySet) (c charte.Cookie, nameNode *yaml.Node) {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "each cookie must be a mapping, not %s: write - {name: sessionid, provider: …, service: …, purpose: …, category: necessary, lifetime: session, party: first}", kind(n))
		return c, nil
	}
	fs := p.fields(n, "cookie", cookieKeys)
	what := "cookie"
	need := func(key, hint string) (field, bool) {
		g, ok := fs[key]
		if !ok {
			p.missing(n, key, what, hint)
		}
		return g, ok
	}
	if g, ok := need("name", "name: followed by the cookie's name, or a pattern such as _ga_*"); ok {
		if name, ok := p.str(g, "cookie name", "name: sessionid", true); ok {
			if msg := checkCookieName(name); msg != "" {
				p.errorf(g.val, "%s", msg)
			}
			c.Name, nameNode = name, g.val
			what = "cookie " + strconv.Quote(name)
		}
	}
	if g, ok := need("provider", "provider: followed by who sets the cookie, as in provider: Google"); ok {
		c.Provider, _ = p.str(g, "provider of "+what, "provider: Google, a plain name", true)
	}
	if g, ok := need("service", p.textHint("service")+", the service the cookie belongs to"); ok {
		c.Service = p.text(g, "service of "+what, nil)
	}
	if g, ok := need("purpose", p.textHint("purpose")+", what the cookie is for"); ok {
		c.Purpose = p.text(g, "purpose of "+what, nil)
	}
	if g, ok := need("category", "category: followed by one of "+list(cats.ids, "or")); ok {
		if id, ok := p.str(g, "category of "+what, "category: necessary", true); ok {
			c.Category = id
			if !slices.Contains(cats.ids, id) {
				switch s := suggest(id, cats.ids); {
				case s != "":
					p.errorf(g.val, "unknown category %q in %s; did you mean %q?", id, what, s)
				default:
					p.errorf(g.val, "unknown category %q in %s: declare it under categories, or use %s", id, what, list(cats.ids, "or"))
				}
			}
		}
	}
	if g, ok := need("lifetime", "lifetime: session, or a duration such as 30d, 6mo or 1y"); ok {
		if v, ok := p.str(g, "lifetime of "+what, "lifetime: session, or a duration such as 30d, 6mo or 1y", true); ok {
			l, err := charte.ParseLifetime(v)
			switch {
			case err != nil:
				p.errorf(g.val, "%v", err)
			case c.Category != charte.CategoryNecessary && slices.Contains(cats.ids, c.Category) && l.Duration.Longer(charte.MaxLifetime):
				p.errorf(g.val, "lifetime %s of %s is longer than 13 months, the most the CNIL allows for a cookie that is not necessary: write 13mo or less", l, what)
			}
			c.Lifetime = l
		}
	}
	if g, ok := need("party", "party: first if the site sets the cookie, or party: third if another site does"); ok {
		if v, ok := p.str(g, "party of "+what, "party: first, or party: third", true); ok {
			c.Party = charte.Party(v)
			switch {
			case c.Party != charte.PartyFirst && c.Party != charte.PartyThird:
				p.errorf(g.val, "party must be first or third, not %q", v)
			case c.Party == charte.PartyThird && cats.exempt[c.Category]:
				p.errorf(g.val, "%s is a third-party cookie, but category %q is exempt from consent, and the CNIL exemption excludes third-party cookies: move the cookie to another category, or remove exempt: true", what, c.Category)
			}
		}
	}
	if g, ok := fs["domain"]; ok {
		if d, ok := p.str(g, "domain of "+what, "domain: .example.com", false); ok {
			if msg := checkDomain(d); msg != "" {
				p.errorf(g.val, "%s", msg)
			}
			c.Domain = d
		}
	}
	return c, nameNode
}
