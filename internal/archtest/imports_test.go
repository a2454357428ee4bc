package archtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/charte/charte"

// rules is the one table of what each package of the module may import,
// besides the standard library, which every package may import (except
// "testing", which only test files and the test-helper packages that list
// it may import). Paths of the module are written without the module prefix
// ("internal/charte"); an outside path allows itself and every package below
// it ("github.com/chromedp" allows chromedp and cdproto); "*" allows
// everything. imports holds what the package's non-test files may import;
// tests holds what its _test.go files may import in addition.
//
// Every package of the module has a row, so that a new package without a
// rule fails TestImports, which prints the row to add.
var rules = []struct {
	pkg     string
	imports []string
	tests   []string
}{
	// The public API: standard library only, so that any Go app can import
	// it without pulling in charte's dependencies.
	{pkg: "consent", tests: []string{cmp}},

	// The domain: the standard library and consent only, so that every
	// other package can depend on it without pulling anything else.
	{pkg: "internal/charte", imports: []string{"consent"}, tests: []string{cmp}},

	// One package per outside dependency.
	{pkg: "internal/charterfile", imports: []string{"internal/charte", "internal/services", "go.yaml.in/yaml/v3"}, tests: []string{cmp}},
	{pkg: "internal/i18n", imports: []string{"golang.org/x/text/language", "golang.org/x/text/feature/plural"}, tests: []string{cmp}},
	{pkg: "internal/password", imports: []string{"golang.org/x/crypto"}},
	{pkg: "internal/sqlite", imports: []string{"internal/charte", "modernc.org/sqlite"}, tests: []string{"internal/storetest"}},
	{pkg: "internal/postgres", imports: []string{"internal/charte", "github.com/jackc/pgx/v5"}, tests: []string{"internal/storetest"}},
	{pkg: "internal/scan", imports: []string{"internal/charte", "internal/knowledge", "internal/services", "internal/chromium", "github.com/chromedp", "golang.org/x/net/publicsuffix"},
		tests: []string{"internal/charterfile", "internal/scan/scantest", "internal/browsertest", cmp, "golang.org/x/net/html"}},
	// chromium shares chromedp with scan: it only finds the browser and
	// holds the options it starts with, for scan and for the tests
	// (internal/browsertest), which cannot import scan.
	{pkg: "internal/chromium", imports: []string{"github.com/chromedp"}},
	{pkg: "internal/proxy", imports: []string{"internal/charte", "consent", "github.com/andybalholm/brotli"},
		tests: []string{"internal/charterfile", "internal/services", "internal/web", cmp, "golang.org/x/net/html"}},
	{pkg: "internal/web/assets/banner/bundle", imports: []string{"github.com/evanw/esbuild/pkg/api", "internal/charte"}},

	// Packages on top of the domain, with no outside dependency of their own.
	{pkg: "internal/knowledge", imports: []string{"internal/charte"}, tests: []string{cmp}},
	// The service catalogue: facts only, checked against knowledge.
	{pkg: "internal/services", imports: []string{"internal/charte"}, tests: []string{"internal/knowledge", "internal/i18n"}},
	{pkg: "internal/policy", imports: []string{"internal/charte", "internal/i18n"}, tests: []string{cmp, "golang.org/x/net/html"}},
	{pkg: "internal/web/assets/banner", tests: []string{"internal/web/assets/banner/bundle", "internal/charte", "consent"}},

	// The HTTP server. It sees no storage driver, only the domain's
	// interfaces. It imports prometheus for /metrics, which cmd/charte
	// imports too (see docs/decisions.md, "Import rules"), and mounts the
	// back office, which imports password for its sign-in and never the
	// server (what it borrows is handed to it). Their tests fake the
	// interfaces (internal/mock) where a store fails, and use a real SQLite
	// store elsewhere.
	// It reads the service catalogue (data on the domain only) for the
	// banner's services.
	{pkg: "internal/web",
		imports: []string{"consent", "internal/charte", "internal/i18n", "internal/policy", "internal/services",
			"internal/web/assets/banner", "internal/web/admin", "github.com/prometheus/client_golang"},
		tests: []string{"internal/charterfile", "internal/sqlite", "internal/password", "internal/mock", "internal/browsertest", "internal/vendortest", "internal/htmltest", "github.com/chromedp", cmp, "go.yaml.in/yaml/v3", "golang.org/x/net/html"}},
	// The back office reads the policy fragment it shows in a receipt
	// (golang.org/x/net/html) to fit it under the receipt's headings.
	{pkg: "internal/web/admin", imports: []string{"internal/charte", "internal/i18n", "internal/policy", "internal/password", "golang.org/x/net/html"},
		tests: []string{"internal/charterfile", "internal/sqlite", "internal/mock", "internal/htmltest", cmp, "golang.org/x/net/html"}},

	// Test helpers: imported only from _test.go files (no imports row
	// above lists them).
	{pkg: "internal/storetest", imports: []string{"internal/charte", "testing", cmp}},
	{pkg: "internal/mock", imports: []string{"internal/charte"}},
	{pkg: "internal/scan/scantest", imports: []string{"testing"}},
	{pkg: "internal/htmltest", imports: []string{"golang.org/x/net/html"}},
	{pkg: "internal/browsertest", imports: []string{"internal/chromium", "github.com/chromedp", "testing"}},
	// vendortest puts the vendors of the usual tags on loopback for the
	// browser tests of issue 12 (proxy, banner): it starts the browser
	// with browsertest and reads its cookies with chromedp.
	{pkg: "internal/vendortest", imports: []string{"internal/browsertest", "github.com/chromedp", "testing"}},
	{pkg: "internal/archtest", tests: []string{"internal/charte"}},

	// Commands. Go forbids importing a main package, so nothing imports
	// cmd. Only cmd/charte sees every package.
	{pkg: "cmd/charte", imports: []string{"*"}, tests: []string{"*"}},
	{pkg: "internal/knowledge/gen", imports: []string{"internal/charte"}, tests: []string{cmp}},
	{pkg: "internal/web/assets/banner/build", imports: []string{"internal/web/assets/banner", "internal/web/assets/banner/bundle"}},
	{pkg: "bench/attack"},
	{pkg: "bench/bare"},
	{pkg: "bench/banner", imports: []string{"internal/charterfile", "internal/chromium", "internal/web", "github.com/chromedp"}},
	{pkg: "bench/profile", imports: []string{"internal/charte", "internal/charterfile", "internal/policy", "internal/postgres", "internal/sqlite", "internal/web"}},
	{pkg: "docs/screenshots", imports: []string{"internal/chromium", "github.com/chromedp"}},
}

const cmp = "github.com/google/go-cmp"

// pkg is what TestImports reads of `go list -json`.
type pkg struct {
	ImportPath   string
	Dir          string
	GoFiles      []string
	Imports      []string
	TestImports  []string
	XTestImports []string
}

// listModule returns every package of the module, as `go list` sees it.
func listModule(tb testing.TB) []pkg {
	tb.Helper()
	out, err := exec.Command("go", "list", "-json", module+"/...").Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			tb.Fatalf("go list: %v\n%s", err, ee.Stderr)
		}
		tb.Fatalf("go list: %v", err)
	}
	var pkgs []pkg
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			tb.Fatalf("decode go list: %v", err)
		}
		p.ImportPath = rel(p.ImportPath)
		pkgs = append(pkgs, p)
	}
	if len(pkgs) == 0 {
		tb.Fatal("go list found no package")
	}
	return pkgs
}

// rel returns a path of the module without the module's prefix, and any
// other path unchanged.
func rel(path string) string {
	if path == module {
		return "."
	}
	if r, ok := strings.CutPrefix(path, module+"/"); ok {
		return r
	}
	return path
}

// standard reports whether path is a package of the standard library: its
// first element has no dot.
func standard(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// allows reports whether an import of path (module prefix removed) matches
// one of allowed.
func allows(allowed []string, path string) bool {
	for _, a := range allowed {
		// Only an outside path allows the packages below it: a package of
		// the module is allowed by name, so that internal/web does not
		// allow internal/web/admin.
		if a == "*" || a == path || (!standard(a) && strings.HasPrefix(path, a+"/")) {
			return true
		}
	}
	return false
}

// permitted reports whether a file may import path under allowed; mod holds
// the module's packages.
func permitted(allowed []string, path string, mod map[string]bool) bool {
	if path == "testing" || strings.HasPrefix(path, "testing/") {
		return allows(allowed, "testing")
	}
	// A module path such as "consent" has no dot but is no standard package.
	if standard(path) && !mod[path] {
		return true
	}
	return allows(allowed, path)
}

// newRow formats a row of rules for p that allows what p imports today, for
// the failure message of a package without a row.
func newRow(p pkg, mod map[string]bool) string {
	imports := outside(p.ImportPath, p.Imports, mod)
	tests := outside(p.ImportPath, append(slices.Clone(p.TestImports), p.XTestImports...), mod)
	tests = slices.DeleteFunc(tests, func(s string) bool { return slices.Contains(imports, s) })
	if slices.Contains(p.Imports, "testing") {
		imports = append(imports, "testing")
	}
	return formatRow(p.ImportPath, imports, tests)
}

// formatRow writes a row of rules as Go source.
func formatRow(pkg string, imports, tests []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "{pkg: %q", pkg)
	if len(imports) > 0 {
		fmt.Fprintf(&b, ", imports: %s", goList(imports))
	}
	if len(tests) > 0 {
		fmt.Fprintf(&b, ", tests: %s", goList(tests))
	}
	b.WriteString("},")
	return b.String()
}

// outside returns the imports of self that are not of the standard library,
// module prefix removed, sorted, without self.
func outside(self string, imports []string, mod map[string]bool) []string {
	var out []string
	for _, imp := range imports {
		imp = rel(imp)
		if imp == self || (standard(imp) && !mod[imp]) {
			continue
		}
		out = append(out, imp)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func goList(s []string) string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = fmt.Sprintf("%q", v)
	}
	return "[]string{" + strings.Join(q, ", ") + "}"
}

// TestImports checks every package of the module against its row of rules:
// a package without a row, a row without a package and an import its row
// does not allow all fail, with the row to add or to change.
func TestImports(t *testing.T) {
	pkgs := listModule(t)
	mod := make(map[string]bool, len(pkgs))
	for _, p := range pkgs {
		mod[p.ImportPath] = true
	}
	byPkg := make(map[string]int, len(rules))
	for i, r := range rules {
		if _, dup := byPkg[r.pkg]; dup {
			t.Errorf("rules has two rows for %s: keep one", r.pkg)
		}
		byPkg[r.pkg] = i
		if !mod[r.pkg] {
			t.Errorf("rules has a row for %s, which is no package of the module: remove the row from internal/archtest/imports_test.go", r.pkg)
		}
	}
	for _, p := range pkgs {
		t.Run(p.ImportPath, func(t *testing.T) {
			i, ok := byPkg[p.ImportPath]
			if !ok {
				t.Fatalf("%s has no import rule: add its row to rules in internal/archtest/imports_test.go, in the group it belongs to, once you have checked that what it imports today fits the layering:\n\t%s", p.ImportPath, newRow(p, mod))
			}
			r := rules[i]
			var bad, badImports, badTests []string
			for _, imp := range p.Imports {
				if imp = rel(imp); !permitted(r.imports, imp, mod) && !slices.Contains(badImports, imp) {
					badImports = append(badImports, imp)
					bad = append(bad, imp)
				}
			}
			tests := append(slices.Clone(r.imports), r.tests...)
			tests = append(tests, "testing")
			for _, imp := range append(slices.Clone(p.TestImports), p.XTestImports...) {
				if imp = rel(imp); imp != p.ImportPath && !permitted(tests, imp, mod) && !slices.Contains(badImports, imp) && !slices.Contains(badTests, imp) {
					badTests = append(badTests, imp)
					bad = append(bad, imp+" (from a _test.go file)")
				}
			}
			if len(bad) > 0 {
				row := formatRow(r.pkg, append(slices.Clone(r.imports), badImports...), append(slices.Clone(r.tests), badTests...))
				t.Errorf("%s imports %s, which its rule does not allow. Remove the import, or, if the layering allows it (docs/decisions.md, \"Import rules\"), change its row in internal/archtest/imports_test.go and its doc comment to:\n\t%s",
					p.ImportPath, strings.Join(bad, ", "), row)
			}
		})
	}
}

// importRule matches the sentence of a doc comment that says what the
// package may import: "It may import …", "It imports only …".
var importRule = regexp.MustCompile(`\b(may import|imports)\b`)

// TestDocSaysImports checks that every package's doc comment says what the
// package may import, where a reader of the package looks first.
func TestDocSaysImports(t *testing.T) {
	for _, p := range listModule(t) {
		t.Run(p.ImportPath, func(t *testing.T) {
			var docs []string
			fset := token.NewFileSet()
			for _, name := range p.GoFiles {
				f, err := parser.ParseFile(fset, filepath.Join(p.Dir, name), nil, parser.PackageClauseOnly|parser.ParseComments)
				if err != nil {
					t.Fatal(err)
				}
				if f.Doc != nil {
					docs = append(docs, name)
					if text := f.Doc.Text(); !importRule.MatchString(text) {
						t.Errorf("%s: the doc comment of %s does not say what it may import: add a sentence such as \"It may import only the standard library and package charte.\"", filepath.Join(p.ImportPath, name), p.ImportPath)
					}
				}
			}
			if len(docs) != 1 {
				t.Errorf("%s has a package doc comment in %d files %v: want exactly one, in doc.go or the package's main file, saying what the package is for and what it may import", p.ImportPath, len(docs), docs)
			}
		})
	}
}
