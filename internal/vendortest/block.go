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
