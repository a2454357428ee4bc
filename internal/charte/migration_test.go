package charte_test

import (
	"testing"

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
