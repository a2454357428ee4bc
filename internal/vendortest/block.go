package vendortest

import (
	"net/url"
	"regexp"
	"strings"
)

var (
	scriptTag = regexp.MustCompile(`(?s)<script\b([^>]*)>(.*?)</script>`)
	frameSrc  = regexp.MustCompile(`<iframe\b([^>]*?)\ssrc="([^"]+)"`)
	typeAttr  = regexp.MustCompile(`\stype="[^"]*"`)
)

// markers tell which service a snippet's script belongs to, by what it
// contains; the first that matches wins.
var markers = []struct{ text, service string }{
	{"gtm.js", "google-tag-manager"},
	{"googletagmanager.com/gtag/js", "google-analytics-4"},
	{"gtag(", "google-analytics-4"},
	{"_paq", "matomo"},
	{"fbq", "meta-pixel"},
	{"hotjar", "hotjar"},
	{"linkedin", "linkedin-insight"},
	{"licdn.com", "linkedin-insight"},
	{"player.vimeo.com", "vimeo"},
}

// Block returns the fixture page blocked by hand, as a site owner blocks
// it for charte's banner without automatic blocking: each vendor's script
// becomes <script type="text/plain" data-category="…"
// data-charte-service="…">, each vendor's iframe <iframe data-category="…"
// data-charte-service="…" data-src="…">, with the category that category
// gives for the service's id. It is also the form automatic blocking
// writes (issue 12's blocked forms).
func Block(page string, category map[string]string) string {
	page = scriptTag.ReplaceAllStringFunc(page, func(tag string) string {
		m := scriptTag.FindStringSubmatch(tag)
		service := ""
		for _, mk := range markers {
			if strings.Contains(m[1]+m[2], mk.text) {
				service = mk.service
				break
			}
		}
		if service == "" {
			return tag
		}
		attrs := typeAttr.ReplaceAllString(m[1], "")
		return `<script type="text/plain" data-category="` + category[service] + `" data-charte-service="` + service + `"` + attrs + ">" + m[2] + "</script>"
	})
	return frameSrc.ReplaceAllStringFunc(page, func(tag string) string {
		m := frameSrc.FindStringSubmatch(tag)
		u, err := url.Parse(m[2])
		if err != nil {
			return tag
		}
		service := ServiceOf(u.Host, u.Path)
		if service == "" {
			return tag
		}
		return `<iframe` + m[1] + ` data-category="` + category[service] + `" data-charte-service="` + service + `" data-src="` + m[2] + `"`
	})
}

// HandCategories returns the categories a site owner gives the fixture's
// services when blocking them by hand ([Block]): the audience measurers
// in statistics, the advertisers and the embeds in marketing.
func HandCategories() map[string]string {
	return map[string]string{
		"google-analytics-4": "statistics", "google-tag-manager": "statistics", "matomo": "statistics", "hotjar": "statistics",
		"meta-pixel": "marketing", "linkedin-insight": "marketing", "youtube": "marketing", "vimeo": "marketing", "google-maps": "marketing",
	}
}

// HandServices returns the fixture's services with [HandCategories], as
// [Flow] takes them for a page blocked by hand (no name: any placeholder
// will do).
func HandServices() []BannerService {
	cats := HandCategories()
	var svcs []BannerService
	for _, s := range Services() {
		svcs = append(svcs, BannerService{ID: s.ID, Category: cats[s.ID], Hosts: s.Hosts, Embed: s.Embed})
	}
	return svcs
}

// HandCharter returns the charter of the fixture site blocked by hand: it
// names no service, and has the categories of [HandCategories]
// (origin as for [Charter]).
func HandCharter(origin string) string {
	c := Charter(origin)
	c = c[:strings.Index(c, "services:")]
	return strings.Replace(c, "  - id: necessary\n", "  - id: necessary\n  - id: statistics\n  - id: marketing\n", 1)
}
