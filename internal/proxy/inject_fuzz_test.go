package proxy

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/charte/charte/consent"
)

// chunkReader returns a page in the chunk sizes sizes gives, in turn (a
// zero is a read that returns nothing), as a slow or odd upstream would.
type chunkReader struct {
	b     []byte
	sizes []byte
	i     int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.b) == 0 {
		return 0, io.EOF
	}
	n := len(p)
	if len(c.sizes) > 0 {
		n = min(n, int(c.sizes[c.i%len(c.sizes)]))
		c.i++
	}
	n = copy(p, c.b[:min(n, len(c.b))])
	c.b = c.b[n:]
	return n, nil
}

// injectPage runs p.inject on a page from an upstream that sends body (in
// the coding enc) in chunks, and returns what the client gets and whether
// the banner went in.
func injectPage(tb testing.TB, p *Proxy, body, chunks []byte, enc string) ([]byte, bool) {
	tb.Helper()
	resp := &http.Response{
		StatusCode:    http.StatusOK,
		Header:        http.Header{"Content-Type": {"text/html"}},
		Body:          io.NopCloser(&chunkReader{b: body, sizes: chunks}),
		ContentLength: -1,
		Request:       httptest.NewRequest(http.MethodGet, "/page", nil),
	}
	if enc != "" {
		resp.Header.Set("Content-Encoding", enc)
	}
	before := p.Stats().Injected
	if err := p.inject(resp, enc); err != nil {
		tb.Fatalf("inject: %v", err)
	}
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("read the page: %v", err)
	}
	resp.Body.Close()
	return out, p.Stats().Injected > before
}

// insertedOnce reports whether out is in with tag inserted at one place.
func insertedOnce(in, out, tag []byte) bool {
	if len(out) != len(in)+len(tag) {
		return false
	}
	prefix := 0
	for prefix < len(in) && in[prefix] == out[prefix] {
		prefix++
	}
	suffix := 0
	for suffix < len(in) && in[len(in)-1-suffix] == out[len(out)-1-suffix] {
		suffix++
	}
	for i := len(in) - suffix; i <= prefix; i++ {
		if bytes.Equal(out[i:i+len(tag)], tag) {
			return true
		}
	}
	return false
}

// FuzzInject checks that the injector never loses, adds or reorders a byte
// of a page, whatever the page and however it arrives: the client gets the
// page with exactly the banner's tag inserted at one place, or the page
// untouched; a plain page gets the same answer in any chunks as in one;
// a gzip page the proxy gives up on goes out as the upstream's exact
// bytes.
func FuzzInject(f *testing.F) {
	for _, seed := range []string{
		page,
		"<html><HEAD><title>x</title></HEAD ><body>x",
		`<!doctype html><body class="a>b" data-x='>'><p>Hi</p></body>`,
		"\ufeff<!DOCTYPE html>\n<p>Hi",
		"<bodyguard></bodyguard><body>x",
		"<html></heading></head>",
		"<body data-a=\"</head>\" class=x>rest",
		"<body",
		"</head",
		"<",
		"",
		`<html><head><script src="/_charte/charte.js" defer></script></head>`,
		`<html><head></head><body><script src="/_charte/charte.js"></script>`,
	} {
		f.Add([]byte(seed), []byte{1, 2, 3}, false, uint16(0))
		f.Add([]byte(seed), []byte{7, 0, 64}, true, uint16(40))
	}
	enf, err := consent.New(testCharter(), consent.Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body, chunks []byte, gz bool, window uint16) {
		if len(chunks) > 0 && bytes.Count(chunks, []byte{0}) == len(chunks) {
			chunks = nil // reads that never return a byte stall any reader
		}
		p, err := New(Options{
			Upstream:   &url.URL{Scheme: "http", Host: "127.0.0.1:1"},
			Prefix:     testPrefix,
			Charte:     http.NotFoundHandler(),
			Enforcer:   func() *consent.Enforcer { return enf },
			BannerPath: testBanner,
			MaxInject:  16 + int(window)%1024,
		})
		if err != nil {
			t.Fatal(err)
		}
		watchdog := time.AfterFunc(10*time.Second, func() {
			panic(fmt.Sprintf("inject(%q, chunks %v, gzip %v, window %d) is stuck", body, chunks, gz, window))
		})
		defer watchdog.Stop()
		tag := []byte(testTag)
		if !gz {
			out, injected := injectPage(t, p, body, chunks, "")
			if injected && !insertedOnce(body, out, tag) || !injected && !bytes.Equal(out, body) {
				t.Fatalf("inject(%q) = %q (injected: %v): not the page with one tag", body, out, injected)
			}
			if whole, _ := injectPage(t, p, body, nil, ""); !bytes.Equal(whole, out) {
				t.Fatalf("inject(%q) in chunks %v = %q, in one read %q", body, chunks, out, whole)
			}
			return
		}
		var zb bytes.Buffer
		zw := gzip.NewWriter(&zb)
		zw.Write(body)
		zw.Close()
		out, injected := injectPage(t, p, zb.Bytes(), chunks, "gzip")
		if !injected {
			if !bytes.Equal(out, zb.Bytes()) {
				t.Fatalf("inject(gzip of %q) passed %q through, want the upstream's bytes", body, out)
			}
			return
		}
		zr, err := gzip.NewReader(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("inject(gzip of %q): the answer is no gzip: %v", body, err)
		}
		decoded, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("inject(gzip of %q): the answer does not decode: %v", body, err)
		}
		if !insertedOnce(body, decoded, tag) {
			t.Fatalf("inject(gzip of %q) = %q: not the page with one tag", body, decoded)
		}
	})
}
