package charte

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// ApplyServices checks the services the charter names against cat, then
// declares their cookies in the charter, so that the policy page, the
// banner, enforcement and the scan see them like any other. The rules:
//
//   - each service names a service of cat, once; an unknown id comes with a
//     "did you mean";
//   - each of the service's required parameters is given, every value
//     matches its parameter's pattern, and no parameter is given that the
//     service does not take;
//   - exempt: true is given only to a service that has a CNIL-exempt
//     configuration; its cookies then go to statistics, which must be
//     exempt; a service that is not exempt puts no cookie in an exempt
//     category.
//
// Each service's cookies are added at the end of ch.Cookies with
// FromService set, its name as their service, its provider and purpose when
// the cookie has none, and texts in the site's languages (English where the
// catalogue has no text in one); a cookie the charter already declares (by
// hand, or for an earlier service) keeps its declaration. A service whose
// category the charter does not declare brings the built-in one, with its
// texts in the site's languages, as the necessary category comes
// implicitly. Calling ApplyServices again adds
// nothing more.
func (ch *Charter) ApplyServices(cat ServiceCatalog) []Problem {
	return collect(ch, func(c *checker) { c.applyServices(cat) })
}

func (c *checker) applyServices(cat ServiceCatalog) {
	ch := c.ch
	patterns := make(map[string]*regexp.Regexp) // compiled once per call
	first := make(map[string]int)
	var defs []*ServiceDef // the def of each service, nil when unknown
	for i, s := range ch.Services {
		path := "services[" + strconv.Itoa(i) + "]"
		def := c.service(cat, path, s, patterns)
		if def != nil {
			if j, dup := first[s.ID]; dup {
				c.addTwice(path+".id", "services["+strconv.Itoa(j)+"].id", fmt.Sprintf("service %s is named twice (first ", s.ID), "): remove one")
				def = nil
			} else {
				first[s.ID] = i
			}
		}
		defs = append(defs, def)
	}
	declared := make(map[string]bool, len(ch.Cookies))
	for _, k := range ch.Cookies {
		declared[k.Name] = true
	}
	for i, def := range defs {
		if def == nil {
			continue
		}
		s := ch.Services[i]
		path := "services[" + strconv.Itoa(i) + "]"
		catID := def.Category
		if s.Exempt && def.Exemptable {
			catID = CategoryStatistics
		}
		category, ok := ch.Category(catID)
		if !ok {
			if category, ok = BuiltinCategory(catID); ok {
				category.Exempt = s.Exempt && def.Exemptable
				category.Name = ch.inLanguages(category.Name)
				category.Description = ch.inLanguages(category.Description)
				ch.Categories = append(ch.Categories, category)
			}
		}
		switch {
		case s.Exempt && def.Exemptable && !category.Exempt:
			c.add(path+".exempt", "service %s in its exempt configuration puts its cookies in category %s, which is not exempt from consent: add exempt: true to category %s, or remove exempt: true here", def.ID, catID, catID)
		case !(s.Exempt && def.Exemptable) && category.Exempt && len(def.Cookies) > 0:
			hint := "move the service's cookies out of it"
			if def.Exemptable {
				hint = "write exempt: true here if the service is configured as the CNIL exemption requires, or remove exempt: true from the category"
			}
			c.add(path+".id", "service %s needs consent, but category %s is exempt from consent: %s", def.ID, catID, hint)
		}
		for _, k := range def.Cookies {
			if declared[k.Name] {
				continue
			}
			declared[k.Name] = true
			ch.Cookies = append(ch.Cookies, ch.serviceCookie(def, k, catID))
		}
	}
}

// service checks one service entry and returns its def, or nil when the id
// is unknown.
func (c *checker) service(cat ServiceCatalog, path string, s SiteService, patterns map[string]*regexp.Regexp) *ServiceDef {
	if s.ID == "" {
		c.add(path+".id", "a service needs an id, such as id: %s", firstOr(cat.ServiceIDs(), "youtube"))
		return nil
	}
	def, ok := cat.Service(s.ID)
	if !ok {
		if sug := Suggest(s.ID, cat.ServiceIDs()); sug != "" {
			c.add(path+".id", "unknown service %q; did you mean %s?", s.ID, sug)
		} else {
			c.add(path+".id", "unknown service %q: charte services lists the services charte knows", s.ID)
		}
		return nil
	}
	names := make([]string, len(def.Params))
	for j, p := range def.Params {
		names[j] = p.Name
		v, given := s.Params[p.Name]
		switch {
		case !given && p.Required:
			c.add(path+"."+p.Name, "service %s needs its %s: write %s: %s", def.ID, p.Name, p.Name, p.Example)
		case given && !matchWhole(patterns, p.Pattern, v):
			what := "of the form " + def.Name + " expects"
			if p.Description != "" {
				what = p.Description
			}
			c.add(path+"."+p.Name, "%s %s is not %s: write %s: %s", p.Name, quoteIfBlank(v), what, p.Name, p.Example)
		}
	}
	var unknown []string
	for k := range s.Params {
		if !slices.Contains(names, k) {
			unknown = append(unknown, k)
		}
	}
	slices.Sort(unknown) // maps have no order: the problems come in one
	for _, k := range unknown {
		switch sug := Suggest(k, names); {
		case sug != "":
			c.add(path+"."+k, "service %s has no parameter %q; did you mean %s?", def.ID, k, sug)
		case len(names) == 0:
			c.add(path+"."+k, "service %s takes no parameter, not %q: remove it", def.ID, k)
		default:
			c.add(path+"."+k, "service %s has no parameter %q: it takes %s", def.ID, k, orList(names))
		}
	}
	if s.Exempt && !def.Exemptable {
		c.add(path+".exempt", "service %s has no configuration exempt from consent: remove exempt: true", def.ID)
	}
	return def
}

// serviceCookie returns the declaration of a cookie of def, in category
// catID, with texts in the site's languages.
func (ch *Charter) serviceCookie(def *ServiceDef, k Cookie, catID string) Cookie {
	k.Category = catID
	k.FromService = def.ID
	if k.Provider == "" {
		k.Provider = def.Provider
	}
	if k.Party == "" {
		k.Party = PartyThird
	}
	purpose := k.Purpose
	if len(purpose) == 0 {
		purpose = def.Purpose
	}
	langs := ch.Site.Languages
	if len(langs) == 0 {
		langs = []string{ch.Site.DefaultLanguage()}
	}
	k.Service = make(Text, len(langs))
	k.Purpose = make(Text, len(langs))
	for _, l := range langs {
		k.Service[l] = def.Name
		k.Purpose[l] = purpose.In(l, "en")
	}
	return k
}

// inLanguages returns the texts of t in the site's languages, or t when the
// site declares none.
func (ch *Charter) inLanguages(t Text) Text {
	if len(ch.Site.Languages) == 0 {
		return t
	}
	out := make(Text, len(ch.Site.Languages))
	for _, l := range ch.Site.Languages {
		if s, ok := t[l]; ok {
			out[l] = s
		}
	}
	return out
}

// matchWhole reports whether the whole of v matches pattern, compiled once
// into patterns; a pattern that does not compile matches nothing (the
// catalogue's tests keep them valid).
func matchWhole(patterns map[string]*regexp.Regexp, pattern, v string) bool {
	re, ok := patterns[pattern]
	if !ok {
		re, _ = regexp.Compile(`^(?:` + pattern + `)$`) // nil when it does not compile
		patterns[pattern] = re
	}
	return re != nil && re.MatchString(v)
}

func quoteIfBlank(v string) string {
	if v == "" || strings.TrimSpace(v) != v || strings.ContainsAny(v, " \t\n:#") {
		return strconv.Quote(v)
	}
	return v
}

func firstOr(words []string, or string) string {
	if len(words) > 0 {
		return words[0]
	}
	return or
}
