package vendortest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// Service is one service the fixture page uses, as the stub plays it.
type Service struct {
	// ID is the service's id in charte's catalogue: "google-analytics-4".
	ID string
	// Hosts are the vendor hosts the stub answers for it.
	Hosts []string
	// Cookies are the names of the cookies the stub sets for it, on the
	// page (first party, by document.cookie) or on the vendor's domain
	// (third party, by Set-Cookie); a name ending in * is a prefix.
	Cookies []string
	// Embed is true for a service whose content comes in an iframe.
	Embed bool
}

// Services returns the services of the fixture page, sorted by id.
func Services() []Service {
	return []Service{
		{ID: "google-analytics-4", Hosts: []string{"www.googletagmanager.com", "region1.google-analytics.com", "www.google-analytics.com"}, Cookies: []string{"_ga", "_ga_*"}},
		{ID: "google-maps", Hosts: []string{"www.google.com", "maps.googleapis.com"}, Cookies: []string{"NID"}, Embed: true},
		{ID: "google-tag-manager", Hosts: []string{"www.googletagmanager.com"}},
		{ID: "hotjar", Hosts: []string{"static.hotjar.com", "script.hotjar.com"}, Cookies: []string{"_hjSessionUser_*", "_hjSession_*"}},
		{ID: "linkedin-insight", Hosts: []string{"snap.licdn.com", "px.ads.linkedin.com"}, Cookies: []string{"li_sugr", "bcookie"}},
		{ID: "matomo", Hosts: []string{MatomoHost}, Cookies: []string{"_pk_id.*", "_pk_ses.*"}},
		{ID: "meta-pixel", Hosts: []string{"connect.facebook.net", "www.facebook.com"}, Cookies: []string{"_fbp", "fr"}},
		{ID: "vimeo", Hosts: []string{"player.vimeo.com"}, Cookies: []string{"vuid"}, Embed: true},
		{ID: "youtube", Hosts: []string{"www.youtube.com", "www.youtube-nocookie.com"}, Cookies: []string{"YSC", "VISITOR_INFO1_LIVE"}, Embed: true},
	}
}

// MatomoHost is the host of the fixture's Matomo (a self-hosted service:
// the charter names it with url: https://stats.example.org/).
const MatomoHost = "stats.example.org"

// IDs of the fixture's tags, as its page and the charters of the tests
// write them.
const (
	MeasurementID = "G-TEST12345"
	ContainerID   = "GTM-TEST123"
	MatomoSiteID  = "3"
	PixelID       = "1234567890"
	HotjarID      = "1234567"
	PartnerID     = "123456"
)

// Hosts returns every vendor host the stub answers for, sorted.
func Hosts() []string {
	var hosts []string
	for _, rt := range routes {
		hosts = append(hosts, rt.host)
	}
	slices.Sort(hosts)
	return slices.Compact(hosts)
}

// ServiceOf returns the fixture's service a vendor host and path belong
// to ("" for none).
func ServiceOf(host, path string) string {
	rt, _ := route(host, path)
	return rt.service
}

// A vendorRoute is what the stub answers on a host under a path prefix.
type vendorRoute struct {
	host, prefix, service string
	serve                 http.HandlerFunc
}

// route returns the route of host and path.
func route(host, path string) (vendorRoute, bool) {
	for _, rt := range routes {
		if rt.host == host && strings.HasPrefix(path, rt.prefix) {
			return rt, true
		}
	}
	for _, rt := range routes {
		if rt.host == host {
			return vendorRoute{host: host, service: rt.service}, false
		}
	}
	return vendorRoute{}, false
}

// ran is the statement by which each stub script tells the page it ran:
// window.vendortest lists the names of the scripts that ran, in order.
func ran(name string) string {
	return fmt.Sprintf("(window.vendortest = window.vendortest || []).push(%q);\n", name)
}

// routes are the stub's answers. The scripts are ours: they do only what
// a test observes of the vendors' (cookies, the requests they send next).
var routes = []vendorRoute{
	// Google tag: reads the dataLayer the snippet fills, honours Consent
	// Mode's analytics_storage (denied: a ping without cookies), sets _ga
	// and _ga_<id> on the page and sends a hit to two collection hosts.
	{"www.googletagmanager.com", "/gtag/js", "google-analytics-4", script(ran("gtag") + `(function () {
  var dl = window.dataLayer = window.dataLayer || [], ids = [], storage = 'granted', sent = {};
  function read(a) {
    if (a[0] === 'config') ids.push(a[1]);
    if (a[0] === 'consent' && a[2] && a[2].analytics_storage) storage = a[2].analytics_storage;
  }
  function hit() {
    ids.forEach(function (id) {
      var state = storage === 'granted' ? 'G111' : 'G100';
      if (sent[id + state]) return;
      sent[id + state] = true;
      if (storage === 'granted') {
        document.cookie = '_ga=GA1.1.1234567890.1700000000; path=/; max-age=34560000; SameSite=Lax';
        document.cookie = '_ga_' + id.replace(/^G-/, '') + '=GS1.1.1700000000.1.0.1700000000.0.0.0; path=/; max-age=34560000; SameSite=Lax';
      }
      navigator.sendBeacon('https://region1.google-analytics.com/g/collect?v=2&tid=' + id + '&gcs=' + state);
      new Image().src = 'https://www.google-analytics.com/g/collect?v=2&tid=' + id + '&gcs=' + state;
    });
  }
  for (var i = 0; i < dl.length; i++) read(dl[i]);
  var push = dl.push;
  dl.push = function (a) { var n = push.apply(dl, arguments); read(a); hit(); return n; };
  hit();
})();
`)},
	// Tag Manager: a container with no tag of its own; it tells the
	// dataLayer it loaded, as GTM does.
	{"www.googletagmanager.com", "/gtm.js", "google-tag-manager", script(ran("gtm") + `(window.dataLayer = window.dataLayer || []).push({event: 'gtm.load'});
`)},
	{"www.googletagmanager.com", "/ns.html", "google-tag-manager", page("Google Tag Manager", "")},
	{"region1.google-analytics.com", "/g/collect", "google-analytics-4", empty},
	{"www.google-analytics.com", "/g/collect", "google-analytics-4", empty},

	// Matomo: reads _paq, sets _pk_id and _pk_ses on the page and sends a
	// hit to matomo.php.
	{MatomoHost, "/matomo.js", "matomo", script(ran("matomo") + `(function () {
  var q = window._paq || [], site = '', tracker = '';
  q.forEach(function (c) { if (c[0] === 'setSiteId') site = String(c[1]); if (c[0] === 'setTrackerUrl') tracker = c[1]; });
  document.cookie = '_pk_id.' + site + '.1a2b=0123456789abcdef.1700000000.; path=/; max-age=34190000; SameSite=Lax';
  document.cookie = '_pk_ses.' + site + '.1a2b=1; path=/; max-age=1800; SameSite=Lax';
  new Image().src = new URL(tracker, location.href).href + '?idsite=' + site + '&rec=1';
})();
`)},
	{MatomoHost, "/matomo.php", "matomo", empty},

	// Meta Pixel: sets _fbp on the page and sends the queued events to
	// www.facebook.com/tr, which sets fr on .facebook.com.
	{"connect.facebook.net", "/", "meta-pixel", script(ran("fbevents") + `(function () {
  var f = window.fbq, pixel = '';
  document.cookie = '_fbp=fb.1.1700000000000.1234567890; path=/; max-age=7776000; SameSite=Lax';
  (f && f.queue || []).forEach(function (a) {
    if (a[0] === 'init') pixel = a[1];
    if (a[0] === 'track') new Image().src = 'https://www.facebook.com/tr?id=' + pixel + '&ev=' + a[1];
  });
})();
`)},
	{"www.facebook.com", "/tr", "meta-pixel", pixel("fr", ".facebook.com")},

	// Hotjar: sets _hjSessionUser_<id> on the page and loads its modules,
	// which set _hjSession_<id>.
	{"static.hotjar.com", "/c/", "hotjar", script(ran("hotjar") + `(function () {
  var id = window._hjSettings && window._hjSettings.hjid;
  document.cookie = '_hjSessionUser_' + id + '=eyJpZCI6IjEifQ==; path=/; max-age=31536000; SameSite=Lax';
  var s = document.createElement('script');
  s.src = 'https://script.hotjar.com/modules.js';
  document.head.appendChild(s);
})();
`)},
	{"script.hotjar.com", "/", "hotjar", script(ran("hotjar-modules") + `document.cookie = '_hjSession_' + window._hjSettings.hjid + '=eyJpZCI6IjEifQ==; path=/; max-age=1800; SameSite=Lax';
`)},

	// LinkedIn Insight: sends a pixel to px.ads.linkedin.com, which sets
	// li_sugr and bcookie on .linkedin.com.
	{"snap.licdn.com", "/", "linkedin-insight", script(ran("insight") + `(window._linkedin_data_partner_ids || []).forEach(function (pid) {
  new Image().src = 'https://px.ads.linkedin.com/collect/?pid=' + pid + '&fmt=gif';
});
`)},
	{"px.ads.linkedin.com", "/", "linkedin-insight", pixel("li_sugr", ".linkedin.com", "bcookie")},

	// The embeds: a page that sets the provider's cookies.
	{"www.youtube.com", "/", "youtube", page("YouTube", ".youtube.com", "YSC", "VISITOR_INFO1_LIVE")},
	{"www.youtube-nocookie.com", "/", "youtube", page("YouTube", "")},
	{"player.vimeo.com", "/api/player.js", "vimeo", script(ran("vimeo-player"))},
	{"player.vimeo.com", "/", "vimeo", page("Vimeo", "player.vimeo.com", "vuid")},
	{"www.google.com", "/maps/", "google-maps", page("Google Maps", ".google.com", "NID")},
	{"maps.googleapis.com", "/", "google-maps", script(ran("maps"))},
}

// script answers with a JavaScript program.
func script(js string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		fmt.Fprint(w, js)
	}
}

// empty answers 204, as a collection endpoint does.
func empty(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }

// thirdParty sets each named cookie on domain, as a vendor sets its
// cookies in a page of another site (SameSite=None; Secure).
func thirdParty(w http.ResponseWriter, domain string, names []string) {
	for _, name := range names {
		http.SetCookie(w, &http.Cookie{Name: name, Value: "vendortest", Domain: domain, Path: "/", MaxAge: 86400 * 30,
			Secure: true, SameSite: http.SameSiteNoneMode})
	}
}

// pixel answers with a 1×1 GIF that sets the named cookies on domain.
func pixel(name, domain string, more ...string) http.HandlerFunc {
	const gif = "GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
	return func(w http.ResponseWriter, _ *http.Request) {
		thirdParty(w, domain, append([]string{name}, more...))
		w.Header().Set("Content-Type", "image/gif")
		w.Header().Set("Cache-Control", "no-store")
		fmt.Fprint(w, gif)
	}
}

// page answers with the HTML page of an embed, setting the named cookies
// on domain; maps.googleapis.com's script comes with Google Maps' page.
func page(title, domain string, cookies ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		thirdParty(w, domain, cookies)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		extra := ""
		if title == "Google Maps" {
			extra = `<script src="https://maps.googleapis.com/maps/api/js/embed.js"></script>`
		}
		fmt.Fprintf(w, "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>%s</title>%s</head><body><p>%s (vendortest)</p></body></html>", title, extra, title)
	}
}
