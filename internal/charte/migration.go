package charte

import (
	"fmt"
	"path"
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
