package banner

import (
	"github.com/charte/charte/internal/web/assets/banner/bundle"

	"bytes"
	"os"
	"regexp"
	"testing"
)

// TestBundleFresh rebuilds the bundles from src/ and fails when a committed
// one differs: the bundles must always be what the source builds to.
func TestBundleFresh(t *testing.T) {
	for i, name := range Files {
		got, err := bundle.Build(".", i == 1)
		if err != nil {
			t.Fatalf("Build(%v): %v", i == 1, err)
		}
		committed, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, committed) {
			t.Errorf("%s is stale: run go generate ./internal/web/assets/banner", name)
		}
	}
	if !bytes.Equal(JS, mustRead(t, Files[0])) || !bytes.Equal(GCM, mustRead(t, Files[1])) {
		t.Error("the embedded bundles differ from the files")
	}
}

// TestBuildDeterministic builds twice: a bundle that changed from one build
// to the next would make TestBundleFresh flaky.
func TestBuildDeterministic(t *testing.T) {
	a, err := bundle.Build(".", true)
	if err != nil {
		t.Fatal(err)
	}
	b, err := bundle.Build(".", true)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("two builds of the same source differ")
	}
}

// TestBundleSafe checks what the banner must never do, so that it runs
// under a strict Content-Security-Policy (no 'unsafe-eval', no
// 'unsafe-inline' styles) and never parses HTML from configuration text.
func TestBundleSafe(t *testing.T) {
	forbidden := []struct {
		name string
		re   *regexp.Regexp
	}{
		{"eval", regexp.MustCompile(`\beval\(`)},
		{"new Function", regexp.MustCompile(`new Function\b`)},
		{"string timers", regexp.MustCompile(`set(Timeout|Interval)\(\s*["'\x60]`)},
		{"HTML parsing", regexp.MustCompile(`innerHTML|outerHTML|insertAdjacentHTML|document\.write`)},
		{"style attributes", regexp.MustCompile(`\.style\b|"style"|cssText`)},
		{"inline handlers", regexp.MustCompile(`setAttribute\("on`)},
	}
	for i, js := range [][]byte{JS, GCM} {
		if n := bytes.Count(js, []byte(ConfigPlaceholder)); n != 1 {
			t.Errorf("%s holds %s %d times, want 1", Files[i], ConfigPlaceholder, n)
		}
		for _, f := range forbidden {
			if loc := f.re.FindIndex(js); loc != nil {
				t.Errorf("%s uses %s: …%s…", Files[i], f.name, js[max(0, loc[0]-40):min(len(js), loc[1]+40)])
			}
		}
	}
	if bytes.Contains(JS, []byte("gtag")) || !bytes.Contains(GCM, []byte(`gtag("consent"`)) {
		t.Error("Google Consent Mode must be in the GCM bundle only")
	}
}

func mustRead(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}
