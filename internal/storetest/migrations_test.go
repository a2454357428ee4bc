package storetest

import (
	"os"
	"regexp"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestMigrationParity checks that both backends have the same migrations:
// the same number means the same logical change, so the numbers and names
// must match, start at 1 and have no gaps or duplicates.
func TestMigrationParity(t *testing.T) {
	name := regexp.MustCompile(`^(\d{4})_[a-z0-9_]+\.sql$`)
	read := func(dir string) []string {
		t.Helper()
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for i, e := range entries { // ReadDir sorts by name
			m := name.FindStringSubmatch(e.Name())
			if m == nil {
				t.Errorf("%s/%s: a migration is named like 0007_add_scan_schedule.sql", dir, e.Name())
				continue
			}
			if n, _ := strconv.Atoi(m[1]); n != i+1 {
				t.Errorf("%s/%s: number %d, want %d (no gap, no duplicate)", dir, e.Name(), n, i+1)
			}
			names = append(names, e.Name())
		}
		if len(names) == 0 {
			t.Errorf("%s: no migrations", dir)
		}
		return names
	}
	sqlite := read("../sqlite/migrations")
	postgres := read("../postgres/migrations")
	if diff := cmp.Diff(sqlite, postgres); diff != "" {
		t.Errorf("migrations differ (-sqlite +postgres):\n%s", diff)
	}
}
