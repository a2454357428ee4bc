package archtest

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/charte/charte/internal/charte"
)

// TestMigrationParity checks that the two stores have the same migrations:
// the same number names the same logical change in both, so a database
// moved from one store to the other is at the same version. Each folder
// must pass [charte.Migrations] (numbered from 1, no gap, no number twice).
func TestMigrationParity(t *testing.T) {
	names := map[string][]string{}
	for _, store := range []string{"sqlite", "postgres"} {
		ms, err := charte.Migrations(os.DirFS(filepath.Join("..", store)), "migrations")
		if err != nil {
			t.Fatalf("%s: %v", store, err)
		}
		for _, m := range ms {
			names[store] = append(names[store], m.Name)
		}
	}
	if !slices.Equal(names["sqlite"], names["postgres"]) {
		t.Errorf("the stores' migrations differ: give each change the same number and name in internal/sqlite/migrations and internal/postgres/migrations\nsqlite:   %v\npostgres: %v", names["sqlite"], names["postgres"])
	}
}
