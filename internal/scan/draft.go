package scan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/knowledge"
	"github.com/charte/charte/internal/services"
)

// WriteDraft writes a charter that declares every cookie of the report, to
// start from. The services of the catalogue ([services.Default]) that the
// report shows — by the hosts pages made requests to, or by the names of
// the cookies seen — are proposed under services, with the parameters the
// cookies tell, and their cookies are left to them; the services ch names
// are kept. Other declared cookies keep the declaration of ch (nil for
// none); the others get what the knowledge base knows, or category unknown.
//
// The draft is valid YAML and a valid charter but for the lines marked
// TODO, which are left invalid on purpose — an empty contact or purpose,
// category unknown — so that charte check points at each one (FILE:LINE:COL)
// until the operator fills it in, and a draft cannot go live unread.
func WriteDraft(w io.Writer, r *charte.ScanReport, ch *charte.Charter) error {
	d := &draft{ch: ch, r: r}
	d.services()
	d.cookies()
	var b bytes.Buffer
	d.write(&b)
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write draft charter: %w", err)
	}
	return nil
}

// draft is a charter being written from a report.
type draft struct {
	ch    *charte.Charter
	r     *charte.ScanReport
	langs []string
	decls []*draftCookie
	// svcs are the services proposed, by id; covered the cookies of the
	// report (by index) that one of them declares.
	svcs    []*draftService
	covered map[int]bool
}

// draftService is one service entry of the draft.
type draftService struct {
	def    *charte.ServiceDef
	named  *charte.SiteService // the charter's entry, if it names the service
	seen   []string            // what showed it: "requests to HOST", "cookie NAME"
	params map[string]string   // values the cookies tell
	from   map[string]string   // the cookie each value comes from
}

// services finds the catalogue services of the charter and of the report.
// A cookie the charter declares by hand stays a cookie.
func (d *draft) services() {
	cat := services.Default()
	byID := make(map[string]*draftService)
	get := func(def *charte.ServiceDef) *draftService {
		if ds, ok := byID[def.ID]; ok {
			return ds
		}
		ds := &draftService{def: def, params: map[string]string{}, from: map[string]string{}}
		byID[def.ID] = ds
		d.svcs = append(d.svcs, ds)
		return ds
	}
	if d.ch != nil {
		for i, s := range d.ch.Services {
			if def, ok := cat.Service(s.ID); ok {
				get(def).named = &d.ch.Services[i]
			}
		}
	}
	for _, tp := range d.r.ThirdParties {
		if def, ok := cat.ServiceByHost(tp.Host); ok {
			ds := get(def)
			ds.seen = append(ds.seen, "requests to "+tp.Host)
		}
	}
	d.covered = make(map[int]bool)
	for i, c := range d.r.Cookies {
		if d.ch != nil && c.Declared {
			if decl, ok := d.ch.Lookup(c.Name); ok && decl.FromService == "" {
				continue
			}
		}
		for _, id := range cat.ServiceIDs() {
			def, _ := cat.Service(id)
			if !serviceSets(def, c) {
				continue
			}
			ds := get(def)
			ds.seen = append(ds.seen, "cookie "+c.Name)
			for _, p := range def.Params {
				if v := paramFromCookie(def.ID, p.Name, c.Name); v != "" && ds.params[p.Name] == "" && matchParam(p.Pattern, v) {
					ds.params[p.Name], ds.from[p.Name] = v, c.Name
				}
			}
			d.covered[i] = true
			break
		}
	}
	slices.SortStableFunc(d.svcs, func(a, b *draftService) int {
		// The charter's services first, in its order; then by id.
		switch {
		case a.named != nil && b.named != nil:
			return 0
		case a.named != nil:
			return -1
		case b.named != nil:
			return 1
		}
		return strings.Compare(a.def.ID, b.def.ID)
	})
}

// serviceSets reports whether c is a cookie of def: the same name (or
// pattern), set by the same party, and on def's domain for a third party's.
func serviceSets(def *charte.ServiceDef, c charte.ScanCookie) bool {
	for _, k := range def.Cookies {
		if k.Matches(c.Name) && k.Party == c.Party && (k.Party == charte.PartyFirst || domainMatch(strings.TrimPrefix(c.Domain, "."), k.Domain)) {
			return true
		}
	}
	return false
}

// paramFromCookie returns the value of a service's parameter that the name
// of one of its cookies tells, or "": a Google Analytics 4 measurement id
// from _ga_<id>, a Hotjar site id from _hjSessionUser_<id>, a Matomo site
// id from _pk_id.<id>.<hash>.
func paramFromCookie(service, param, name string) string {
	switch service + "." + param {
	case "google-analytics-4.measurement_id":
		if rest, ok := strings.CutPrefix(name, "_ga_"); ok {
			return "G-" + rest
		}
	case "hotjar.site_id":
		if rest, ok := strings.CutPrefix(name, "_hjSessionUser_"); ok {
			return rest
		}
	case "matomo.site_id":
		if rest, ok := strings.CutPrefix(name, "_pk_id."); ok {
			id, _, _ := strings.Cut(rest, ".")
			return id
		}
	}
	return ""
}

// matchParam reports whether v matches a parameter's pattern.
func matchParam(pattern, v string) bool {
	re, err := regexp.Compile(pattern)
	return err == nil && re.MatchString(v)
}

// writeServices writes the services of the draft.
func (d *draft) writeServices(b *bytes.Buffer) {
	if len(d.svcs) == 0 {
		return
	}
	fmt.Fprintln(b, "# Services of charte's catalogue (charte services lists them): each declares its")
	fmt.Fprintln(b, "# cookies, and the banner loads its tag once its category is granted.")
	fmt.Fprintln(b, "services:")
	for _, ds := range d.svcs {
		note := ds.def.Name + ", " + ds.def.Provider
		if len(ds.seen) > 0 {
			note += "; seen: " + strings.Join(slices.Compact(ds.seen), ", ")
		}
		fmt.Fprintf(b, "  - id: %s  # %s\n", ds.def.ID, note)
		for _, p := range ds.def.Params {
			switch {
			case ds.named != nil && ds.named.Params[p.Name] != "":
				fmt.Fprintf(b, "    %s: %s\n", p.Name, q(ds.named.Params[p.Name]))
			case ds.params[p.Name] != "":
				fmt.Fprintf(b, "    %s: %s  # from the cookie %s\n", p.Name, q(ds.params[p.Name]), ds.from[p.Name])
			case p.Required:
				fmt.Fprintf(b, "    %s: \"\"  # TODO: %s, as in %s: %s\n", p.Name, p.Description, p.Name, p.Example)
			}
		}
		if ds.named != nil && ds.named.Exempt {
			fmt.Fprintln(b, "    exempt: true")
		}
	}
}

// serviceCategories marks the categories the draft's services put cookies
// in.
func (d *draft) serviceCategories(used map[string]bool) {
	for _, ds := range d.svcs {
		switch {
		case ds.named != nil && ds.named.Exempt && ds.def.Exemptable:
			used[charte.CategoryStatistics] = true
		case len(ds.def.Cookies) > 0 || ds.def.Tag != nil:
			used[ds.def.Category] = true
		}
	}
}

// draftCookie is one cookie declaration of the draft, as YAML lines.
type draftCookie struct {
	name     string
	category string
	lines    []string
}

// builtinOrder is the order of the built-in categories in a draft.
var builtinOrder = []string{charte.CategoryNecessary, charte.CategoryPreferences, charte.CategoryStatistics, charte.CategoryMarketing}

// nonToken is what RFC 6265 (and charterfile) forbid in a cookie name.
var nonToken = regexp.MustCompile(`[\x00-\x20\x7f-\x{10ffff}()<>@,;:\\"/\[\]?={}]`)

// cookies writes a declaration for each cookie of the report, one per name
// or pattern.
func (d *draft) cookies() {
	d.langs = []string{"fr"}
	if d.ch != nil && len(d.ch.Site.Languages) > 0 {
		d.langs = d.ch.Site.Languages
	}
	byName := make(map[string]*draftCookie)
	for i, c := range d.r.Cookies {
		if d.covered[i] {
			continue // a service's
		}
		dc := d.cookie(c)
		if prev, ok := byName[dc.name]; ok {
			if c.Domain != "" && !strings.Contains(strings.Join(prev.lines, "\n"), q(c.Domain)) {
				prev.lines = append(prev.lines, fmt.Sprintf("    # also seen on %s", c.Domain))
			}
			continue
		}
		byName[dc.name] = dc
		d.decls = append(d.decls, dc)
	}
}

// cookie writes the declaration of one cookie seen.
func (d *draft) cookie(c charte.ScanCookie) *draftCookie {
	if d.ch != nil && c.Declared {
		if decl, ok := d.ch.Lookup(c.Name); ok {
			return d.declared(c, decl)
		}
	}
	dc := &draftCookie{name: c.Name}
	var e knowledge.Entry
	known := c.ClassifiedBy == charte.ClassifiedByKnowledge
	if known {
		e, _ = knowledge.LookupCookie(c.Name, c.Domain, c.Party == charte.PartyThird)
		if e.Prefix {
			dc.name = e.Pattern()
		}
	}
	nameNote := ""
	if loc := nonToken.FindStringIndex(dc.name); loc != nil {
		// Charter names are RFC 6265 tokens: pvc_visits[0] is declared as
		// the pattern pvc_visits*.
		nameNote = fmt.Sprintf("  # seen as %q, which a charter writes as a pattern", c.Name)
		dc.name = strings.TrimRight(dc.name[:loc[0]], "*") + "*"
	}
	host := strings.TrimPrefix(c.Domain, ".")
	dc.lines = append(dc.lines, fmt.Sprintf("  - name: %s%s", q(dc.name), nameNote))
	if known {
		dc.category = e.Category
		dc.lines = append(dc.lines,
			fmt.Sprintf("    provider: %s", q(e.Provider())),
			fmt.Sprintf("    service: %s", q(e.Platform)),
			`    purpose: ""  # TODO: what the cookie is for, in words a visitor understands`,
			fmt.Sprintf("    category: %s  # knowledge base: %s", e.Category, kbNote(e, host)),
		)
	} else {
		dc.category = charte.CategoryUnknown
		provider := host
		if c.Party == charte.PartyFirst && d.ch != nil {
			provider = d.ch.Site.Name
		}
		dc.lines = append(dc.lines,
			fmt.Sprintf("    provider: %s  # check who sets it: %s %s", q(provider), c.SetBy.Kind, c.SetBy.URL),
			fmt.Sprintf("    service: %s", q(host)),
			`    purpose: ""  # TODO: what the cookie is for, in words a visitor understands`,
			"    category: unknown  # TODO: necessary, preferences, statistics or marketing; neither the charter nor the knowledge base knows this cookie",
		)
	}
	lifetime, note := draftLifetime(c, dc.category)
	if known && e.KnowsLifetime() {
		note += fmt.Sprintf("; knowledge base: %s", e.Lifetime)
	}
	dc.lines = append(dc.lines, fmt.Sprintf("    lifetime: %s  # %s", lifetime, note), fmt.Sprintf("    party: %s", c.Party))
	if c.Party == charte.PartyThird {
		dc.lines = append(dc.lines, fmt.Sprintf("    domain: %s", q(c.Domain)))
	}
	return dc
}

// kbNote describes a knowledge base entry for a draft's comment.
func kbNote(e knowledge.Entry, host string) string {
	s := e.Platform
	if e.Controller != "" && e.Controller != e.Platform {
		s += " (" + e.Controller + ")"
	}
	if len(e.Domains) > 0 && !slices.ContainsFunc(e.Domains, func(d string) bool { return domainMatch(host, d) }) {
		s += ", usually on " + strings.Join(e.Domains, ", ") + ": check it is the same cookie"
	}
	return s
}

// declared writes a cookie the charter declares, as it declares it.
func (d *draft) declared(c charte.ScanCookie, decl charte.Cookie) *draftCookie {
	dc := &draftCookie{name: decl.Name, category: decl.Category}
	lifetime := decl.Lifetime.String()
	if !decl.Lifetime.Session && c.Lifetime.Session {
		lifetime += "  # seen as a session cookie"
	} else if c.Lifetime.String() != decl.Lifetime.String() {
		lifetime += "  # seen living " + c.Lifetime.String()
	}
	dc.lines = append(dc.lines,
		fmt.Sprintf("  - name: %s", q(decl.Name)),
		fmt.Sprintf("    provider: %s", q(decl.Provider)),
		fmt.Sprintf("    service: %s", d.text(decl.Service)),
		fmt.Sprintf("    purpose: %s", d.text(decl.Purpose)),
		fmt.Sprintf("    category: %s", decl.Category),
		fmt.Sprintf("    lifetime: %s", lifetime),
		fmt.Sprintf("    party: %s", decl.Party),
	)
	if decl.Domain != "" {
		dc.lines = append(dc.lines, fmt.Sprintf("    domain: %s", q(decl.Domain)))
	}
	return dc
}

// draftLifetime returns the lifetime to declare for a cookie seen, and a
// comment: what was seen; a cookie that needs consent and lives longer
// than 13 months is declared for 13 months, with a TODO to shorten it.
func draftLifetime(c charte.ScanCookie, category string) (string, string) {
	if c.Lifetime.Session {
		return "session", "seen: a session cookie"
	}
	seen := c.Lifetime.Duration
	if category != charte.CategoryNecessary && category != charte.CategoryUnknown &&
		seen.Approx() > charte.MaxLifetime.Approx()+overLimitTolerance {
		return charte.MaxLifetime.String(), fmt.Sprintf("TODO: seen living %s, more than the 13 months the CNIL allows for a cookie that is not necessary: make it expire within 13 months", seen)
	}
	return seen.String(), "seen: " + seen.String()
}

// text writes a charter text: a plain string when it is the same in every
// language, else a mapping.
func (d *draft) text(t charte.Text) string {
	var vals []string
	for _, l := range d.langs {
		vals = append(vals, t[l])
	}
	if len(slices.Compact(slices.Clone(vals))) == 1 {
		return q(vals[0])
	}
	var parts []string
	for i, l := range d.langs {
		parts = append(parts, l+": "+q(vals[i]))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// write writes the draft.
func (d *draft) write(b *bytes.Buffer) {
	date := d.r.Started.UTC().Format(time.DateOnly)
	fmt.Fprintf(b, "# Draft charter written by charte scan from %s on %s.\n", d.r.Site, date)
	fmt.Fprintln(b, "# It declares every cookie the scan saw. The lines marked TODO need you: they")
	fmt.Fprintln(b, "# are left invalid on purpose (an empty contact or purpose, category unknown),")
	fmt.Fprintln(b, "# so that \"charte check\" points at each one until it is filled in. Then check")
	fmt.Fprintln(b, "# the comments, and run: charte check THIS-FILE")

	fmt.Fprintln(b, "site:")
	if d.ch != nil {
		s := d.ch.Site
		fmt.Fprintf(b, "  id: %s\n  name: %s\n  url: %s\n", q(s.ID), q(s.Name), q(s.URL))
		if len(s.Origins) > 1 || len(s.Origins) == 1 && s.Origins[0] != originOf(s.URL) {
			var origins []string
			for _, o := range s.Origins {
				origins = append(origins, q(o))
			}
			fmt.Fprintf(b, "  origins: [%s]\n", strings.Join(origins, ", "))
		}
		fmt.Fprintf(b, "  languages: [%s]\n  contact: %s\n", strings.Join(d.langs, ", "), q(s.Contact))
		if s.ConsentLifetime != charte.DefaultConsentLifetime && !s.ConsentLifetime.IsZero() {
			fmt.Fprintf(b, "  consent_lifetime: %s\n", s.ConsentLifetime)
		}
	} else {
		host := hostOf(d.r.Site)
		fmt.Fprintf(b, "  id: %s\n", q(slug(host)))
		fmt.Fprintf(b, "  name: %s  # the site's name, as visitors know it\n", q(host))
		fmt.Fprintf(b, "  url: %s\n", q(d.r.Site))
		fmt.Fprintln(b, "  languages: [fr]  # the languages of the texts below, default first: [fr, en]")
		fmt.Fprintln(b, `  contact: ""  # TODO: the email address or URL of the controller or DPO`)
	}

	fmt.Fprintln(b, "categories:")
	used := map[string]bool{charte.CategoryNecessary: true}
	for _, dc := range d.decls {
		used[dc.category] = true
	}
	d.serviceCategories(used)
	if d.ch != nil {
		for _, c := range d.ch.Categories {
			if !used[c.ID] {
				continue
			}
			used[c.ID] = false
			d.category(b, c)
		}
	}
	for _, id := range builtinOrder {
		if used[id] {
			fmt.Fprintf(b, "  - id: %s\n", id)
		}
	}
	if used[charte.CategoryUnknown] {
		fmt.Fprintln(b, "  # add preferences, statistics or marketing here when you give them to a cookie below")
	}

	d.writeServices(b)
	switch {
	case len(d.decls) == 0 && len(d.svcs) > 0:
		fmt.Fprintln(b, "cookies: []  # the services above declare every cookie seen")
	case len(d.decls) == 0:
		fmt.Fprintln(b, "cookies: []  # no visitor saw any cookie")
	default:
		fmt.Fprintln(b, "cookies:")
		for _, dc := range d.decls {
			for _, l := range dc.lines {
				fmt.Fprintln(b, l)
			}
		}
	}
	var keys []string
	for _, s := range d.r.Storage {
		keys = append(keys, fmt.Sprintf("#   %sStorage %s on %s (%s)", s.Kind, q(s.Key), s.Origin, s.Category))
	}
	if len(keys) > 0 {
		fmt.Fprintln(b, "# The scan also saw these storage keys. Those that follow visitors need consent")
		fmt.Fprintln(b, "# as cookies do: declare them above, as cookies, with a name of letters, digits, - and _.")
		for _, k := range slices.Compact(keys) {
			fmt.Fprintln(b, k)
		}
	}
}

// category writes one of the charter's categories.
func (d *draft) category(b *bytes.Buffer, c charte.Category) {
	fmt.Fprintf(b, "  - id: %s\n", c.ID)
	builtin, isBuiltin := charte.BuiltinCategory(c.ID)
	if !isBuiltin || !equalText(c.Name, builtin.Name, d.langs) {
		fmt.Fprintf(b, "    name: %s\n", d.text(c.Name))
	}
	if !isBuiltin || !equalText(c.Description, builtin.Description, d.langs) {
		fmt.Fprintf(b, "    description: %s\n", d.text(c.Description))
	}
	if c.Exempt {
		fmt.Fprintln(b, "    exempt: true")
	}
}

// equalText reports whether a and b say the same in every language.
func equalText(a, b charte.Text, langs []string) bool {
	for _, l := range langs {
		if a[l] != b[l] {
			return false
		}
	}
	return true
}

// q quotes s as a YAML double-quoted scalar (a JSON string is one).
func q(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}

// originOf returns the origin of an absolute URL, as charterfile derives a
// site's default origins from its url.
func originOf(raw string) string {
	n, ok := normalize(raw)
	if !ok {
		return ""
	}
	u, err := url.Parse(n)
	if err != nil {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// slug turns a host into a site id: lowercase letters, digits and hyphens.
func slug(host string) string {
	s := strings.Trim(regexp.MustCompile(`[^a-z0-9]+`).ReplaceAllString(strings.ToLower(host), "-"), "-")
	if s == "" {
		return "site"
	}
	return s[:min(len(s), 63)]
}
