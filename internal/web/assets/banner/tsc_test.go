package banner

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestTypeCheck runs tsc --strict --noEmit on src/ (tsconfig.json): esbuild
// strips the types without checking them, so a type error would otherwise
// ship. Without TypeScript it skips, unless CHARTE_TEST_REQUIRE_TSC is set,
// as .ci/run sets it.
func TestTypeCheck(t *testing.T) {
	tsc, err := findTSC()
	if err != nil {
		if os.Getenv("CHARTE_TEST_REQUIRE_TSC") != "" {
			t.Fatalf("CHARTE_TEST_REQUIRE_TSC is set: %v", err)
		}
		t.Skipf("%v (npm install --prefix ~/.cache/charte-tsc typescript@5, as .ci/run does)", err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, tsc, "--project", ".", "--strict", "--noEmit", "--pretty", "false").CombinedOutput()
	if err != nil {
		t.Errorf("%s --strict --noEmit: %v\n%s", tsc, err, out)
	}
}

// findTSC returns the TypeScript compiler to run: $CHARTE_TEST_TSC, else
// tsc on PATH, else the one .ci/run installs in ~/.cache/charte-tsc.
func findTSC() (string, error) {
	if p := os.Getenv("CHARTE_TEST_TSC"); p != "" {
		return p, nil
	}
	if p, err := exec.LookPath("tsc"); err == nil {
		return p, nil
	}
	if home, err := os.UserHomeDir(); err == nil {
		p := filepath.Join(home, ".cache", "charte-tsc", "node_modules", ".bin", "tsc")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no TypeScript compiler: neither $CHARTE_TEST_TSC, tsc on PATH nor ~/.cache/charte-tsc")
}
