package consent

import (
	"go/build"
	"strings"
	"testing"
)

// TestStandardLibraryOnly keeps the public package free of dependencies:
// any Go app can import it without pulling in charte's.
func TestStandardLibraryOnly(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range pkg.Imports {
		if first, _, _ := strings.Cut(imp, "/"); strings.Contains(first, ".") {
			t.Errorf("consent imports %s: it may import only the standard library", imp)
		}
	}
}
