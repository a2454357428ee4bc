package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/charte/charte/internal/charte"
)

// MustWriteSparse writes a file of size bytes that starts with head and
// costs no disk: reading it would cost its size in memory.
func MustWriteSparse(tb testing.TB, path, head string, size int64) {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := f.WriteString(head); err != nil {
		tb.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
}

// TestTooLargeCharter checks that every command that reads a charter file
// refuses one over 1 MB with one line naming its size.
func TestTooLargeCharter(t *testing.T) {
	example, err := os.ReadFile("../../examples/data-aveyron-occitanie.yaml")
	if err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(t.TempDir(), "big.yaml")
	MustWriteSparse(t, big, string(example), 50<<20)
	want := big + ": charter is 50 MB, more than the 1 MB a charter may have\n"
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"check", []string{"check", big}},
		{"render", []string{"render", big}},
		{"serve", []string{"serve", "--addr", "127.0.0.1:0", "--db", "sqlite:" + filepath.Join(t.TempDir(), "c.db"), "--charter", big}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := MustRun(t, nil, tc.args...)
			if code != exitInvalid || stderr != want {
				t.Errorf("charte %s = %d %q, want %d %q", tc.name, code, stderr, exitInvalid, want)
			}
		})
	}
	t.Run("reload", func(t *testing.T) {
		_, err := loadCharters([]string{big}, "")
		if err == nil || err.Error()+"\n" != want {
			t.Errorf("loadCharters() = %v, want %s", err, want)
		}
	})
}

// TestCharterCheckerCache checks that the back office's check of a
// charter file parses it once for any number of views, and again once its
// content changes.
func TestCharterCheckerCache(t *testing.T) {
	example, err := os.ReadFile("../../examples/data-aveyron-occitanie.yaml")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "site.yaml")
	write := func(s string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c := newCharterChecker()
	calls := 0
	check := c.check
	c.check = func(name string, data []byte) []string {
		calls++
		return check(name, data)
	}
	ch := &charte.Charter{Source: path}
	invalid := strings.Replace(string(example), "purpose:", "purpos:", 1)
	for _, step := range []struct {
		name      string
		content   string // "" leaves the file as it is
		wantCalls int
		wantProbs int
	}{
		{"first view", string(example), 1, 0},
		{"second view", "", 1, 0},
		{"third view", "", 1, 0},
		{"same content written again", string(example), 1, 0},
		{"changed", invalid, 2, 2},
		{"view of the changed file", "", 2, 2},
		{"changed back", string(example), 3, 0},
	} {
		if step.content != "" {
			write(step.content)
		}
		probs := c.problems(ch)
		if calls != step.wantCalls || len(probs) != step.wantProbs {
			t.Errorf("%s: %d checks, problems %q; want %d checks, %d problems", step.name, calls, probs, step.wantCalls, step.wantProbs)
		}
	}
	if got := len(c.last); got != 1 {
		t.Errorf("cache holds %d entries for one file, want 1", got)
	}

	t.Run("built-in charter", func(t *testing.T) {
		if got := c.problems(&charte.Charter{}); got != nil {
			t.Errorf("problems(built-in) = %q, want none", got)
		}
	})
	t.Run("missing file", func(t *testing.T) {
		got := c.problems(&charte.Charter{Source: filepath.Join(t.TempDir(), "none.yaml")})
		if len(got) != 1 || !strings.Contains(got[0], "none.yaml") {
			t.Errorf("problems(missing file) = %q, want one naming the file", got)
		}
	})
	t.Run("too large", func(t *testing.T) {
		big := filepath.Join(t.TempDir(), "big.yaml")
		MustWriteSparse(t, big, string(example), 2<<20)
		want := []string{big + ": charter is 2 MB, more than the 1 MB a charter may have"}
		if diff := cmp.Diff(want, c.problems(&charte.Charter{Source: big})); diff != "" {
			t.Errorf("problems(2 MB file) mismatch (-want +got):\n%s", diff)
		}
	})
}

// TestCheckLongConsentCookie checks that charte check refuses a charter
// whose accept-all consent cookie would be longer than charte reads back,
// naming the ids to shorten.
func TestCheckLongConsentCookie(t *testing.T) {
	const file = "testdata/long-ids.yaml"
	code, stdout, stderr := MustRun(t, nil, "check", file)
	want := file + ":11:3: the consent cookie of a visitor who accepts every category would be 212 bytes, more than the 200 that charte reads back: " +
		"shorten the longest category ids by 12 characters in all, such as x" + strings.Repeat("a", 45) + " (46 characters)\n"
	if code != exitInvalid || stdout != "" || stderr != want {
		t.Errorf("charte check %s = %d %q %q, want %d and %q", file, code, stdout, stderr, exitInvalid, want)
	}
}
