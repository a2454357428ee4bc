package banner

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charte/charte/consent"
	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/web/assets/banner/bundle"
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
	center, err := bundle.BuildCenter(".")
	if err != nil {
		t.Fatalf("BuildCenter: %v", err)
	}
	if !bytes.Equal(center, mustRead(t, CenterFile)) {
		t.Errorf("%s is stale: run go generate ./internal/web/assets/banner", CenterFile)
	}
	for _, m := range bundle.Modules() {
		got, err := bundle.BuildModule(".", m)
		if err != nil {
			t.Fatalf("BuildModule(%s): %v", m.Entry, err)
		}
		embedded, err := Modules.ReadFile(m.File)
		if err != nil {
			t.Errorf("%s is not embedded: %v", m.File, err)
		}
		if !bytes.Equal(got, mustRead(t, m.File)) || !bytes.Equal(got, embedded) {
			t.Errorf("%s is stale: run go generate ./internal/web/assets/banner", m.File)
		}
	}
	if !bytes.Equal(JS, mustRead(t, Files[0])) || !bytes.Equal(GCM, mustRead(t, Files[1])) || !bytes.Equal(Center, mustRead(t, CenterFile)) {
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
	names := []string{Files[0], Files[1], CenterFile}
	bundles := [][]byte{JS, GCM, Center}
	placeholders := []int{1, 1, 1}
	for _, m := range bundle.Modules() {
		names = append(names, m.File)
		bundles = append(bundles, mustRead(t, m.File))
		placeholders = append(placeholders, map[bool]int{true: 1}[m.Config])
	}
	for i, js := range bundles {
		if n := bytes.Count(js, []byte(ConfigPlaceholder)); n != placeholders[i] {
			t.Errorf("%s holds %s %d times, want %d", names[i], ConfigPlaceholder, n, placeholders[i])
		}
		for _, f := range forbidden {
			if loc := f.re.FindIndex(js); loc != nil {
				t.Errorf("%s uses %s: …%s…", names[i], f.name, js[max(0, loc[0]-40):min(len(js), loc[1]+40)])
			}
		}
	}
	if bytes.Contains(JS, []byte("gtag")) || !bytes.Contains(GCM, []byte(`gtag("consent"`)) {
		t.Error("Google Consent Mode must be in the GCM bundle only")
	}
}

// TestMethods holds the banner to the one list of decision methods,
// [charte.Methods]: its src/methods.ts is generated from it and fresh, and
// the letter it writes in the cookie for a method, the method's first
// (src/cookie.ts), is the one the consent package writes and reads for
// it, with no letter left over on either side.
func TestMethods(t *testing.T) {
	if !bytes.Equal(mustRead(t, bundle.MethodsFile), bundle.Methods()) {
		t.Errorf("%s is stale: run go generate ./internal/web/assets/banner", bundle.MethodsFile)
	}
	created := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	letters := make(map[string]charte.Method)
	for _, m := range charte.Methods() {
		letter := string(m)[:1]
		if other, ok := letters[letter]; ok {
			t.Errorf("methods %s and %s share the cookie letter %s", other, m, letter)
		}
		letters[letter] = m
		d := consent.Decision{Version: "v1", Method: string(m), Created: created, Expires: created.AddDate(0, 6, 0)}
		if got := strings.Split(d.Encode(), ".")[4]; got != letter {
			t.Errorf("consent writes %s as %q, the banner as %q", m, got, letter)
		}
	}
	for c := byte(' ' + 1); c < 0x7f; c++ {
		value := "1..v1.." + string(c) + ".0.1"
		d, err := consent.ParseCookie(value)
		want, banner := letters[string(c)]
		switch {
		case banner && err != nil:
			t.Errorf("ParseCookie(%q): %v, want the banner's %s", value, err, want)
		case banner && d.Method != string(want):
			t.Errorf("ParseCookie(%q).Method = %q, want the banner's %s", value, d.Method, want)
		case !banner && err == nil:
			t.Errorf("ParseCookie(%q).Method = %q, a letter the banner never writes", value, d.Method)
		}
	}
}

// TestModuleFiles holds the file names the server reads to the ones the
// generator writes.
func TestModuleFiles(t *testing.T) {
	mods := bundle.Modules()
	if mods[0].File != AutoBlockFile || mods[1].File != ServicesFile {
		t.Errorf("modules %s, %s, want %s, %s", mods[0].File, mods[1].File, AutoBlockFile, ServicesFile)
	}
	for i, name := range bundle.Loaders {
		if got := mods[2+i].File; got != LoaderFile(name) {
			t.Errorf("loader %s in %s, want %s", name, got, LoaderFile(name))
		}
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
