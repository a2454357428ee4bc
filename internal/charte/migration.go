package charte

import (
	"cmp"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
)

// MigrationVersion returns the number that starts a migration's file name,
// as 7 in migrations/0007_add_scan_schedule.sql. The same number names the
// same logical change in every store, so both stores read it with this one
// rule. It returns an error when the name does not start with a positive
// number and an underscore.
func MigrationVersion(name string) (int, error) {
	num, _, ok := strings.Cut(path.Base(name), "_")
	v, err := strconv.Atoi(num)
	if !ok || err != nil || v <= 0 {
		return 0, fmt.Errorf("migration %s: the name must start with a number and an underscore", name)
	}
	return v, nil
}

// Migration is one change of a store's schema, as embedded in the store's
// migrations folder. Each store applies its migrations in its own SQL
// dialect and transaction; which migrations there are, and in which order,
// is the same rule for every store, [Migrations].
type Migration struct {
	// Version is the number its file name starts with ([MigrationVersion]).
	Version int
	// Name is the file name, without the folder: 0007_add_scan_schedule.sql.
	Name string
	// SQL is the file's content, the statements to run.
	SQL string
}

// Migrations reads the migrations of a store, the *.sql files of dir in
// fsys, and returns them in the order to apply them. They must be numbered
// from 1 with no gap and no number used twice, so that a version names one
// change and a database at version n has had every change up to n; a
// folder that breaks the rule, or holds no migration, is an error, found by
// the store's tests before any release.
func Migrations(fsys fs.FS, dir string) ([]Migration, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.sql"))
	if err != nil {
		return nil, fmt.Errorf("list migrations: %w", err)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("list migrations: no *.sql file in %s", dir)
	}
	ms := make([]Migration, 0, len(names))
	for _, name := range names {
		version, err := MigrationVersion(name)
		if err != nil {
			return nil, err
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", name, err)
		}
		ms = append(ms, Migration{Version: version, Name: path.Base(name), SQL: string(body)})
	}
	// By number, not by name: 10_x.sql comes after 0009_y.sql.
	slices.SortFunc(ms, func(a, b Migration) int {
		return cmp.Or(cmp.Compare(a.Version, b.Version), strings.Compare(a.Name, b.Name))
	})
	for i, m := range ms {
		switch want := i + 1; {
		case m.Version < want:
			return nil, fmt.Errorf("migration %s: version %d is taken by %s", m.Name, m.Version, ms[i-1].Name)
		case m.Version > want:
			return nil, fmt.Errorf("migration %s: version %d is out of order, want %d: versions run from 1 with no gap", m.Name, m.Version, want)
		}
	}
	return ms, nil
}

// CheckSchemaVersion returns an error when a database's schema, at version
// applied (the highest migration it records), is newer than the last of
// migrations: a database migrated by a newer charte may have a schema this
// one does not know how to write, and is refused rather than corrupted.
func CheckSchemaVersion(applied int, migrations []Migration) error {
	latest := 0
	if len(migrations) > 0 {
		latest = migrations[len(migrations)-1].Version
	}
	if applied > latest {
		return fmt.Errorf("the database schema is at version %d, newer than this charte's %d", applied, latest)
	}
	return nil
}
