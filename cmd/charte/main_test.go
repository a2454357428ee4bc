package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charte/charte/consent"
	"github.com/charte/charte/internal/charterfile"
)

// syncBuffer is a bytes.Buffer safe for a command writing while a test reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// MustRun runs a charte command line to completion and returns its exit
// code, standard output and standard error.
func MustRun(tb testing.TB, vars map[string]string, args ...string) (int, string, string) {
	tb.Helper()
	var stdout, stderr syncBuffer
	c := &cli{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return vars[k] }}
	code := c.run(context.Background(), args)
	return code, stdout.String(), stderr.String()
}

// runningServer is a `charte serve` started by a test.
type runningServer struct {
	URL    string
	hup    chan os.Signal
	stderr *syncBuffer
	done   chan int
}

// MustRunServe starts `charte serve` on a free loopback port with args and
// stops it when the test ends.
func MustRunServe(tb testing.TB, vars map[string]string, args ...string) *runningServer {
	tb.Helper()
	return mustRunServer(tb, "serve", vars, args...)
}

// mustRunServer starts a command that listens (serve, proxy) on a free
// loopback port and stops it, expecting a clean exit, when the test ends.
func mustRunServer(tb testing.TB, command string, vars map[string]string, args ...string) *runningServer {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	rs := &runningServer{hup: make(chan os.Signal, 1), stderr: &syncBuffer{}, done: make(chan int, 1)}
	addr := make(chan string, 1)
	c := &cli{
		stdin: strings.NewReader(""), stdout: io.Discard, stderr: rs.stderr,
		getenv: func(k string) string { return vars[k] },
		ready:  func(a string) { addr <- a },
		hup:    rs.hup,
	}
	go func() { rs.done <- c.run(ctx, append([]string{command, "--addr", "127.0.0.1:0"}, args...)) }()
	select {
	case a := <-addr:
		rs.URL = "http://" + a
	case code := <-rs.done:
		cancel()
		tb.Fatalf("charte %s exited with %d:\n%s", command, code, rs.stderr.String())
	case <-time.After(30 * time.Second):
		cancel()
		tb.Fatalf("charte %s did not start:\n%s", command, rs.stderr.String())
	}
	tb.Cleanup(func() {
		cancel()
		if code := <-rs.done; code != exitOK {
			tb.Errorf("charte %s exited with %d, want 0 after shutdown", command, code)
		}
	})
	return rs
}

func getJSON(tb testing.TB, url string, v any) int {
	tb.Helper()
	resp, err := http.Get(url)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		tb.Fatalf("GET %s: decode: %v", url, err)
	}
	return resp.StatusCode
}

type siteJSON struct {
	ID      string `json:"id"`
	Version string `json:"version"`
}

func TestServeEndToEnd(t *testing.T) {
	db := filepath.Join(t.TempDir(), "charte.db")
	rs := MustRunServe(t, nil, "--db", "sqlite:"+db)

	for _, tc := range []struct {
		path, want string
	}{
		{"/cookies", "cookies_preferences"},
		{"/cookies?lang=en", "Remembers the visitor"},
		{"/", "/cookies"},
		{"/healthz", "ok"},
		{"/readyz", "ready"},
	} {
		resp, err := http.Get(rs.URL + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), tc.want) {
			t.Errorf("GET %s = %d, want 200 with %q", tc.path, resp.StatusCode, tc.want)
		}
	}
	var sites []siteJSON
	if code := getJSON(t, rs.URL+"/api/v1/sites", &sites); code != 200 || len(sites) != 1 || sites[0].ID != "charte" {
		t.Errorf("GET /api/v1/sites = %d %+v, want the built-in site", code, sites)
	}
	if _, err := os.Stat(db); err != nil {
		t.Errorf("the SQLite database was not created: %v", err)
	}
}

func TestServeEnvironment(t *testing.T) {
	dir := t.TempDir()
	rs := MustRunServe(t, map[string]string{
		"CHARTE_DB":      "sqlite:" + filepath.Join(dir, "env.db"),
		"CHARTE_CHARTER": "../../examples/data-aveyron-occitanie.yaml",
	})
	var sites []siteJSON
	getJSON(t, rs.URL+"/api/v1/sites", &sites)
	if len(sites) != 1 || sites[0].ID != "data-aveyron" {
		t.Errorf("sites = %+v, want data-aveyron from CHARTE_CHARTER", sites)
	}
	if _, err := os.Stat(filepath.Join(dir, "env.db")); err != nil {
		t.Errorf("CHARTE_DB was not used: %v", err)
	}
}

func TestServeReload(t *testing.T) {
	dir := t.TempDir()
	example, err := os.ReadFile("../../examples/data-aveyron-occitanie.yaml")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "site.yaml")
	write := func(s string) {
		if err := os.WriteFile(file, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(string(example))
	rs := MustRunServe(t, nil, "--db", "sqlite:"+filepath.Join(dir, "c.db"), "--charter", file)
	version := func() string {
		var sites []siteJSON
		getJSON(t, rs.URL+"/api/v1/sites", &sites)
		return sites[0].Version
	}
	// waitVersion polls until the reload has been applied (or not).
	waitFor := func(cond func() bool) bool {
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if cond() {
				return true
			}
		}
		return false
	}
	v1 := version()

	// An invalid file on reload is logged; the previous charter stays.
	write(strings.Replace(string(example), "purpose:", "purpos:", 1))
	rs.hup <- os.Interrupt
	if !waitFor(func() bool { return strings.Contains(rs.stderr.String(), "keeping the previous ones") }) {
		t.Fatalf("invalid reload was not logged:\n%s", rs.stderr.String())
	}
	if got := version(); got != v1 {
		t.Errorf("after an invalid reload, version = %s, want %s kept", got, v1)
	}

	// A valid change is served after reload, with a new version.
	write(strings.Replace(string(example), "Se souvenir de la langue du visiteur", "Mémoriser la langue choisie", 1))
	rs.hup <- os.Interrupt
	if !waitFor(func() bool { return version() != v1 }) {
		t.Errorf("after a valid reload, the version is still %s", v1)
	}
}

func TestServeBadFlags(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"bad db", []string{"serve", "--db", "mysql://x"}, exitUsage, "use sqlite:PATH or postgres://"},
		{"invalid charter", []string{"serve", "--addr", "127.0.0.1:0", "--charter", "testdata/invalid.yaml"}, exitInvalid, "testdata/invalid.yaml:"},
		{"missing charter", []string{"serve", "--charter", "testdata/none.yaml"}, exitInvalid, "none.yaml"},
		{"stray argument", []string{"serve", "site.yaml"}, exitUsage, "unexpected argument"},
		{"bad log format", []string{"serve", "--log-format", "xml"}, exitUsage, "--log-format"},
		{"bad public url", []string{"serve", "--public-url", "consent.example.org"}, exitUsage, "--public-url"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := MustRun(t, nil, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.want) {
				t.Errorf("charte %v = %d %q, want %d with %q", tc.args, code, stderr, tc.code, tc.want)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		name       string
		files      []string
		code       int
		wantStdout string
		wantStderr []string
	}{
		{name: "valid", files: []string{"../../examples/data-aveyron-occitanie.yaml"}, code: exitOK, wantStdout: "ok: site \"data-aveyron\""},
		{name: "invalid", files: []string{"testdata/invalid.yaml"}, code: exitInvalid, wantStderr: []string{"testdata/invalid.yaml:5:3: unknown key \"langages\" in site; did you mean \"languages\"?", "testdata/invalid.yaml:16:15: "}},
		{name: "one of two invalid", files: []string{"../../examples/data-aveyron-occitanie.yaml", "testdata/invalid.yaml"}, code: exitInvalid, wantStdout: "ok"},
		{name: "missing file", files: []string{"testdata/none.yaml"}, code: exitInvalid, wantStderr: []string{"testdata/none.yaml"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := MustRun(t, nil, append([]string{"check"}, tc.files...)...)
			if code != tc.code {
				t.Errorf("charte check %v = %d, want %d; stderr:\n%s", tc.files, code, tc.code, stderr)
			}
			if !strings.Contains(stdout, tc.wantStdout) {
				t.Errorf("stdout = %q, want %q", stdout, tc.wantStdout)
			}
			for _, w := range tc.wantStderr {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr = %q, want %q", stderr, w)
				}
			}
		})
	}
}

// TestCheckContrast checks that charte check reports each pair of theme
// colours under WCAG 2.2 AA at the key that set it, with the ratio, and
// nothing else.
func TestCheckContrast(t *testing.T) {
	const f = "testdata/low-contrast.yaml"
	code, stdout, stderr := MustRun(t, nil, "check", f)
	want := f + ":13:11: accent #7f7fff on background #fff has a contrast of 3.29:1, under the 4.5:1 WCAG 2.2 AA asks for links: darken it\n" +
		f + ":13:11: accent_text #f5f5fe on accent #7f7fff has a contrast of 3.03:1, under the 4.5:1 WCAG 2.2 AA asks for the text of buttons: darken accent\n" +
		f + ":14:9: text #777 on background #fff has a contrast of 4.47:1, under the 4.5:1 WCAG 2.2 AA asks for text: darken it\n" +
		f + ":16:17: in dark mode, accent #8585f6 on background #eee has a contrast of 2.7:1, under the 3:1 WCAG 2.2 AA asks for the switch and the focus ring: darken background\n" +
		f + ":16:17: in dark mode, text #cecece on background #eee has a contrast of 1.35:1, under the 4.5:1 WCAG 2.2 AA asks for text: darken background\n"
	if code != exitInvalid || stdout != "" || stderr != want {
		t.Errorf("charte check %s = %d, stdout %q, stderr:\n%s\nwant %d, stderr:\n%s", f, code, stdout, stderr, exitInvalid, want)
	}
}

func TestInitIsValid(t *testing.T) {
	code, out, _ := MustRun(t, nil, "init")
	if code != exitOK || !strings.Contains(out, "# ") {
		t.Fatalf("charte init = %d, want a commented charter", code)
	}
	file := filepath.Join(t.TempDir(), "charte.yaml")
	if err := os.WriteFile(file, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := MustRun(t, nil, "check", file); code != exitOK {
		t.Errorf("charte check on charte init's output = %d:\n%s", code, stderr)
	}
	// The banner's keys, commented out, are valid once the # is removed.
	var on []string
	for _, line := range strings.Split(out, "\n") {
		if rest, ok := strings.CutPrefix(line, "# "); ok && (strings.HasPrefix(rest, "options:") || strings.HasPrefix(rest, "theme:") || strings.HasPrefix(rest, "services:") || strings.HasPrefix(rest, "  ")) {
			line = rest
		}
		on = append(on, line)
	}
	if !strings.Contains(strings.Join(on, "\n"), "\ntheme:") {
		t.Fatal("charte init's output has no theme: key commented out")
	}
	if err := os.WriteFile(file, []byte(strings.Join(on, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := MustRun(t, nil, "check", file); code != exitOK {
		t.Errorf("charte check on charte init's output with its banner and services keys = %d:\n%s", code, stderr)
	}
}

func TestRender(t *testing.T) {
	const file = "../../examples/data-aveyron-occitanie.yaml"
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"render", file}, exitOK, "Se souvenir de l&#39;utilisateur"},
		{[]string{"render", "--lang", "en", file}, exitOK, "Remembers the user from one page to the next."},
		{[]string{"render", file, "--lang", "en", "--format", "md"}, exitOK, "| Opendatasoft |"},
		{[]string{"render", "--format", "json", file}, exitOK, `"version": "`},
		{[]string{"render", "--lang", "de", file}, exitUsage, "not one of the site's languages"},
		{[]string{"render", "--format", "pdf", file}, exitUsage, "not one of html, md, json"},
		{[]string{"render", "testdata/invalid.yaml"}, exitInvalid, "invalid.yaml:5:3"},
		{[]string{"render"}, exitUsage, "Usage: charte render"},
	} {
		t.Run(strings.Join(tc.args[1:], " "), func(t *testing.T) {
			code, stdout, stderr := MustRun(t, nil, tc.args...)
			if code != tc.code || !strings.Contains(stdout+stderr, tc.want) {
				t.Errorf("charte %v = %d, want %d with %q\nstdout: %.500s\nstderr: %s", tc.args, code, tc.code, tc.want, stdout, stderr)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"--help"}, {"serve", "--help"}, {"help", "render"}, {"check", "-h"}} {
		if code, stdout, stderr := MustRun(t, nil, args...); code != exitOK || stdout+stderr == "" {
			t.Errorf("charte %v = %d with no help text", args, code)
		}
	}
	if code, _, stderr := MustRun(t, nil, "frobnicate"); code != exitUsage || !strings.Contains(stderr, "unknown command") {
		t.Errorf("charte frobnicate = %d %q, want 2 and unknown command", code, stderr)
	}
}

// TestRenderedJSONFeedsTheMiddleware checks that the JSON `charte render`
// prints is what the public consent package loads.
func TestRenderedJSONFeedsTheMiddleware(t *testing.T) {
	code, out, stderr := MustRun(t, nil, "render", "--format", "json", "../../examples/data-aveyron-occitanie.yaml")
	if code != exitOK {
		t.Fatalf("render: %d %s", code, stderr)
	}
	ch, err := consent.ParseCharter([]byte(out))
	if err != nil {
		t.Fatalf("consent.ParseCharter(render output): %v", err)
	}
	own, err := charterfile.Load("../../examples/data-aveyron-occitanie.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if ch.Version != own.Version || len(ch.Cookies) != 4 || ch.Cookies[0].Category != "necessary" {
		t.Errorf("consent charter = version %q, %d cookies; want %q and the 4 cookies", ch.Version, len(ch.Cookies), own.Version)
	}
}

// TestExportVerify records decisions through a running server, then exports
// the log and verifies it, before and after a record is tampered with.
func TestExportVerify(t *testing.T) {
	db := filepath.Join(t.TempDir(), "log.db")
	rs := MustRunServe(t, nil, "--db", "sqlite:"+db)
	var sites []siteJSON
	getJSON(t, rs.URL+"/api/v1/sites", &sites)
	for _, m := range []string{"reject_all", "accept_all", "custom"} {
		body := `{"site":"charte","charter_version":"` + sites[0].Version + `","method":"` + m + `"}`
		resp, err := http.Post(rs.URL+"/api/v1/consents", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("POST %s = %d", m, resp.StatusCode)
		}
	}
	dsn := "sqlite:" + db

	code, out, stderr := MustRun(t, nil, "export", "--db", dsn)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != exitOK || len(lines) != 4 || !strings.HasPrefix(lines[0], "seq,id,site") || !strings.Contains(lines[1], "reject_all") {
		t.Errorf("export = %d, %d lines:\n%s%s", code, len(lines), out, stderr)
	}
	code, out, _ = MustRun(t, nil, "export", "--db", dsn, "--format", "jsonl", "--site", "charte", "--since", "2000-01-01")
	if code != exitOK || strings.Count(out, "\n") != 3 || !strings.Contains(out, `"method":"custom"`) {
		t.Errorf("export jsonl = %d:\n%s", code, out)
	}
	if code, out, _ := MustRun(t, nil, "export", "--db", dsn, "--site", "other"); code != exitOK || strings.Count(out, "\n") != 1 {
		t.Errorf("export --site other = %d, want only the header:\n%s", code, out)
	}
	if code, _, stderr := MustRun(t, nil, "export", "--db", dsn, "--since", "yesterday"); code != exitUsage || !strings.Contains(stderr, "--since") {
		t.Errorf("export --since yesterday = %d %q, want a usage error", code, stderr)
	}
	if code, out, _ := MustRun(t, nil, "verify", "--db", dsn); code != exitOK || !strings.Contains(out, "3 records") {
		t.Errorf("verify = %d %q, want intact with 3 records", code, out)
	}

	// Edit the second decision behind charte's back.
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	// The database refuses the change until its guard is dropped, as an
	// intruder allowed to alter tables would.
	if _, err := raw.Exec(`UPDATE decisions SET method = 'accept_all' WHERE seq = 3`); err == nil {
		t.Fatal("UPDATE of a recorded decision accepted, want the append-only trigger's error")
	}
	if _, err := raw.Exec(`DROP TRIGGER decisions_no_update`); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE decisions SET method = 'accept_all' WHERE seq = 3`); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = MustRun(t, nil, "verify", "--db", dsn)
	if code != exitInvalid || !strings.Contains(stderr, "record 3") {
		t.Errorf("verify after tampering = %d %q, want 1 naming record 3", code, stderr)
	}
}

func TestUserCommands(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "users.db")
	run := func(stdin string, args ...string) (int, string, string) {
		var stdout, stderr syncBuffer
		c := &cli{stdin: strings.NewReader(stdin), stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
		code := c.run(context.Background(), append(args, "--db", dsn))
		return code, stdout.String(), stderr.String()
	}
	for _, tc := range []struct {
		name  string
		stdin string
		args  []string
		code  int
		want  string
	}{
		{"add", "correct horse battery\n", []string{"user", "add", "alice"}, exitOK, `user "alice" created`},
		{"add again", "correct horse battery\n", []string{"user", "add", "alice"}, exitInvalid, "already exists"},
		{"too short", "short\n", []string{"user", "add", "bob"}, exitInvalid, "at least 12 characters"},
		{"no password", "", []string{"user", "add", "bob"}, exitInvalid, "no password"},
		{"list", "", []string{"user", "list"}, exitOK, "alice\t"},
		{"passwd", "another long password\n", []string{"user", "passwd", "alice"}, exitOK, "password changed"},
		{"passwd unknown", "another long password\n", []string{"user", "passwd", "nobody"}, exitInvalid, ""},
		{"bad verb", "", []string{"user", "remove", "alice"}, exitUsage, "Usage"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := run(tc.stdin, tc.args...)
			if code != tc.code || !strings.Contains(stdout+stderr, tc.want) {
				t.Errorf("charte %v = %d\nstdout: %s\nstderr: %s\nwant %d with %q", tc.args, code, stdout, stderr, tc.code, tc.want)
			}
		})
	}
}

// TestReadCommandsMissingDatabase checks that the commands that read what is
// recorded refuse a SQLite path where there is no database, naming it,
// rather than create an empty one and report on it.
func TestReadCommandsMissingDatabase(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
	}{
		{name: "verify", args: []string{"verify"}},
		{name: "export", args: []string{"export"}},
		{name: "export jsonl", args: []string{"export", "--format", "jsonl"}},
		{name: "user list", args: []string{"user", "list"}},
		{name: "user passwd", args: []string{"user", "passwd", "alice"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "mistyped.db")
			code, out, stderr := MustRun(t, nil, append(tc.args, "--db", "sqlite:"+path)...)
			if code != exitUsage || !strings.Contains(stderr, path) || !strings.Contains(stderr, "no such database") || out != "" {
				t.Errorf("charte %s on a missing database = %d, stdout %q, stderr %q; want %d naming %s", strings.Join(tc.args, " "), code, out, stderr, exitUsage, path)
			}
			if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("charte %s created %s (Stat: %v)", strings.Join(tc.args, " "), path, err)
			}
		})
	}
	// The command that starts a database still creates it.
	path := filepath.Join(t.TempDir(), "new.db")
	var stdout, stderr syncBuffer
	c := &cli{stdin: strings.NewReader("correct horse battery staple\n"), stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
	if code := c.run(context.Background(), []string{"user", "add", "alice", "--db", "sqlite:" + path}); code != exitOK {
		t.Fatalf("charte user add on a new database = %d, %s", code, stderr.String())
	}
	if code, out, stderr := MustRun(t, nil, "verify", "--db", "sqlite:"+path); code != exitOK || !strings.Contains(out, "0 records") {
		t.Errorf("verify on the database user add created = %d %q %q, want intact with 0 records", code, out, stderr)
	}
}

// TestServicesCharter checks that a charter naming its services passes
// charte check, and that charte render lists the services' cookies though
// the file declares none.
func TestServicesCharter(t *testing.T) {
	const file = "testdata/services.yaml"
	if code, stdout, stderr := MustRun(t, nil, "check", file); code != exitOK || !strings.Contains(stdout, "3 categories, 9 cookies") {
		t.Errorf("charte check %s = %d, stdout %q, stderr:\n%s", file, code, stdout, stderr)
	}
	code, stdout, stderr := MustRun(t, nil, "render", "--lang", "en", "--format", "md", file)
	if code != exitOK {
		t.Fatalf("charte render %s = %d:\n%s", file, code, stderr)
	}
	for _, want := range []string{
		"| Google Ireland Limited | Google Analytics 4 | `_ga` |",
		"| Google Ireland Limited | YouTube | `VISITOR_INFO1_LIVE` |",
		"| Matomo | Matomo | `_pk_id.*`",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("charte render %s has no %q:\n%s", file, want, stdout)
		}
	}
}

// TestServicesCommand checks charte services, and that the README's table
// of services is what it prints.
func TestServicesCommand(t *testing.T) {
	code, stdout, stderr := MustRun(t, nil, "services", "google-analytics-4")
	if code != exitOK || !strings.Contains(stdout, "  - id: google-analytics-4\n    measurement_id: G-XXXXXXXXXX") {
		t.Errorf("charte services google-analytics-4 = %d, %q, %q", code, stdout, stderr)
	}
	if code, _, stderr := MustRun(t, nil, "services", "youtub"); code != exitUsage || !strings.Contains(stderr, "did you mean youtube?") {
		t.Errorf("charte services youtub = %d, %q; want a usage error with a did you mean", code, stderr)
	}
	code, table, _ := MustRun(t, nil, "services", "--format", "md")
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "<!-- services:begin (charte services --format md) -->\n")
	got, _, ok2 := strings.Cut(rest, "<!-- services:end -->")
	if code != exitOK || !ok || !ok2 || got != table {
		t.Errorf("README's table of services is not charte services --format md's; paste it:\n%s", table)
	}
}
