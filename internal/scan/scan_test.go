package scan

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"github.com/charte/charte/internal/browsertest"
	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/charterfile"
	"github.com/charte/charte/internal/scan/scantest"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// MustObserveShop scans the fixture shop, three pages, and returns what
// each visitor observed, with the site's URLs.
func MustObserveShop(tb testing.TB) (*scantest.Site, []*observation) {
	tb.Helper()
	browser := browsertest.MustFind(tb)
	site := scantest.MustServe(tb, "shop")
	o := Options{URL: site.URL, Pages: 3, Browser: browser, IgnoreCertErrors: true, PageTimeout: 30 * time.Second}
	o.defaults()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	start, _ := normalize(site.URL)
	obs, _, err := observe(ctx, &o, start)
	if err != nil {
		tb.Fatalf("observe(%s) = %v", site.URL, err)
	}
	return site, obs
}

// The fixture shop is scanned once; each subtest checks one output of the
// same observation against its golden file.
func TestScanShop(t *testing.T) {
	site, obs := MustObserveShop(t)
	ch, err := charterfile.Load(site.Charter)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		charter *charte.Charter
	}{
		{"shop-charter", ch},
		{"shop-nocharter", nil},
	} {
		r := build(tc.charter, site.URL, obs)
		r.Started, r.DurationMS, r.Browser = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC), 2500, "BROWSER"
		if r.Charter != nil {
			r.Charter.File = filepath.Base(r.Charter.File)
		}
		t.Run(tc.name+"/json", func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteJSON(&b, r); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tc.name+".golden.json", expiresRE.ReplaceAllString(b.String(), `"expires": "EXPIRES"`))
		})
		t.Run(tc.name+"/text", func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteText(&b, r); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tc.name+".golden.txt", b.String())
		})
		t.Run(tc.name+"/draft", func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteDraft(&b, r, tc.charter); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tc.name+".draft.golden.yaml", b.String())
			checkDraft(t, b.Bytes())
		})
		t.Run(tc.name+"/html", func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteHTML(&b, r); err != nil {
				t.Fatal(err)
			}
			checkHTML(t, b.Bytes(), r)
		})
	}
}

var (
	portRE    = regexp.MustCompile(`127\.0\.0\.([12]):\d+`)
	expiresRE = regexp.MustCompile(`"expires": "[^"]+"`)
)

// checkGolden compares got, without its ports, with testdata/name, which
// -update rewrites.
func checkGolden(tb testing.TB, name, got string) {
	tb.Helper()
	got = portRE.ReplaceAllString(got, "127.0.0.$1:PORT")
	golden := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		tb.Fatalf("%v (run the test with -update to write it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		tb.Errorf("%s mismatch (-want +got):\n%s", name, diff)
	}
}

// checkDraft checks that a draft charter is invalid exactly on its TODO
// lines, and valid once they are filled in.
func checkDraft(tb testing.TB, draft []byte) {
	tb.Helper()
	_, err := charterfile.Parse("draft.yaml", draft)
	lines := strings.Split(string(draft), "\n")
	var probs charterfile.Problems
	if strings.Contains(string(draft), "TODO") && !errors.As(err, &probs) {
		tb.Fatalf("Parse(draft) = %v, want problems on the TODO lines", err)
	}
	for _, p := range probs {
		if p.Line < 1 || p.Line > len(lines) || !strings.Contains(lines[p.Line-1], "TODO") {
			tb.Errorf("draft problem on a line not marked TODO: %s", p)
		}
	}
	filled := scantest.FillDraft(string(draft))
	if _, err := charterfile.Parse("draft.yaml", []byte(filled)); err != nil {
		tb.Errorf("Parse(filled draft) = %v, want a valid charter:\n%s", err, filled)
	}
}

// checkHTML parses an HTML report and checks that it says what the report
// says: a table row per cookie and per violation, styles inline, nothing
// loaded from elsewhere.
func checkHTML(tb testing.TB, page []byte, r *charte.ScanReport) {
	tb.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		tb.Fatal(err)
	}
	var tables [][]string // the first cell of each body row, per table
	var title string
	var external []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "title":
				title = text(n)
			case "table":
				tables = append(tables, nil)
			case "tr":
				if n.Parent != nil && n.Parent.Data == "tbody" {
					for c := n.FirstChild; c != nil; c = c.NextSibling {
						if c.Type == html.ElementNode {
							tables[len(tables)-1] = append(tables[len(tables)-1], text(c))
							break
						}
					}
				}
			case "link", "script", "img":
				external = append(external, n.Data)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if !strings.Contains(title, r.Site) {
		tb.Errorf("HTML title = %q, want it to name %s", title, r.Site)
	}
	if len(external) > 0 {
		tb.Errorf("HTML report has %v elements: want a self-contained page", external)
	}
	var wantViolations, wantCookies []string
	for _, v := range r.Violations {
		wantViolations = append(wantViolations, v.Kind)
	}
	for _, c := range r.Cookies {
		name := c.Name
		if c.Platform != "" {
			name += c.Platform
		}
		wantCookies = append(wantCookies, strings.Join(strings.Fields(name), ""))
	}
	i := 0
	if r.Charter != nil && len(r.Violations) > 0 {
		if diff := cmp.Diff(wantViolations, tables[0]); diff != "" {
			tb.Errorf("HTML violations table mismatch (-want +got):\n%s", diff)
		}
		i = 1
	}
	if diff := cmp.Diff(wantCookies, tables[i]); diff != "" {
		tb.Errorf("HTML cookies table mismatch (-want +got):\n%s", diff)
	}
}

// text returns the text of a node and its descendants, spaces collapsed.
func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), "")
}

func TestScanErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    Options
		want string
	}{
		{"not a URL", Options{URL: "example.org"}, charte.EINVALID},
		{"not http", Options{URL: "ftp://example.org/"}, charte.EINVALID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Scan(context.Background(), tc.o)
			if got := charte.ErrorCode(err); got != tc.want {
				t.Errorf("Scan(%q) error = %v (code %q), want code %q", tc.o.URL, err, got, tc.want)
			}
		})
	}
	t.Run("no browser", func(t *testing.T) {
		_, err := Scan(context.Background(), Options{URL: "http://127.0.0.1:1/", Browser: "/nonexistent/chromium"})
		if !errors.Is(err, ErrNoBrowser) || !strings.Contains(err.Error(), "apt-get install chromium") {
			t.Errorf("Scan(no browser) = %v, want ErrNoBrowser saying how to install chromium", err)
		}
	})
}

func TestScanUnreachable(t *testing.T) {
	browser := browsertest.MustFind(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// Port 1 on loopback refuses connections.
	_, err := Scan(ctx, Options{URL: "http://127.0.0.1:1/", Browser: browser, Tabs: 1})
	if charte.ErrorCode(err) != charte.EINVALID || !strings.Contains(err.Error(), "cannot load") {
		t.Errorf("Scan(unreachable) = %v, want an invalid error saying it cannot load the page", err)
	}
}
