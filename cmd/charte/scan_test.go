package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/charte/charte/internal/browsertest"
	"github.com/charte/charte/internal/scan/scantest"
)

func TestScanUsage(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		vars map[string]string
		want string // in standard error
	}{
		{"no URL", []string{"scan"}, nil, "Usage: charte scan"},
		{"two URLs", []string{"scan", "http://a.example/", "http://b.example/"}, nil, "Usage: charte scan"},
		{"bad format", []string{"scan", "--format", "pdf", "http://a.example/"}, nil, `--format "pdf"`},
		{"bad pages", []string{"scan", "--pages", "0", "http://a.example/"}, nil, "--pages 0"},
		{"bad URL", []string{"scan", "a.example"}, nil, "is not an http(s) URL"},
		{"bad charter", []string{"scan", "--charter", "testdata/invalid.yaml", "http://a.example/"}, nil, "testdata/invalid.yaml:"},
		{"no browser", []string{"scan", "--browser", "/nonexistent/chromium", "http://127.0.0.1:1/"}, nil, "apt-get install chromium"},
		{"no browser from the environment", []string{"scan", "http://127.0.0.1:1/"}, map[string]string{"CHARTE_BROWSER": "/nonexistent/chromium"}, "apt-get install chromium"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := MustRun(t, tc.vars, tc.args...)
			if code != exitUsage || !strings.Contains(stderr, tc.want) {
				t.Errorf("charte %s = %d, stderr %q; want %d and %q", strings.Join(tc.args, " "), code, stderr, exitUsage, tc.want)
			}
		})
	}
}

// TestScanShop is the new user's tour: a scan of a small site against its
// charter lists the cookies in a table, names each violation with its page
// and exits 1; the draft it writes passes charte check once filled in; an
// HTML report and a scan without charter (exit 0) work too.
func TestScanShop(t *testing.T) {
	browser := browsertest.MustFind(t)
	site := scantest.MustServe(t, "shop")
	dir := t.TempDir()
	draft := filepath.Join(dir, "draft.yaml")
	vars := map[string]string{"CHARTE_BROWSER": browser}

	code, stdout, stderr := MustRun(t, vars, "scan", site.URL, "--charter", site.Charter, "--pages", "3", "--ignore-cert-errors", "--draft", draft)
	if code != exitViolations {
		t.Fatalf("charte scan --charter = %d, want %d; stderr:\n%s", code, exitViolations, stderr)
	}
	for _, want := range []string{
		"Cookies (8):", "tp_id", "127.0.0.2",
		`clicked "Tout refuser"`, `clicked "Tout accepter"`,
		"set_before_consent  early_ads (127.0.0.1)  visitor none  page " + site.URL + "b.html",
		"set_after_refusal  late_tracker (127.0.0.1)  visitor reject  page " + site.URL,
		"9 violations of the charter.",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("charte scan output lacks %q:\n%s", want, stdout)
		}
	}
	data, err := os.ReadFile(draft)
	if err != nil {
		t.Fatal(err)
	}
	if code, _, _ := MustRun(t, nil, "check", draft); code != exitInvalid {
		t.Errorf("charte check (draft as written) = %d, want %d: its TODO lines are invalid", code, exitInvalid)
	}
	filled := filepath.Join(dir, "filled.yaml")
	if err := os.WriteFile(filled, []byte(scantest.FillDraft(string(data))), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := MustRun(t, nil, "check", filled); code != exitOK {
		t.Errorf("charte check (filled draft) = %d, want %d:\n%s", code, exitOK, stderr)
	}

	report := filepath.Join(dir, "report.html")
	code, stdout, stderr = MustRun(t, vars, "scan", site.URL, "--pages", "3", "--ignore-cert-errors", "--format", "html", "--out", report)
	if code != exitOK || stdout != "" {
		t.Fatalf("charte scan --format html (no charter) = %d, stdout %q, want %d and nothing; stderr:\n%s", code, stdout, exitOK, stderr)
	}
	f, err := os.Open(report)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := html.Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	var title string
	var codes []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.FirstChild != nil && n.FirstChild.Type == html.TextNode {
			switch n.Data {
			case "title":
				title = n.FirstChild.Data
			case "code":
				codes = append(codes, n.FirstChild.Data)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if !strings.HasPrefix(title, "Cookie audit of "+site.URL) {
		t.Errorf("HTML report title = %q, want the audit of %s", title, site.URL)
	}
	for _, want := range []string{"sessionid", "tp_id", "_ga"} {
		if !slices.Contains(codes, want) {
			t.Errorf("HTML report does not list cookie %s: %q", want, codes)
		}
	}
}
