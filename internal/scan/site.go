package scan

import (
	"net"
	"net/url"
	"path"
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/charte/charte/internal/charte"
)

// siteOf returns the site of a host, as browsers draw the line between
// first and third parties: its registrable domain (eTLD+1, from the public
// suffix list), or the host itself for an IP address, localhost or a host
// that is a public suffix. Ports do not matter.
func siteOf(host string) string {
	host = strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(host, "."), "."))
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if net.ParseIP(host) != nil || !strings.Contains(host, ".") {
		return host
	}
	if s, err := publicsuffix.EffectiveTLDPlusOne(host); err == nil {
		return s
	}
	return host
}

// domainMatch reports whether host is domain or one of its subdomains; a
// leading dot on domain (as on cookie domains) is ignored.
func domainMatch(host, domain string) bool {
	host = strings.ToLower(host)
	domain = strings.ToLower(strings.TrimPrefix(domain, "."))
	return host == domain || strings.HasSuffix(host, "."+domain)
}

// partyOf returns whether a cookie set on domain is first-party for a site.
func partyOf(site, domain string) charte.Party {
	if siteOf(domain) == site {
		return charte.PartyFirst
	}
	return charte.PartyThird
}

// skippedExtensions are the file types the crawler never visits: they are
// not HTML pages, and a browser would download or display them.
var skippedExtensions = map[string]bool{
	".7z": true, ".avi": true, ".bmp": true, ".css": true, ".csv": true, ".doc": true, ".docx": true,
	".eot": true, ".epub": true, ".exe": true, ".gif": true, ".gz": true, ".ico": true, ".jpeg": true,
	".jpg": true, ".js": true, ".json": true, ".m4a": true, ".mjs": true, ".mov": true, ".mp3": true,
	".mp4": true, ".odp": true, ".ods": true, ".odt": true, ".ogg": true, ".otf": true, ".pdf": true,
	".png": true, ".ppt": true, ".pptx": true, ".rar": true, ".rss": true, ".svg": true, ".tar": true,
	".tgz": true, ".ttf": true, ".txt": true, ".wav": true, ".webm": true, ".webp": true, ".woff": true,
	".woff2": true, ".xls": true, ".xlsx": true, ".xml": true, ".zip": true,
}

// normalize returns the URL the crawler keeps for raw: absolute, http or
// https, without fragment, lowercase scheme and host, no default port, "/"
// for an empty path. ok is false for any other URL.
func normalize(raw string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return "", false
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", false
	}
	host, port := strings.ToLower(u.Hostname()), u.Port()
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port == "" || u.Scheme == "http" && port == "80" || u.Scheme == "https" && port == "443" {
		u.Host = host
	} else {
		u.Host = host + ":" + port
	}
	u.User = nil
	u.Fragment, u.RawFragment = "", ""
	if u.Path == "" {
		u.Path, u.RawPath = "/", ""
	}
	u.ForceQuery = false
	return u.String(), true
}

// crawlable reports whether the crawler follows a link to u (normalised):
// a page of the same site whose path does not name a file that is not HTML.
func crawlable(site, u string) bool {
	p, err := url.Parse(u)
	if err != nil || siteOf(p.Hostname()) != site {
		return false
	}
	return !skippedExtensions[strings.ToLower(path.Ext(p.Path))]
}

// isHTML reports whether a response's MIME type is an HTML page.
func isHTML(mime string) bool {
	mime, _, _ = strings.Cut(strings.ToLower(mime), ";")
	mime = strings.TrimSpace(mime)
	return mime == "text/html" || mime == "application/xhtml+xml"
}

// hostOf returns the host of a URL, without port, or "".
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}
