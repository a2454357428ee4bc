package proxy

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/google/go-cmp/cmp"

	"github.com/charte/charte/consent"
	"github.com/charte/charte/internal/charterfile"
	"github.com/charte/charte/internal/web"
)

const (
	testPrefix = "/_charte"
	testBanner = "/_charte/charte.js"
	testTag    = `<script src="/_charte/charte.js" defer></script>`
)

// testCharter declares a necessary cookie and a statistics one (not
// exempt: refused until the visitor accepts).
func testCharter() *consent.Charter {
	return &consent.Charter{
		Site:       consent.Site{ID: "shop"},
		Version:    "v1v1v1v1v1v1",
		Categories: []consent.Category{{ID: "necessary"}, {ID: "statistics"}},
		Cookies: []consent.Cookie{
			{Name: "sid", Category: "necessary", Party: "first"},
			{Name: "_pk_id.*", Category: "statistics", Party: "first"},
		},
	}
}

// prefs returns a cookies_preferences cookie for the test charter granting
// categories.
func prefs(granted ...string) *http.Cookie {
	now := time.Now()
	d := consent.Decision{ID: "q3Zb0vXk2T9mLp4sWc8yAa", Version: "v1v1v1v1v1v1", Granted: granted, Method: "custom", Created: now.Add(-time.Hour), Expires: now.Add(time.Hour)}
	return &http.Cookie{Name: consent.CookieName, Value: d.Encode()}
}

// testProxy is a proxy in front of an upstream, both on real loopback
// servers.
type testProxy struct {
	*Proxy
	URL        string
	upstream   *httptest.Server
	undeclared atomic.Int64
}

// MustStartProxy starts upstream and a proxy in front of it, with charte's
// web server (the built-in charter) under /_charte; edit adjusts the
// proxy's options.
func MustStartProxy(tb testing.TB, upstream http.Handler, edit func(*Options)) *testProxy {
	tb.Helper()
	tp := &testProxy{upstream: httptest.NewServer(upstream)}
	tb.Cleanup(tp.upstream.Close)
	enf, err := consent.New(testCharter(), consent.Options{OnUndeclared: func(*http.Request, string) { tp.undeclared.Add(1) }})
	if err != nil {
		tb.Fatal(err)
	}
	sites, err := web.NewSites(charterfile.Default())
	if err != nil {
		tb.Fatal(err)
	}
	u, _ := url.Parse(tp.upstream.URL)
	opts := Options{
		Upstream:   u,
		Prefix:     testPrefix,
		Charte:     web.NewServer(web.Options{Sites: sites, BasePath: testPrefix}),
		Enforcer:   func() *consent.Enforcer { return enf },
		BannerPath: testBanner,
	}
	if edit != nil {
		edit(&opts)
	}
	p, err := New(opts)
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	tp.Proxy = p
	srv := httptest.NewServer(p)
	tb.Cleanup(srv.Close)
	tb.Cleanup(p.CloseIdleConnections)
	tp.URL = srv.URL
	return tp
}

// rawClient neither decompresses nor follows redirects: tests see what the
// proxy sends.
var rawClient = &http.Client{
	Transport:     &http.Transport{DisableCompression: true, Proxy: nil},
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// do sends a request and returns the response with its whole body.
func do(tb testing.TB, req *http.Request) (*http.Response, []byte) {
	tb.Helper()
	resp, err := rawClient.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("%s %s: read body: %v", req.Method, req.URL, err)
	}
	return resp, body
}

// firstNonZero returns the first of vs that is not the zero value.
func firstNonZero[T comparable](vs ...T) T {
	var zero T
	for _, v := range vs {
		if v != zero {
			return v
		}
	}
	return zero
}

func gzipped(tb testing.TB, s string) []byte {
	tb.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	io.WriteString(w, s)
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

func brotlied(tb testing.TB, s string) []byte {
	tb.Helper()
	var b bytes.Buffer
	w := brotli.NewWriter(&b)
	io.WriteString(w, s)
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// decode returns a body in a content coding, decoded.
func decode(tb testing.TB, enc string, body []byte) string {
	tb.Helper()
	var r io.Reader
	switch enc {
	case "":
		return string(body)
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			tb.Fatalf("gzip body: %v", err)
		}
		r = zr
	case "br":
		r = brotli.NewReader(bytes.NewReader(body))
	}
	out, err := io.ReadAll(r)
	if err != nil {
		tb.Fatalf("decode %s body: %v", enc, err)
	}
	return string(out)
}

const page = `<!DOCTYPE html><html><head><title>Shop</title></head><body><p>Hello</p></body></html>`

func TestInjection(t *testing.T) {
	withTag := strings.Replace(page, "</head>", testTag+"</head>", 1)
	jsonBody := `{"html":"<html><head></head></html>"}`
	tests := []struct {
		name string
		// upstream's answer
		status int
		header map[string]string
		body   []byte
		// request
		method    string
		reqHeader map[string]string
		maxInject int
		// what the client gets: body decoded from wantEncoding
		wantStatus   int
		wantBody     string
		wantEncoding string
		wantHeader   map[string]string // "" means absent
		identical    bool              // the upstream's bytes, untouched
	}{
		{
			name:   "html with head",
			header: map[string]string{"Content-Type": "text/html; charset=utf-8", "ETag": `"v1"`, "Accept-Ranges": "bytes"},
			body:   []byte(page), wantBody: withTag,
			wantHeader: map[string]string{"Content-Length": strconv.Itoa(len(withTag)), "ETag": `W/"v1"`, "Accept-Ranges": ""},
		},
		{
			name:   "upper-case tags, weak etag kept",
			header: map[string]string{"Content-Type": "TEXT/HTML", "ETag": `W/"v1"`},
			body:   []byte(`<HTML><HEAD><TITLE>x</TITLE></HEAD ><BODY>x</BODY></HTML>`), wantBody: `<HTML><HEAD><TITLE>x</TITLE>` + testTag + `</HEAD ><BODY>x</BODY></HTML>`,
			wantHeader: map[string]string{"ETag": `W/"v1"`},
		},
		{
			name:   "body without head",
			header: map[string]string{"Content-Type": "text/html"},
			body:   []byte(`<!doctype html><body class="a>b" data-x='>'><p>Hi</p></body>`), wantBody: `<!doctype html><body class="a>b" data-x='>'>` + testTag + `<p>Hi</p></body>`,
		},
		{
			name:   "a <bodyguard> element is not the body",
			header: map[string]string{"Content-Type": "text/html"},
			body:   []byte(`<bodyguard></bodyguard><body>x`), wantBody: `<bodyguard></bodyguard><body>` + testTag + `x`,
		},
		{
			name:   "neither head nor body: after the doctype",
			header: map[string]string{"Content-Type": "text/html"},
			body:   []byte("\ufeff<!DOCTYPE html>\n<p>Hi"), wantBody: "\ufeff<!DOCTYPE html>" + testTag + "\n<p>Hi",
		},
		{
			name:   "neither head nor body nor doctype: at the start",
			header: map[string]string{"Content-Type": "text/html"},
			body:   []byte(`<p>Hi</p>`), wantBody: testTag + `<p>Hi</p>`,
		},
		{
			name:   "gzip",
			header: map[string]string{"Content-Type": "text/html", "Content-Encoding": "gzip", "ETag": `"v1"`},
			body:   gzipped(t, page), reqHeader: map[string]string{"Accept-Encoding": "gzip"},
			wantBody: withTag, wantEncoding: "gzip", wantHeader: map[string]string{"ETag": `W/"v1"`, "Content-Encoding": "gzip"},
		},
		{
			name:   "brotli",
			header: map[string]string{"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "br"},
			body:   brotlied(t, page), reqHeader: map[string]string{"Accept-Encoding": "br"},
			wantBody: withTag, wantEncoding: "br", wantHeader: map[string]string{"Content-Encoding": "br"},
		},
		{
			name:   "an empty page stays empty",
			header: map[string]string{"Content-Type": "text/html"},
			body:   []byte{}, identical: true,
		},
		{
			name:   "an empty gzip page stays empty",
			header: map[string]string{"Content-Type": "text/html", "Content-Encoding": "gzip"},
			body:   gzipped(t, ""), identical: true,
		},
		{
			name:   "a POST's answer is a page too",
			method: http.MethodPost, header: map[string]string{"Content-Type": "text/html"},
			body: []byte(page), wantBody: withTag,
		},
		{
			name:   "corrupt gzip passes through",
			header: map[string]string{"Content-Type": "text/html", "Content-Encoding": "gzip"},
			body:   []byte("not gzip at all"), identical: true, wantEncoding: "identity",
		},
		{
			name:   "json is not touched",
			header: map[string]string{"Content-Type": "application/json", "ETag": `"j"`},
			body:   []byte(jsonBody), identical: true,
			wantHeader: map[string]string{"ETag": `"j"`, "Content-Length": strconv.Itoa(len(jsonBody))},
		},
		{
			name:   "an attachment is not touched",
			header: map[string]string{"Content-Type": "text/html", "Content-Disposition": `attachment; filename="page.html"`},
			body:   []byte(page), identical: true,
		},
		{
			name:   "an error page is not touched",
			status: http.StatusNotFound, header: map[string]string{"Content-Type": "text/html"},
			body: []byte(page), identical: true,
		},
		{
			name:   "a fragment fetched by script is not touched",
			header: map[string]string{"Content-Type": "text/html"}, reqHeader: map[string]string{"Sec-Fetch-Dest": "empty"},
			body: []byte(page), identical: true,
		},
		{
			name:   "an encoding charte does not decode is not touched",
			header: map[string]string{"Content-Type": "text/html", "Content-Encoding": "zstd"},
			body:   []byte("\x28\xb5\x2f\xfdzstd bytes"), identical: true, wantEncoding: "identity",
		},
		{
			name:   "a page that loads the banner already",
			header: map[string]string{"Content-Type": "text/html"},
			body:   []byte(`<html><head><script src="https://shop.example/_charte/sites/shop/charte.js?lang=fr" defer></script></head></html>`), identical: true,
		},
		{
			name:   "no marker within the cap passes through",
			header: map[string]string{"Content-Type": "text/html"}, maxInject: 1000,
			body: []byte(strings.Repeat("<p>para</p>", 200) + "</head>"), identical: true,
		},
		{
			name:   "a CSP nonce goes on the tag",
			header: map[string]string{"Content-Type": "text/html", "Content-Security-Policy": "script-src 'nonce-r4nd0m' 'strict-dynamic'; connect-src 'self'"},
			body:   []byte(page), wantBody: strings.Replace(page, "</head>", `<script src="/_charte/charte.js" nonce="r4nd0m" defer></script></head>`, 1),
		},
		{
			name:   "HEAD",
			method: http.MethodHead, header: map[string]string{"Content-Type": "text/html", "ETag": `"v1"`, "Content-Length": "87"},
			wantBody: "", wantHeader: map[string]string{"ETag": `W/"v1"`, "Content-Length": ""},
		},
		{
			name:   "304 after a weak revalidation keeps the weak ETag",
			status: http.StatusNotModified, header: map[string]string{"ETag": `"v1"`},
			reqHeader:  map[string]string{"If-None-Match": `W/"v1"`},
			wantStatus: http.StatusNotModified, wantHeader: map[string]string{"ETag": `W/"v1"`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			upstream := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tc.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(firstNonZero(tc.status, http.StatusOK))
				w.Write(tc.body)
			})
			tp := MustStartProxy(t, upstream, func(o *Options) { o.MaxInject = tc.maxInject })
			req, _ := http.NewRequest(firstNonZero(tc.method, http.MethodGet), tp.URL+"/page", nil)
			for k, v := range tc.reqHeader {
				req.Header.Set(k, v)
			}
			resp, body := do(t, req)
			if want := firstNonZero(tc.wantStatus, tc.status, http.StatusOK); resp.StatusCode != want {
				t.Fatalf("status = %d, want %d", resp.StatusCode, want)
			}
			if tc.identical {
				if !bytes.Equal(body, tc.body) {
					t.Errorf("body = %q, want the upstream's bytes %q", body, tc.body)
				}
			} else if got := decode(t, tc.wantEncoding, body); got != tc.wantBody {
				t.Errorf("body:\n got %q\nwant %q", got, tc.wantBody)
			}
			if cl := resp.Header.Get("Content-Length"); cl != "" && cl != strconv.Itoa(len(body)) && tc.method != http.MethodHead {
				t.Errorf("Content-Length = %s for a body of %d bytes", cl, len(body))
			}
			for k, want := range tc.wantHeader {
				if got := resp.Header.Get(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
		})
	}
}

func TestScriptPolicy(t *testing.T) {
	for _, tc := range []struct {
		csp         []string
		wantNonce   string
		wantBlocked bool
	}{
		{csp: nil},
		{csp: []string{"default-src 'self'"}},
		{csp: []string{"default-src 'none'; script-src 'self'; connect-src 'self'"}},
		{csp: []string{"default-src 'none'; script-src 'self'"}, wantBlocked: true},
		{csp: []string{"script-src https://cdn.example"}, wantBlocked: true},
		{csp: []string{"script-src https://shop.example"}},
		{csp: []string{"script-src 'self' 'strict-dynamic'"}, wantBlocked: true},
		{csp: []string{"script-src 'nonce-abc' 'strict-dynamic'"}, wantNonce: "abc"},
		{csp: []string{"script-src 'nonce-a\"b'"}, wantBlocked: true},
		{csp: []string{"img-src 'self'"}},
		{csp: []string{"script-src 'self'", "script-src 'none'"}, wantBlocked: true},
		{csp: []string{"script-src-elem 'self'; script-src 'none'"}},
	} {
		h := http.Header{"Content-Security-Policy": tc.csp}
		nonce, blocked := scriptPolicy(h, "shop.example")
		if nonce != tc.wantNonce || blocked != tc.wantBlocked {
			t.Errorf("scriptPolicy(%q) = %q, %v; want %q, %v", tc.csp, nonce, blocked, tc.wantNonce, tc.wantBlocked)
		}
	}
}

// TestStreaming checks that a large body of unknown length streams through:
// its first bytes reach the client while the upstream is still writing,
// for a non-HTML body and for an HTML page the banner goes into, plain and
// gzipped.
func TestStreaming(t *testing.T) {
	const total = 4 << 20
	chunk := proseHTML(64 << 10) // compresses as pages do: not a bomb
	for _, tc := range []struct {
		name, contentType, encoding string
		first                       string
	}{
		{name: "text", contentType: "text/plain"},
		{name: "html", contentType: "text/html", first: "<html><head><title>t</title></head><body>"},
		{name: "gzip html", contentType: "text/html", encoding: "gzip", first: "<html><head><title>t</title></head><body>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			release := make(chan struct{})
			done := make(chan struct{})
			upstream := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				defer close(done)
				w.Header().Set("Content-Type", tc.contentType)
				var out io.Writer = w
				flush := w.(http.Flusher).Flush
				if tc.encoding == "gzip" {
					w.Header().Set("Content-Encoding", "gzip")
					zw := gzip.NewWriter(w)
					defer zw.Close()
					out = zw
					flush = func() { zw.Flush(); w.(http.Flusher).Flush() }
				}
				io.WriteString(out, tc.first)
				out.Write(chunk)
				flush()
				select {
				case <-release:
				case <-time.After(20 * time.Second):
					t.Error("the first bytes never reached the client: the proxy buffers")
					return
				}
				for n := len(tc.first) + len(chunk); n < total; n += len(chunk) {
					out.Write(chunk)
				}
			})
			tp := MustStartProxy(t, upstream, nil)
			req, _ := http.NewRequest(http.MethodGet, tp.URL+"/big", nil)
			if tc.encoding != "" {
				req.Header.Set("Accept-Encoding", tc.encoding)
			}
			resp, err := rawClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var body io.Reader = resp.Body
			if tc.encoding == "gzip" {
				zr, err := gzip.NewReader(resp.Body)
				if err != nil {
					t.Fatal(err)
				}
				body = zr
			}
			first := make([]byte, len(tc.first)+len(testTag)+1024)
			if tc.first == "" {
				first = first[:1024]
			}
			if _, err := io.ReadFull(body, first); err != nil {
				t.Fatalf("read the first bytes: %v", err)
			}
			select {
			case <-done:
				t.Fatal("the upstream finished before the client got its first bytes")
			default:
			}
			close(release)
			if tc.first != "" && !bytes.Contains(first, []byte(testTag+"</head>")) {
				t.Errorf("streamed page starts %q, want the banner before </head>", first[:100])
			}
			n, err := io.Copy(io.Discard, body)
			if err != nil {
				t.Fatal(err)
			}
			want := int64(total)
			if tc.first != "" {
				want += int64(len(testTag))
			}
			if got := int64(len(first)) + n; got < want || got > want+int64(len(chunk)) {
				t.Errorf("received %d bytes, want about %d", got, want)
			}
		})
	}
}

func TestUpstreamDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there any more
	tp := MustStartProxy(t, http.NotFoundHandler(), func(o *Options) { o.Upstream = &url.URL{Scheme: "http", Host: addr} })
	for range 2 { // and the proxy is still there
		req, _ := http.NewRequest(http.MethodGet, tp.URL+"/", nil)
		resp, body := do(t, req)
		if resp.StatusCode != http.StatusBadGateway || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !bytes.Contains(body, []byte("does not answer")) {
			t.Errorf("GET with the upstream down = %d %s %q, want a 502 HTML page", resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
	}
	if got := tp.Stats().UpstreamErrors; got != 2 {
		t.Errorf("Stats().UpstreamErrors = %d, want 2", got)
	}
}

func TestForwardedHeaders(t *testing.T) {
	type seen struct{ Host, For, Proto, FwdHost, AcceptEncoding, Path string }
	for _, tc := range []struct {
		name         string
		trust        bool
		upstreamName bool // UpstreamHost is the upstream's host
		header       map[string]string
		want         func(proxyHost, upstreamHost string) seen
	}{
		{
			name:   "untrusted client headers are replaced",
			header: map[string]string{"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Host": "evil.example", "Accept-Encoding": "gzip, deflate, br, zstd"},
			want: func(ph, uh string) seen {
				return seen{Host: ph, For: "127.0.0.1", Proto: "http", FwdHost: ph, AcceptEncoding: "gzip, br", Path: "/base/a/b?q=1"}
			},
		},
		{
			name: "behind a trusted proxy the chain goes on", trust: true,
			header: map[string]string{"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Host": "shop.example", "X-Forwarded-Proto": "https", "Accept-Encoding": "zstd"},
			want: func(ph, uh string) seen {
				return seen{Host: ph, For: "203.0.113.7, 127.0.0.1", Proto: "https", FwdHost: "shop.example", Path: "/base/a/b?q=1"}
			},
		},
		{
			name: "the upstream's own name on request", upstreamName: true,
			want: func(ph, uh string) seen {
				return seen{Host: uh, For: "127.0.0.1", Proto: "http", FwdHost: ph, Path: "/base/a/b?q=1"}
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := make(chan seen, 1)
			upstream := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				got <- seen{r.Host, r.Header.Get("X-Forwarded-For"), r.Header.Get("X-Forwarded-Proto"), r.Header.Get("X-Forwarded-Host"), r.Header.Get("Accept-Encoding"), r.URL.RequestURI()}
			})
			var upstreamHost string
			tp := MustStartProxy(t, upstream, func(o *Options) {
				o.TrustProxy = tc.trust
				o.Upstream.Path = "/base/"
				upstreamHost = o.Upstream.Host
				if tc.upstreamName {
					o.UpstreamHost = o.Upstream.Host
				}
			})
			req, _ := http.NewRequest(http.MethodGet, tp.URL+"/a/b?q=1", nil)
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}
			if resp, body := do(t, req); resp.StatusCode != http.StatusOK {
				t.Fatalf("GET = %d %s", resp.StatusCode, body)
			}
			if diff := cmp.Diff(tc.want(strings.TrimPrefix(tp.URL, "http://"), upstreamHost), <-got); diff != "" {
				t.Errorf("upstream saw (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLocation(t *testing.T) {
	var upstreamURL string
	upstream := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, upstreamURL+r.URL.Query().Get("to"), http.StatusFound)
	})
	tp := MustStartProxy(t, upstream, nil)
	upstreamURL = tp.upstream.URL
	for to, want := range map[string]string{
		"/login?next=/":         "/login?next=/",
		"":                      "/",
		"?x=1":                  "/?x=1",
		"0/elsewhere":           tp.upstream.URL + "0/elsewhere", // another port: not the upstream
		"/a%2Fb":                "/a%2Fb",
		"/ok#frag":              "/ok#frag",
		"/café":                 "/caf%c3%a9",
		"/_charte/cookies?x=ok": "/_charte/cookies?x=ok",
	} {
		req, _ := http.NewRequest(http.MethodGet, tp.URL+"/r?to="+url.QueryEscape(to), nil)
		resp, _ := do(t, req)
		if got := resp.Header.Get("Location"); got != want {
			t.Errorf("Location to %q = %q, want %q", to, got, want)
		}
	}
}

// TestUpgrade runs a websocket-style protocol switch through the proxy:
// the upstream hijacks its connection, answers 101 and echoes.
func TestUpgrade(t *testing.T) {
	upstream := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "websocket" {
			http.Error(w, "upgrade required", http.StatusUpgradeRequired)
			return
		}
		conn, brw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Errorf("Hijack: %v", err)
			return
		}
		defer conn.Close()
		brw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSet-Cookie: tracker=1\r\n\r\n")
		brw.Flush()
		line, err := brw.ReadString('\n')
		if err != nil {
			return
		}
		brw.WriteString("echo: " + line)
		brw.Flush()
	})
	tp := MustStartProxy(t, upstream, nil)
	conn, err := net.DialTimeout("tcp", strings.TrimPrefix(tp.URL, "http://"), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	io.WriteString(conn, "GET /ws HTTP/1.1\r\nHost: shop.example\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n")
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusSwitchingProtocols || resp.Header.Get("Upgrade") != "websocket" {
		t.Fatalf("upgrade = %d %q, want 101 websocket", resp.StatusCode, resp.Header.Get("Upgrade"))
	}
	if c := resp.Header.Values("Set-Cookie"); len(c) != 0 {
		t.Errorf("101 Set-Cookie = %q, want the undeclared cookie dropped", c)
	}
	io.WriteString(conn, "ping\n")
	line, err := br.ReadString('\n')
	if err != nil || line != "echo: ping\n" {
		t.Errorf("after the switch, read %q, %v; want the echo", line, err)
	}
}

// TestKeepAlive checks that consecutive requests on one client connection
// reuse one connection to the upstream.
func TestKeepAlive(t *testing.T) {
	var newConns atomic.Int64
	upstream := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, page)
	}))
	upstream.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			newConns.Add(1)
		}
	}
	upstream.Start()
	defer upstream.Close()
	tp := MustStartProxy(t, http.NotFoundHandler(), func(o *Options) { o.Upstream, _ = url.Parse(upstream.URL) })

	var clientConns atomic.Int64
	client := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			clientConns.Add(1)
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		},
	}}
	for range 5 {
		resp, err := client.Get(tp.URL + "/")
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	if c, u := clientConns.Load(), newConns.Load(); c != 1 || u != 1 {
		t.Errorf("5 requests opened %d client and %d upstream connections, want 1 and 1", c, u)
	}
}

func TestEnforcement(t *testing.T) {
	upstream := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, c := range []string{"sid=1; Path=/; HttpOnly", "_pk_id.abc=2; Path=/; HttpOnly; Max-Age=3600", "tracker=3; Path=/"} {
			w.Header().Add("Set-Cookie", c)
		}
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, page)
	})
	tp := MustStartProxy(t, upstream, nil)
	for _, tc := range []struct {
		name    string
		cookies []*http.Cookie
		want    []string
	}{
		{name: "no decision: necessary only", want: []string{"sid=1; Path=/; HttpOnly"}},
		{name: "statistics refused", cookies: []*http.Cookie{prefs()}, want: []string{"sid=1; Path=/; HttpOnly"}},
		{name: "statistics granted", cookies: []*http.Cookie{prefs("statistics")}, want: []string{"sid=1; Path=/; HttpOnly", "_pk_id.abc=2; Path=/; HttpOnly; Max-Age=3600"}},
		{
			name:    "withdrawn: the cookie in the browser is expired",
			cookies: []*http.Cookie{prefs(), {Name: "_pk_id.abc", Value: "2"}},
			want:    []string{"sid=1; Path=/; HttpOnly", "_pk_id.abc=; Path=/; Max-Age=0"},
		},
		{name: "a malformed decision is no decision", cookies: []*http.Cookie{{Name: consent.CookieName, Value: "1.x"}}, want: []string{"sid=1; Path=/; HttpOnly"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := tp.undeclared.Load()
			req, _ := http.NewRequest(http.MethodGet, tp.URL+"/", nil)
			for _, c := range tc.cookies {
				req.AddCookie(c)
			}
			resp, body := do(t, req)
			if diff := cmp.Diff(tc.want, resp.Header.Values("Set-Cookie")); diff != "" {
				t.Errorf("Set-Cookie (-want +got):\n%s", diff)
			}
			if !bytes.Contains(body, []byte(testTag)) {
				t.Error("the page has no banner")
			}
			if got := tp.undeclared.Load() - before; got != 1 {
				t.Errorf("undeclared cookies reported = %d, want 1 (tracker)", got)
			}
		})
	}
}

// TestCharteRoutes checks that the prefix reaches charte, never the
// upstream.
func TestCharteRoutes(t *testing.T) {
	var hits atomic.Int64
	tp := MustStartProxy(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		io.WriteString(w, "app")
	}), nil)
	for _, tc := range []struct {
		path, contentType string
		status            int
	}{
		{path: "/_charte/charte.js", contentType: "text/javascript", status: 200},
		{path: "/_charte/api/v1/sites", contentType: "application/json", status: 200},
		{path: "/_charte/cookies", contentType: "text/html", status: 200},
		{path: "/_charte/nothing", status: 404},
	} {
		req, _ := http.NewRequest(http.MethodGet, tp.URL+tc.path, nil)
		resp, body := do(t, req)
		if resp.StatusCode != tc.status || !strings.HasPrefix(resp.Header.Get("Content-Type"), tc.contentType) {
			t.Errorf("GET %s = %d %s, want %d %s", tc.path, resp.StatusCode, resp.Header.Get("Content-Type"), tc.status, tc.contentType)
		}
		if tc.path == "/_charte/api/v1/sites" {
			var sites []struct{ ID string }
			if err := json.Unmarshal(body, &sites); err != nil || len(sites) != 1 {
				t.Errorf("GET %s = %s, want one site", tc.path, body)
			}
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the upstream got %d requests for charte's routes", n)
	}
	req, _ := http.NewRequest(http.MethodGet, tp.URL+"/_chartest", nil)
	if _, body := do(t, req); string(body) != "app" || hits.Load() != 1 {
		t.Errorf("GET /_chartest = %q, want the app's (a sibling of the prefix is not charte's)", body)
	}
}

func TestNewRejects(t *testing.T) {
	enf, _ := consent.New(testCharter(), consent.Options{})
	good := Options{Upstream: &url.URL{Scheme: "http", Host: "127.0.0.1:8000"}, Prefix: "/_charte", Charte: http.NotFoundHandler(), Enforcer: func() *consent.Enforcer { return enf }, BannerPath: testBanner}
	if _, err := New(good); err != nil {
		t.Fatalf("New(good) = %v", err)
	}
	for name, edit := range map[string]func(*Options){
		"relative upstream": func(o *Options) { o.Upstream = &url.URL{Path: "/x"} },
		"ftp upstream":      func(o *Options) { o.Upstream = &url.URL{Scheme: "ftp", Host: "x"} },
		"root prefix":       func(o *Options) { o.Prefix = "/" },
		"no slash prefix":   func(o *Options) { o.Prefix = "_charte" },
		"no enforcer":       func(o *Options) { o.Enforcer = nil },
		"no handler":        func(o *Options) { o.Charte = nil },
		"no banner":         func(o *Options) { o.BannerPath = "" },
	} {
		o := good
		edit(&o)
		if _, err := New(o); err == nil {
			t.Errorf("New(%s) succeeded, want an error", name)
		}
	}
}

// TestConcurrentPages runs injections in parallel, gzip and brotli mixed,
// so that the race detector sees the pooled codecs shared.
func TestConcurrentPages(t *testing.T) {
	gz, br := gzipped(t, page), brotlied(t, page)
	upstream := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		switch r.URL.Path {
		case "/gz":
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(gz)
		case "/br":
			w.Header().Set("Content-Encoding", "br")
			w.Write(br)
		}
	})
	tp := MustStartProxy(t, upstream, nil)
	want := strings.Replace(page, "</head>", testTag+"</head>", 1)
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			enc := []string{"gzip", "br"}[i%2]
			path := map[string]string{"gzip": "/gz", "br": "/br"}[enc]
			for range 10 {
				req, _ := http.NewRequest(http.MethodGet, tp.URL+path, nil)
				req.Header.Set("Accept-Encoding", enc)
				_, body := do(t, req)
				if got := decode(t, enc, body); got != want {
					t.Errorf("%s page = %q", enc, got)
					return
				}
			}
		})
	}
	wg.Wait()
}
