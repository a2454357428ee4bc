package chromium

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestFind(t *testing.T) {
	dir := t.TempDir()
	fake := filepath.Join(dir, "chromium-browser")
	if err := os.WriteFile(fake, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	for _, tc := range []struct {
		name, path, want string
		wantErr          bool
	}{
		{name: "first on PATH", want: fake},
		{name: "a path", path: fake, want: fake},
		{name: "a command", path: "chromium-browser", want: fake},
		{name: "a missing path", path: filepath.Join(dir, "nothing"), wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Find(tc.path)
			if got != tc.want || (err != nil) != tc.wantErr {
				t.Errorf("Find(%q) = %q, %v; want %q (error: %v)", tc.path, got, err, tc.want, tc.wantErr)
			}
		})
	}
	t.Run("none", func(t *testing.T) {
		t.Setenv("PATH", t.TempDir())
		if got, err := Find(""); !errors.Is(err, ErrNotFound) {
			t.Errorf("Find() with no browser on PATH = %q, %v; want ErrNotFound", got, err)
		}
	})
}
