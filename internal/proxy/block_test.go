package proxy

import (
	"bytes"
	stdcmp "cmp"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"github.com/charte/charte/internal/charte"
)

// testCatalog is a catalogue of a few services, with charte.ServiceCatalog's
// host rule: the exact host, else the longest "*.suffix" entry.
type testCatalog map[string]*charte.ServiceDef

func (c testCatalog) Service(id string) (*charte.ServiceDef, bool) { d, ok := c[id]; return d, ok }

func (c testCatalog) ServiceIDs() []string {
	ids := make([]string, 0, len(c))
	for id := range c {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

func (c testCatalog) ServiceByHost(host string) (*charte.ServiceDef, bool) {
	var best *charte.ServiceDef
	bestLen := 0
	for _, id := range c.ServiceIDs() {
		d := c[id]
		for _, h := range d.Hosts {
			if h == host {
				return d, true
			}
			if suffix, ok := strings.CutPrefix(h, "*."); ok && (host == suffix || strings.HasSuffix(host, "."+suffix)) && len(suffix) > bestLen {
				best, bestLen = d, len(suffix)
			}
		}
	}
	return best, best != nil
}

func (c testCatalog) ServiceByURL(host, _ string) (*charte.ServiceDef, bool) {
	return c.ServiceByHost(host)
}

var blockCatalog = testCatalog{
	"google-analytics-4": {
		ID: "google-analytics-4", Category: "statistics", Hosts: []string{"www.googletagmanager.com", "*.google-analytics.com"},
		Params: []charte.ServiceParam{{Name: "measurement_id", Pattern: "^G-[A-Z0-9]{4,12}$"}},
		Tag:    &charte.TagSpec{Loader: "gtag", Src: "https://www.googletagmanager.com/gtag/js?id={measurement_id}"},
	},
	"google-tag-manager": {
		ID: "google-tag-manager", Category: "statistics", Hosts: []string{"www.googletagmanager.com"},
		Params: []charte.ServiceParam{{Name: "container_id", Pattern: "^GTM-[A-Z0-9]{4,10}$"}},
		Tag:    &charte.TagSpec{Loader: "gtm", Src: "https://www.googletagmanager.com/gtm.js?id={container_id}"},
	},
	"google-ads": {
		ID: "google-ads", Category: "marketing", Hosts: []string{"www.googleadservices.com"},
		Params: []charte.ServiceParam{{Name: "conversion_id", Pattern: "^AW-[0-9]{6,12}$"}},
		Tag:    &charte.TagSpec{Loader: "gtag", Src: "https://www.googletagmanager.com/gtag/js?id={conversion_id}"},
	},
	"youtube":          {ID: "youtube", Category: "marketing", Hosts: []string{"www.youtube.com", "www.youtube-nocookie.com"}},
	"meta-pixel":       {ID: "meta-pixel", Category: "marketing", Hosts: []string{"connect.facebook.net", "www.facebook.com"}},
	"hotjar":           {ID: "hotjar", Category: "statistics", Hosts: []string{"*.hotjar.com"}},
	"linkedin-insight": {ID: "linkedin-insight", Category: "marketing", Hosts: []string{"snap.licdn.com", "px.ads.linkedin.com"}},
	"matomo":           {ID: "matomo", Category: "statistics", Hosts: []string{"*.matomo.cloud"}},
	"recaptcha":        {ID: "recaptcha", Category: "necessary", Hosts: []string{"www.google.com", "www.gstatic.com"}},
}

// The official snippets, as their vendors publish them (ids made up).
const (
	gtagSnippet = `<!-- Google tag (gtag.js) -->
<script async src="https://www.googletagmanager.com/gtag/js?id=G-ABC123"></script>
<script>
  window.dataLayer = window.dataLayer || [];
  function gtag(){dataLayer.push(arguments);}
  gtag('js', new Date());

  gtag('config', 'G-ABC123');
</script>`
	gtmSnippet = `<script>(function(w,d,s,l,i){w[l]=w[l]||[];w[l].push({'gtm.start':
new Date().getTime(),event:'gtm.js'});var f=d.getElementsByTagName(s)[0],
j=d.createElement(s),dl=l!='dataLayer'?'&l='+l:'';j.async=true;j.src=
'https://www.googletagmanager.com/gtm.js?id='+i+dl;f.parentNode.insertBefore(j,f);
})(window,document,'script','dataLayer','GTM-XXXX');</script>`
	matomoSnippet = `<script>
  var _paq = window._paq = window._paq || [];
  _paq.push(['trackPageView']);
  _paq.push(['enableLinkTracking']);
  (function() {
    var u="//stats.example.org/";
    _paq.push(['setTrackerUrl', u+'matomo.php']);
    _paq.push(['setSiteId', '3']);
    var d=document, g=d.createElement('script'), s=d.getElementsByTagName('script')[0];
    g.async=true; g.src=u+'matomo.js'; s.parentNode.insertBefore(g,s);
  })();
</script>`
	fbqSnippet = `<script>
!function(f,b,e,v,n,t,s)
{if(f.fbq)return;n=f.fbq=function(){n.callMethod?
n.callMethod.apply(n,arguments):n.queue.push(arguments)};
if(!f._fbq)f._fbq=n;n.push=n;n.loaded=!0;n.version='2.0';
n.queue=[];t=b.createElement(e);t.async=!0;
t.src=v;s=b.getElementsByTagName(e)[0];
s.parentNode.insertBefore(t,s)}(window, document,'script',
'https://connect.facebook.net/en_US/fbevents.js');
fbq('init', '123456789');
fbq('track', 'PageView');
</script>
<noscript><img height="1" width="1" style="display:none"
src="https://www.facebook.com/tr?id=123456789&ev=PageView&noscript=1"
/></noscript>`
	hotjarSnippet = `<script>
    (function(h,o,t,j,a,r){
        h.hj=h.hj||function(){(h.hj.q=h.hj.q||[]).push(arguments)};
        h._hjSettings={hjid:1234567,hjsv:6};
        a=o.getElementsByTagName('head')[0];
        r=o.createElement('script');r.async=1;
        r.src=t+h._hjSettings.hjid+j+h._hjSettings.hjsv;
        a.appendChild(r);
    })(window,document,'https://static.hotjar.com/c/hotjar-','.js?sv=');
</script>`
	linkedinSnippet = `<script type="text/javascript">
_linkedin_partner_id = "123456";
window._linkedin_data_partner_ids = window._linkedin_data_partner_ids || [];
window._linkedin_data_partner_ids.push(_linkedin_partner_id);
</script><script type="text/javascript">
(function(l) {
if (!l){window.lintrk = function(a,b){window.lintrk.q.push([a,b])};
window.lintrk.q=[]}
var s = document.getElementsByTagName("script")[0];
var b = document.createElement("script");
b.type = "text/javascript";b.async = true;
b.src = "https://snap.licdn.com/li.lms-analytics/insight.min.js";
s.parentNode.insertBefore(b, s);})(window.lintrk);
</script>`
)

// blockTests are pages and how they come out of a blocker whose charter
// names google-analytics-4 under statistics and youtube under marketing.
var blockTests = []struct {
	name, in, want string
	blocked        []string // services blocked, in order
}{
	{name: "no service", in: `<!doctype html><head><script src="/app.js"></script><script>var x = "a.b.c";</script></head><body><iframe src="/frame"></iframe><img src="logo.png">`},
	{name: "empty", in: ``},
	{
		name:    "GA4 snippet: the loader and its inline script",
		in:      gtagSnippet,
		want:    strings.Replace(gtagSnippet, `<script async src=`, `<script type="text/plain" data-category="statistics" data-charte-service="google-analytics-4" async src=`, 1),
		blocked: []string{"google-analytics-4"},
	},
	{
		name:    "GTM snippet, inline",
		in:      gtmSnippet,
		want:    strings.Replace(gtmSnippet, `<script>`, `<script type="text/plain" data-category="statistics" data-charte-service="google-tag-manager">`, 1),
		blocked: []string{"google-tag-manager"},
	},
	{
		name:    "Matomo snippet, self-hosted: by its loader's name",
		in:      matomoSnippet,
		want:    strings.Replace(matomoSnippet, `<script>`, `<script type="text/plain" data-category="analytics" data-charte-service="matomo">`, 1),
		blocked: []string{"matomo"},
	},
	{
		name:    "Meta Pixel snippet: the inline loader; the noscript pixel does not load where scripts run",
		in:      fbqSnippet,
		want:    strings.Replace(fbqSnippet, `<script>`, `<script type="text/plain" data-category="marketing" data-charte-service="meta-pixel">`, 1),
		blocked: []string{"meta-pixel"},
	},
	{
		name:    "Hotjar snippet",
		in:      hotjarSnippet,
		want:    strings.Replace(hotjarSnippet, `<script>`, `<script type="text/plain" data-category="statistics" data-charte-service="hotjar">`, 1),
		blocked: []string{"hotjar"},
	},
	{
		name:    "LinkedIn snippet: the loader, not the partner id",
		in:      linkedinSnippet,
		want:    strings.Replace(linkedinSnippet, `</script><script type="text/javascript">`, `</script><script type="text/plain" data-category="marketing" data-charte-service="linkedin-insight">`, 1),
		blocked: []string{"linkedin-insight"},
	},
	{
		name:    "YouTube iframe",
		in:      `<p>Watch:</p><iframe width="560" height="315" src="https://www.youtube-nocookie.com/embed/abc?si=x&amp;t=1" title="YouTube video player" allowfullscreen></iframe><p>end</p>`,
		want:    `<p>Watch:</p><iframe data-category="marketing" data-charte-service="youtube" data-src="https://www.youtube-nocookie.com/embed/abc?si=x&amp;t=1" width="560" height="315" title="YouTube video player" allowfullscreen></iframe><p>end</p>`,
		blocked: []string{"youtube"},
	},
	{
		name:    "a pixel outside noscript, self-closed, its src unquoted",
		in:      `<img height=1 width=1 src=https://www.facebook.com/tr?id=1&ev=PageView />x`,
		want:    `<img data-category="marketing" data-charte-service="meta-pixel" data-src="https://www.facebook.com/tr?id=1&ev=PageView" height=1 width=1 />x`,
		blocked: []string{"meta-pixel"},
	},
	{
		name:    "a src in single quotes holding a double quote",
		in:      `<iframe src='https://www.youtube.com/embed/a"b'></iframe>`,
		want:    `<iframe data-category="marketing" data-charte-service="youtube" data-src="https://www.youtube.com/embed/a&quot;b"></iframe>`,
		blocked: []string{"youtube"},
	},
	{
		name:    "a script's JavaScript type is replaced, upper case and all",
		in:      `<SCRIPT TYPE="text/javascript" SRC="//WWW.GoogleTagManager.com/gtag/js?id=G-1" defer></SCRIPT>`,
		want:    `<script type="text/plain" data-category="statistics" data-charte-service="google-analytics-4" SRC="//WWW.GoogleTagManager.com/gtag/js?id=G-1" defer></SCRIPT>`,
		blocked: []string{"google-analytics-4"},
	},
	{
		name:    "a module script",
		in:      `<script type=module src=https://static.hotjar.com/x.js></script>`,
		want:    `<script type="text/plain" data-category="statistics" data-charte-service="hotjar" src=https://static.hotjar.com/x.js></script>`,
		blocked: []string{"hotjar"},
	},
	{
		name:    "Google Ads' gtag.js, on GA4's host, told apart by its id",
		in:      `<script async src="https://www.googletagmanager.com/gtag/js?id=AW-123456789"></script>`,
		want:    `<script type="text/plain" data-category="marketing" data-charte-service="google-ads" async src="https://www.googletagmanager.com/gtag/js?id=AW-123456789"></script>`,
		blocked: []string{"google-ads"},
	},
	{
		name:    "Tag Manager's noscript frame, by its host",
		in:      `<iframe src="https://www.googletagmanager.com/ns.html?id=GTM-XXXX" height="0" width="0"></iframe>`,
		want:    `<iframe data-category="statistics" data-charte-service="google-analytics-4" data-src="https://www.googletagmanager.com/ns.html?id=GTM-XXXX" height="0" width="0"></iframe>`,
		blocked: []string{"google-analytics-4"},
	},
	{
		name:    "an = after the src stays the start of an attribute",
		in:      `<img alt src=https://www.facebook.com/tr =x>`,
		want:    `<img data-category="marketing" data-charte-service="meta-pixel" data-src="https://www.facebook.com/tr" alt / =x>`,
		blocked: []string{"meta-pixel"},
	},
	{name: "a necessary service is not blocked", in: `<script src="https://www.google.com/recaptcha/api.js" async defer></script>`},
	{name: "already blocked", in: `<script type="text/plain" data-category="statistics" src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>`},
	{name: "JSON-LD naming a host", in: `<script type="application/ld+json">{"url":"https://www.youtube.com/watch?v=1"}</script>`},
	{name: "a template", in: `<script type="text/x-template"><iframe src="https://www.youtube.com/embed/1"></iframe></script>`},
	{name: "a language that is no JavaScript", in: `<script language="vbscript">x = "www.googletagmanager.com"</script>`},
	{name: "in a comment", in: `<!-- <script src="https://www.googletagmanager.com/gtag/js"></script> -->`},
	{name: "in an attribute", in: `<a title='<iframe src="https://www.youtube.com/embed/1">'>x</a>`},
	{name: "in a textarea", in: `<textarea><iframe src="https://www.youtube.com/embed/1"></textarea>`},
	{name: "in a script's text", in: `<script>document.write('<iframe src="/x"><\/iframe>')</script>`},
	{name: "a host-like name of no service", in: `<script>location.href = "https://www.googletagmanager.com.evil.example/"</script><script src="https://cdn.example.org/x.js"></script>`},
	{name: "a property access is no host", in: `<script>var n = cfg.static.hotjar.com;</script>`},
	{
		name:    "a host in an escaped URL",
		in:      `<script>load("https:\/\/static.hotjar.com\/c\/x.js")</script>`,
		want:    `<script type="text/plain" data-category="statistics" data-charte-service="hotjar">load("https:\/\/static.hotjar.com\/c\/x.js")</script>`,
		blocked: []string{"hotjar"},
	},
	{name: "a relative URL", in: `<script src="/www.googletagmanager.com/gtag.js"></script><iframe src="www.youtube.com/embed/1"></iframe>`},
	{name: "another scheme", in: `<iframe src="javascript://www.youtube.com/%0aalert(1)"></iframe>`},
	{name: "a src-less iframe", in: `<iframe title="www.youtube.com"></iframe><img alt=x>`},
	{name: "a scripts tag is no script", in: `<scripts src="https://www.googletagmanager.com/x.js">`},
	{name: "a tag cut by the end of the page is none", in: `<p>x<script src="https://www.googletagmanager.com/gtag/js`},
	{
		name:    "an inline script with no end tag runs to the end of the page",
		in:      `<script>(function(){var s=document.createElement('script');s.src='https://static.hotjar.com/c/x.js'})()`,
		want:    `<script type="text/plain" data-category="statistics" data-charte-service="hotjar">(function(){var s=document.createElement('script');s.src='https://static.hotjar.com/c/x.js'})()`,
		blocked: []string{"hotjar"},
	},
	{
		name:    "the first src counts; the others go with it",
		in:      `<iframe src="https://www.youtube.com/embed/1" src="/safe"></iframe><iframe src="/safe" src="https://www.youtube.com/embed/1"></iframe>`,
		want:    `<iframe data-category="marketing" data-charte-service="youtube" data-src="https://www.youtube.com/embed/1"></iframe><iframe src="/safe" src="https://www.youtube.com/embed/1"></iframe>`,
		blocked: []string{"youtube"},
	},
	{
		name:    "a > in a quoted attribute, a line break in the URL",
		in:      "<script data-x=\"a>b\" src=\" https://www.google\nanalytics.com/ \"></script><script data-y='>' src=\"https://region1.google-analytics.com/g/collect\"></script>",
		want:    "<script data-x=\"a>b\" src=\" https://www.google\nanalytics.com/ \"></script><script type=\"text/plain\" data-category=\"statistics\" data-charte-service=\"google-analytics-4\" data-y='>' src=\"https://region1.google-analytics.com/g/collect\"></script>",
		blocked: []string{"google-analytics-4"},
	},
	{
		name:    "an unnamed service goes under its catalogue category",
		in:      `<html><head><script src="https://connect.facebook.net/en_US/fbevents.js"></script></head>`,
		want:    `<html><head><script type="text/plain" data-category="marketing" data-charte-service="meta-pixel" src="https://connect.facebook.net/en_US/fbevents.js"></script></head>`,
		blocked: []string{"meta-pixel"},
	},
	{
		name:    "a charter's category for a named service",
		in:      `<script src="https://cdn.matomo.cloud/x/matomo.js"></script>`,
		want:    `<script type="text/plain" data-category="analytics" data-charte-service="matomo" src="https://cdn.matomo.cloud/x/matomo.js"></script>`,
		blocked: []string{"matomo"},
	},
}

// testDeclared are the test charter's services: GA4 and YouTube under their
// catalogue categories, Matomo under a category of the charter's.
var testDeclared = map[string]string{"google-analytics-4": "statistics", "youtube": "marketing", "matomo": "analytics"}

// blockInChunks runs a blocker on page read in chunks of size bytes
// (0: in one read), with a look-ahead of max, and returns the page it
// sends, the services it blocked and how many tags went unchecked.
func blockInChunks(tb testing.TB, page []byte, size, max int) (out []byte, blocked []string, unchecked int) {
	tb.Helper()
	return blockInChunksWith(tb, blockCatalog, page, size, max)
}

// blockInChunksWith is blockInChunks with the catalogue cat.
func blockInChunksWith(tb testing.TB, cat charte.ServiceCatalog, page []byte, size, max int) (out []byte, blocked []string, unchecked int) {
	tb.Helper()
	var src io.Reader = bytes.NewReader(page)
	if size > 0 {
		src = &chunkReader{b: page, sizes: []byte{byte(size)}}
	}
	rules := &blockRules{catalog: cat, loaders: tagLoaders(cat), declared: testDeclared, blocked: func(def *charte.ServiceDef, _ bool) { blocked = append(blocked, def.ID) }}
	b := newBlocker(src, io.NopCloser(nil), rules, max, &holding{budget: newBudget(1 << 20)}, func() { unchecked++ })
	out, err := io.ReadAll(b)
	if err != nil {
		tb.Fatalf("read the blocked page: %v", err)
	}
	if err := b.Close(); err != nil {
		tb.Fatal(err)
	}
	return out, blocked, unchecked
}

// chunkSizes are the reads pages arrive in, in the tests: a byte at a
// time and up, and whole (0).
var chunkSizes = []int{1, 2, 3, 5, 7, 0}

func TestBlock(t *testing.T) {
	for _, tc := range blockTests {
		t.Run(tc.name, func(t *testing.T) {
			want := stdcmp.Or(tc.want, tc.in)
			for _, size := range chunkSizes {
				out, blocked, _ := blockInChunks(t, []byte(tc.in), size, DefaultMaxInject)
				if diff := cmp.Diff(want, string(out)); diff != "" {
					t.Errorf("block(%q in chunks of %d) (-want +got):\n%s", tc.in, size, diff)
				}
				if diff := cmp.Diff(tc.blocked, blocked); diff != "" {
					t.Errorf("block(%q in chunks of %d): services blocked (-want +got):\n%s", tc.in, size, diff)
				}
			}
			if msg := sameOutsideBlocked([]byte(tc.in), []byte(want)); msg != "" {
				t.Errorf("x/net/html's tokenizer on %q: %s", tc.in, msg)
			}
		})
	}
}

// TestBlockTooLong checks that a tag or an inline script longer than the
// look-ahead goes out unchanged, counted, and that what follows is still
// blocked; the blocker holds no more than the look-ahead meanwhile.
func TestBlockTooLong(t *testing.T) {
	const max = 64
	long := strings.Repeat("x", 2*max)
	tests := []struct {
		name, in, want string
		unchecked      int
	}{
		{
			name:      "a long tag",
			in:        `<iframe title="` + long + `" src="https://www.youtube.com/embed/1"></iframe><iframe src="https://www.youtube.com/embed/2"></iframe>`,
			want:      `<iframe title="` + long + `" src="https://www.youtube.com/embed/1"></iframe><iframe data-category="marketing" data-charte-service="youtube" data-src="https://www.youtube.com/embed/2"></iframe>`,
			unchecked: 1,
		},
		{
			name:      "a long inline script",
			in:        `<script>/*` + long + `*/ "static.hotjar.com"</script><script>"static.hotjar.com"</script>`,
			want:      `<script>/*` + long + `*/ "static.hotjar.com"</script><script type="text/plain" data-category="statistics" data-charte-service="hotjar">"static.hotjar.com"</script>`,
			unchecked: 1,
		},
		{
			name: "long text, comments and styles are not held",
			in:   long + `<!--` + long + `--><style>` + long + `</style><p title="` + long + `">`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := stdcmp.Or(tc.want, tc.in)
			for _, size := range chunkSizes {
				out, _, unchecked := blockInChunks(t, []byte(tc.in), size, max)
				if diff := cmp.Diff(want, string(out)); diff != "" {
					t.Errorf("block(%q in chunks of %d) (-want +got):\n%s", tc.in, size, diff)
				}
				if unchecked != tc.unchecked {
					t.Errorf("block(%q in chunks of %d): %d unchecked, want %d", tc.in, size, unchecked, tc.unchecked)
				}
			}
		})
	}
}

// sameOutsideBlocked checks out against in with x/net/html's tokenizer:
// the same tokens, byte for byte, but start tags of script, iframe and img
// in their blocked forms, whose attributes are in's as a browser keeps
// them (the first of each name), with type or src changed as the blocked
// forms say. It returns what differs, or "".
func sameOutsideBlocked(in, out []byte) string {
	zi, zo := html.NewTokenizer(bytes.NewReader(in)), html.NewTokenizer(bytes.NewReader(out))
	for {
		ti, to := zi.Next(), zo.Next()
		if ti != to {
			return "token " + ti.String() + " became " + to.String()
		}
		if ti == html.ErrorToken {
			return ""
		}
		ri, ro := string(zi.Raw()), string(zo.Raw())
		if ri == ro {
			continue
		}
		a, b := zi.Token(), zo.Token()
		if ti != html.StartTagToken && ti != html.SelfClosingTagToken || a.Data != b.Data {
			return "token " + ri + " became " + ro
		}
		want := firstAttrs(a.Attr)
		got := firstAttrs(b.Attr)
		svc, cat := got["data-charte-service"], got["data-category"]
		if svc == "" || cat == "" {
			return ro + " has no data-charte-service or data-category"
		}
		want["data-charte-service"], want["data-category"] = svc, cat
		switch a.Data {
		case "script":
			want["type"] = "text/plain"
		case "iframe", "img":
			want["data-src"] = want["src"]
			delete(want, "src")
		default:
			return "token " + ri + " became " + ro
		}
		if diff := cmp.Diff(want, got); diff != "" {
			return ri + " became " + ro + ": attributes (-want +got):\n" + diff
		}
	}
}

// firstAttrs returns attributes by name, the first of each.
func firstAttrs(attrs []html.Attribute) map[string]string {
	m := map[string]string{}
	for _, a := range attrs {
		if _, ok := m[a.Key]; !ok {
			m[a.Key] = a.Val
		}
	}
	return m
}

// FuzzBlock checks that the blocker never loses, adds or changes a byte of
// a page outside the tags it writes in their blocked forms, whatever the
// page and however it arrives: the same answer in any chunks as in one,
// and, to x/net/html's tokenizer, the page's tokens with only blocked
// start tags changed as the blocked forms say.
func FuzzBlock(f *testing.F) {
	for _, tc := range blockTests {
		f.Add([]byte(tc.in), uint8(3), uint16(0))
	}
	f.Add([]byte(`<script>"static.hotjar.com"</script>`), uint8(1), uint16(8))
	f.Add([]byte(`<iframe title="xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" src="https://www.youtube.com/embed/1">`), uint8(2), uint16(20))
	f.Fuzz(func(t *testing.T, page []byte, size uint8, window uint16) {
		max := 16 + int(window)%1024
		whole, blocked, _ := blockInChunks(t, page, 0, max)
		if got, _, _ := blockInChunks(t, page, int(size)%16+1, max); !bytes.Equal(got, whole) {
			t.Fatalf("block(%q in chunks of %d) = %q, in one read %q", page, size%16+1, got, whole)
		}
		if len(blocked) == 0 && !bytes.Equal(whole, page) {
			t.Fatalf("block(%q) = %q, blocking nothing", page, whole)
		}
		if scriptEscape(page) {
			return // <!-- in a script: the tokenizer's escapes, which the finder leaves out
		}
		if msg := sameOutsideBlocked(page, whole); msg != "" {
			t.Fatalf("block(%q) = %q: %s", page, whole, msg)
		}
	})
}

// TestProxyBlocks checks blocking through the proxy: the page comes out
// with the banner and its services blocked, in every coding the proxy
// injects through, whole or streamed past the look-ahead, with an exact
// Content-Length when the whole page was read; each element is counted by
// service, and a service the charter does not name is logged once.
func TestProxyBlocks(t *testing.T) {
	head := `<!doctype html><html><head><title>Shop</title>` + gtagSnippet + `</head><body>`
	tail := `<iframe src="https://www.youtube.com/embed/x"></iframe><img src="https://www.facebook.com/tr?id=1&amp;ev=PageView" alt=""><script>app()</script></body></html>`
	blockedHead := `<!doctype html><html><head><title>Shop</title>` + strings.Replace(gtagSnippet, `<script async src=`, `<script type="text/plain" data-category="statistics" data-charte-service="google-analytics-4" async src=`, 1) + testTag + `</head><body>`
	blockedTail := `<iframe data-category="marketing" data-charte-service="youtube" data-src="https://www.youtube.com/embed/x"></iframe><img data-category="marketing" data-charte-service="meta-pixel" data-src="https://www.facebook.com/tr?id=1&amp;ev=PageView" alt=""><script>app()</script></body></html>`
	filler := "<p>" + strings.Repeat("A paragraph of the page. ", 4000) + "</p>" // 100 KB: past the look-ahead
	loader := func(n int) string {
		return "<script>/* " + strings.Repeat("x", n) + " */ load('https://static.hotjar.com/c/x.js')</script>"
	}
	bigLoader, tooBigLoader := loader(50<<10), loader(70<<10)
	blockedBigLoader := strings.Replace(bigLoader, "<script>", `<script type="text/plain" data-category="statistics" data-charte-service="hotjar">`, 1)
	tests := []struct {
		name, enc, body, want string
		length                bool // an exact Content-Length
	}{
		{name: "whole page", body: head + tail, want: blockedHead + blockedTail, length: true},
		{name: "streamed past the look-ahead", body: head + filler + tail, want: blockedHead + filler + blockedTail},
		{name: "gzip", enc: "gzip", body: head + filler + tail, want: blockedHead + filler + blockedTail},
		{name: "brotli", enc: "br", body: head + tail, want: blockedHead + blockedTail},
		{name: "a 50 KB inline loader past the buffer", body: head + filler + bigLoader + tail, want: blockedHead + filler + blockedBigLoader + blockedTail},
		{name: "a 70 KB inline loader past the look-ahead", body: head + filler + tooBigLoader + tail, want: blockedHead + filler + tooBigLoader + blockedTail},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			upstream := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				body := []byte(tc.body)
				switch tc.enc {
				case "gzip":
					body = gzipped(t, tc.body)
				case "br":
					body = brotlied(t, tc.body)
				}
				if tc.enc != "" {
					w.Header().Set("Content-Encoding", tc.enc)
				}
				w.Header().Set("Content-Length", strconv.Itoa(len(body)))
				w.Write(body)
			})
			var logs bytes.Buffer
			tp := MustStartProxy(t, upstream, func(o *Options) {
				o.Catalog = blockCatalog
				o.Services = func() map[string]string {
					return map[string]string{"google-analytics-4": "statistics", "youtube": "marketing"}
				}
				o.Logger = slog.New(slog.NewTextHandler(&syncWriter{w: &logs}, nil))
			})
			for range 2 {
				req := httptest.NewRequest(http.MethodGet, tp.URL+"/page", nil)
				req.RequestURI = ""
				if tc.enc != "" {
					req.Header.Set("Accept-Encoding", tc.enc)
				}
				resp, body := do(t, req)
				if diff := cmp.Diff(tc.want, decode(t, tc.enc, body)); diff != "" {
					t.Fatalf("GET /page (-want +got):\n%s", diff)
				}
				if cl := resp.Header.Get("Content-Length"); tc.length && cl != strconv.Itoa(len(body)) || !tc.length && cl != "" {
					t.Errorf("GET /page: Content-Length %q for a body of %d bytes (exact: %v)", cl, len(body), tc.length)
				}
			}
			want := map[string]uint64{"google-analytics-4": 2, "youtube": 2, "meta-pixel": 2}
			if tc.want == blockedHead+filler+blockedBigLoader+blockedTail {
				want["hotjar"] = 2
			}
			unnamed := []string{"meta-pixel"}
			if want["hotjar"] > 0 {
				unnamed = append(unnamed, "hotjar")
			}
			var unchecked uint64
			if strings.Contains(tc.body, tooBigLoader) {
				unchecked = 2
			}
			if got := tp.Stats().BlockUnchecked; got != unchecked {
				t.Errorf("Stats().BlockUnchecked = %d, want %d", got, unchecked)
			}
			// The proxy closes the body once the client has it all.
			for deadline := time.Now().Add(time.Second); tp.budget.left.Load() != tp.budget.total && time.Now().Before(deadline); {
				time.Sleep(5 * time.Millisecond)
			}
			if left := tp.budget.left.Load(); left != tp.budget.total {
				t.Errorf("the budget has %d bytes left of %d after the pages: not all given back", left, tp.budget.total)
			}
			if diff := cmp.Diff(want, tp.Stats().Blocked); diff != "" {
				t.Errorf("Stats().Blocked (-want +got):\n%s", diff)
			}
			for _, id := range unnamed {
				if n := strings.Count(logs.String(), "service="+id+" category="); n != 1 {
					t.Errorf("the log says %d times that %s, which the charter does not name, was blocked; want once:\n%s", n, id, logs.String())
				}
			}
			if n := strings.Count(logs.String(), "charter does not name"); n != len(unnamed) || !strings.Contains(logs.String(), "path=/page") {
				t.Errorf("the log says %d times that a service the charter does not name was blocked, want %d, on /page:\n%s", n, len(unnamed), logs.String())
			}
		})
	}
}

// TestProxyBlocksNothing checks that a page with no service's host comes
// out of a proxy with a catalogue exactly as out of one without.
func TestProxyBlocksNothing(t *testing.T) {
	upstream := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("ETag", `"v1"`)
		io.WriteString(w, page)
	})
	get := func(catalog charte.ServiceCatalog) (http.Header, string) {
		tp := MustStartProxy(t, upstream, func(o *Options) { o.Catalog = catalog })
		req := httptest.NewRequest(http.MethodGet, tp.URL+"/", nil)
		req.RequestURI = ""
		resp, body := do(t, req)
		resp.Header.Del("Date")
		return resp.Header, string(body)
	}
	h0, b0 := get(nil)
	h1, b1 := get(blockCatalog)
	if diff := cmp.Diff(b0, b1); diff != "" {
		t.Errorf("page without services, with a catalogue (-without +with):\n%s", diff)
	}
	if diff := cmp.Diff(h0, h1); diff != "" {
		t.Errorf("headers of a page without services, with a catalogue (-without +with):\n%s", diff)
	}
}

// syncWriter serialises writes to w: the proxy logs from its handlers'
// goroutines.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// TestProxyBlocksWithOwnBanner checks a page that loads the banner itself:
// no second banner, its services blocked all the same, and, with nothing
// to block, the page as it came, headers and all.
func TestProxyBlocksWithOwnBanner(t *testing.T) {
	own := `<html><head><script src="/_charte/charte.js" defer></script>`
	tests := []struct{ name, body, want string }{
		{name: "a service", body: own + `<script src="https://www.googletagmanager.com/gtag/js?id=G-1"></script></head>`,
			want: own + `<script type="text/plain" data-category="statistics" data-charte-service="google-analytics-4" src="https://www.googletagmanager.com/gtag/js?id=G-1"></script></head>`},
		{name: "nothing to block", body: own + `</head><body>x`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			upstream := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				w.Header().Set("ETag", `"v1"`)
				io.WriteString(w, tc.body)
			})
			tp := MustStartProxy(t, upstream, func(o *Options) { o.Catalog = blockCatalog })
			req := httptest.NewRequest(http.MethodGet, tp.URL+"/", nil)
			req.RequestURI = ""
			resp, body := do(t, req)
			want := stdcmp.Or(tc.want, tc.body)
			if diff := cmp.Diff(want, string(body)); diff != "" {
				t.Errorf("GET / (-want +got):\n%s", diff)
			}
			wantETag := `"v1"`
			if tc.want != "" {
				wantETag = `W/"v1"`
			}
			if got := resp.Header.Get("ETag"); got != wantETag {
				t.Errorf("GET /: ETag %s, want %s", got, wantETag)
			}
			if cl := resp.Header.Get("Content-Length"); cl != strconv.Itoa(len(want)) {
				t.Errorf("GET /: Content-Length %s, want %d", cl, len(want))
			}
			if n := tp.Stats().Injected; n != 0 {
				t.Errorf("Stats().Injected = %d, want 0: the page had its banner", n)
			}
		})
	}
}
