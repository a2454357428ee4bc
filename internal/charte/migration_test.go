package charte_test

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/charte/charte/internal/charte"
)

func TestMigrationVersion(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    int
		wantErr bool
	}{
		{name: "embedded path", in: "migrations/0007_add_scan_schedule.sql", want: 7},
		{name: "bare name", in: "0001_consent_log.sql", want: 1},
		{name: "no leading zeros", in: "12_more.sql", want: 12},
		{name: "underscores in the rest", in: "migrations/0003_back_office_users.sql", want: 3},
		{name: "no underscore", in: "migrations/0007.sql", wantErr: true},
		{name: "no number", in: "migrations/add_scan_schedule.sql", wantErr: true},
		{name: "number not first", in: "migrations/v7_add.sql", wantErr: true},
		{name: "zero", in: "migrations/0000_nothing.sql", wantErr: true},
		{name: "negative", in: "migrations/-1_back.sql", wantErr: true},
		{name: "empty", in: "", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := charte.MigrationVersion(tc.in)
			if (err != nil) != tc.wantErr {
				t.Fatalf("MigrationVersion(%q) error = %v, want error %t", tc.in, err, tc.wantErr)
			}
			if got != tc.want {
				t.Errorf("MigrationVersion(%q) = %d, want %d", tc.in, got, tc.want)
			}
		})
	}
}

func TestMigrationVersionMessage(t *testing.T) {
	_, err := charte.MigrationVersion("migrations/init.sql")
	const want = "migration migrations/init.sql: the name must start with a number and an underscore"
	if err == nil || err.Error() != want {
		t.Errorf("MigrationVersion(%q) error = %v, want %q", "migrations/init.sql", err, want)
	}
}

func TestMigrations(t *testing.T) {
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	tests := []struct {
		name    string
		fsys    fstest.MapFS
		dir     string
		want    []charte.Migration
		wantErr string
	}{
		{
			name: "sorted by version, not by name",
			fsys: fstest.MapFS{
				"migrations/10_ten.sql":    file("ten"),
				"migrations/0002_two.sql":  file("two"),
				"migrations/0001_one.sql":  file("one"),
				"migrations/3_three.sql":   file("three"),
				"migrations/0004_four.sql": file("four"),
				"migrations/0005_5.sql":    file("5"),
				"migrations/0006_6.sql":    file("6"),
				"migrations/0007_7.sql":    file("7"),
				"migrations/0008_8.sql":    file("8"),
				"migrations/0009_9.sql":    file("9"),
			},
			dir: "migrations",
			want: []charte.Migration{
				{Version: 1, Name: "0001_one.sql", SQL: "one"},
				{Version: 2, Name: "0002_two.sql", SQL: "two"},
				{Version: 3, Name: "3_three.sql", SQL: "three"},
				{Version: 4, Name: "0004_four.sql", SQL: "four"},
				{Version: 5, Name: "0005_5.sql", SQL: "5"},
				{Version: 6, Name: "0006_6.sql", SQL: "6"},
				{Version: 7, Name: "0007_7.sql", SQL: "7"},
				{Version: 8, Name: "0008_8.sql", SQL: "8"},
				{Version: 9, Name: "0009_9.sql", SQL: "9"},
				{Version: 10, Name: "10_ten.sql", SQL: "ten"},
			},
		},
		{
			name: "only the folder's sql files",
			fsys: fstest.MapFS{
				"m/0001_one.sql":       file("one"),
				"m/README":             file("not a migration"),
				"m/old/0002_x.sql":     file("a subfolder"),
				"other/0002_other.sql": file("another folder"),
			},
			dir:  "m",
			want: []charte.Migration{{Version: 1, Name: "0001_one.sql", SQL: "one"}},
		},
		{
			name: "root folder",
			fsys: fstest.MapFS{"0001_one.sql": file("one")},
			dir:  ".",
			want: []charte.Migration{{Version: 1, Name: "0001_one.sql", SQL: "one"}},
		},
		{
			name: "a gap",
			fsys: fstest.MapFS{
				"migrations/0001_one.sql":   file("one"),
				"migrations/0003_three.sql": file("three"),
			},
			dir:     "migrations",
			wantErr: "migration 0003_three.sql: version 3 is out of order, want 2: versions run from 1 with no gap",
		},
		{
			name:    "not starting at 1",
			fsys:    fstest.MapFS{"migrations/0002_two.sql": file("two")},
			dir:     "migrations",
			wantErr: "migration 0002_two.sql: version 2 is out of order, want 1: versions run from 1 with no gap",
		},
		{
			name: "a number used twice",
			fsys: fstest.MapFS{
				"migrations/0001_one.sql":   file("one"),
				"migrations/0002_a.sql":     file("a"),
				"migrations/0002_b.sql":     file("b"),
				"migrations/0003_three.sql": file("three"),
			},
			dir:     "migrations",
			wantErr: "migration 0002_b.sql: version 2 is taken by 0002_a.sql",
		},
		{
			name: "the same number written twice",
			fsys: fstest.MapFS{
				"migrations/0001_one.sql": file("one"),
				"migrations/1_one.sql":    file("one again"),
			},
			dir:     "migrations",
			wantErr: "migration 1_one.sql: version 1 is taken by 0001_one.sql",
		},
		{
			name: "a name without a number",
			fsys: fstest.MapFS{
				"migrations/0001_one.sql": file("one"),
				"migrations/init.sql":     file("init"),
			},
			dir:     "migrations",
			wantErr: "migration migrations/init.sql: the name must start with a number and an underscore",
		},
		{
			name:    "no migration",
			fsys:    fstest.MapFS{"migrations/README": file("none")},
			dir:     "migrations",
			wantErr: "list migrations: no *.sql file in migrations",
		},
		{
			name:    "bad pattern",
			fsys:    fstest.MapFS{"migrations/0001_one.sql": file("one")},
			dir:     "[",
			wantErr: "list migrations: syntax error in pattern",
		},
		{
			name:    "unreadable",
			fsys:    fstest.MapFS{"migrations/0001_one.sql": &fstest.MapFile{Mode: fs.ModeDir}},
			dir:     "migrations",
			wantErr: "read migration migrations/0001_one.sql: ",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := charte.Migrations(tc.fsys, tc.dir)
			if tc.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tc.wantErr) {
					t.Fatalf("Migrations(%s) error = %v, want %q", tc.dir, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Migrations(%s) error = %v", tc.dir, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Migrations(%s) (-want +got):\n%s", tc.dir, diff)
			}
		})
	}
}

func TestCheckSchemaVersion(t *testing.T) {
	three := []charte.Migration{{Version: 1}, {Version: 2}, {Version: 3}}
	tests := []struct {
		name       string
		applied    int
		migrations []charte.Migration
		wantErr    string
	}{
		{name: "fresh database", applied: 0, migrations: three},
		{name: "older schema", applied: 2, migrations: three},
		{name: "same schema", applied: 3, migrations: three},
		{name: "newer schema", applied: 4, migrations: three, wantErr: "the database schema is at version 4, newer than this charte's 3"},
		{name: "no migration known", applied: 1, wantErr: "the database schema is at version 1, newer than this charte's 0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := charte.CheckSchemaVersion(tc.applied, tc.migrations)
			if got := fmt.Sprint(err); (tc.wantErr == "" && err != nil) || (tc.wantErr != "" && got != tc.wantErr) {
				t.Errorf("CheckSchemaVersion(%d) = %v, want %q", tc.applied, err, tc.wantErr)
			}
		})
	}
}
