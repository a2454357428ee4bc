package charte

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Unit is the unit of a [Duration].
type Unit string

// Units of a [Duration], as written in charter files.
const (
	UnitHour  Unit = "h"
	UnitDay   Unit = "d"
	UnitWeek  Unit = "w"
	UnitMonth Unit = "mo"
	UnitYear  Unit = "y"
)

// Duration is a calendar duration as written in charters: 12h, 30d, 2w, 6mo,
// 1y. Months and years are calendar months and years, not fixed hours.
type Duration struct {
	N    int
	Unit Unit
}

// ParseDuration parses a duration such as 30d, 6mo or 1y. Spaces between the
// number and the unit, and long unit names (days, months, years), are accepted.
func ParseDuration(s string) (Duration, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 {
		return Duration{}, fmt.Errorf("duration %q must start with a number, as in 30d, 6mo or 1y", s)
	}
	n, err := strconv.Atoi(s[:i])
	if err != nil || n <= 0 || n > 100000 {
		return Duration{}, fmt.Errorf("duration %q: the number must be between 1 and 100000", s)
	}
	var u Unit
	switch strings.TrimSpace(s[i:]) {
	case "h", "hour", "hours":
		u = UnitHour
	case "d", "day", "days":
		u = UnitDay
	case "w", "week", "weeks":
		u = UnitWeek
	case "mo", "month", "months":
		u = UnitMonth
	case "y", "year", "years":
		u = UnitYear
	default:
		return Duration{}, fmt.Errorf("duration %q has an unknown unit: use h, d, w, mo or y, as in 30d, 6mo or 1y", s)
	}
	return Duration{N: n, Unit: u}, nil
}

// MustParseDuration is [ParseDuration] for constants; it panics on error.
func MustParseDuration(s string) Duration {
	d, err := ParseDuration(s)
	if err != nil {
		panic(err)
	}
	return d
}

// IsZero reports whether d is the zero duration.
func (d Duration) IsZero() bool { return d.N == 0 }

// String returns d in its canonical form: 30d, 6mo, 1y.
func (d Duration) String() string {
	if d.IsZero() {
		return ""
	}
	return strconv.Itoa(d.N) + string(d.Unit)
}

// AddTo returns t moved forward by d, in calendar terms.
func (d Duration) AddTo(t time.Time) time.Time {
	switch d.Unit {
	case UnitHour:
		return t.Add(time.Duration(d.N) * time.Hour)
	case UnitDay:
		return t.AddDate(0, 0, d.N)
	case UnitWeek:
		return t.AddDate(0, 0, 7*d.N)
	case UnitMonth:
		return t.AddDate(0, d.N, 0)
	case UnitYear:
		return t.AddDate(d.N, 0, 0)
	}
	return t
}

// Approx returns d as a fixed time.Duration, counting a month as 1/12 of a
// 365.25-day year. Use it to compare durations, not to compute dates.
func (d Duration) Approx() time.Duration {
	const day = 24 * time.Hour
	n := time.Duration(d.N)
	switch d.Unit {
	case UnitHour:
		return n * time.Hour
	case UnitDay:
		return n * day
	case UnitWeek:
		return n * 7 * day
	case UnitMonth:
		return n * (36525 * day / 1200)
	case UnitYear:
		return n * (36525 * day / 100)
	}
	return 0
}

// Longer reports whether d is longer than o.
func (d Duration) Longer(o Duration) bool { return d.Approx() > o.Approx() }

// MarshalText writes the canonical form.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses the canonical form (or any form [ParseDuration] accepts).
func (d *Duration) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Duration{}
		return nil
	}
	v, err := ParseDuration(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Lifetime is how long a cookie lives: for the browser session, or a [Duration].
type Lifetime struct {
	Session  bool
	Duration Duration
}

// SessionLifetime is the lifetime of a cookie that ends with the browser session.
var SessionLifetime = Lifetime{Session: true}

// ParseLifetime parses "session" or a [Duration].
func ParseLifetime(s string) (Lifetime, error) {
	if strings.EqualFold(strings.TrimSpace(s), "session") {
		return SessionLifetime, nil
	}
	d, err := ParseDuration(s)
	if err != nil {
		return Lifetime{}, fmt.Errorf("lifetime must be \"session\" or a duration: %w", err)
	}
	return Lifetime{Duration: d}, nil
}

// String returns "session" or the duration's canonical form.
func (l Lifetime) String() string {
	if l.Session {
		return "session"
	}
	return l.Duration.String()
}

// MarshalJSON writes the lifetime as a string.
func (l Lifetime) MarshalJSON() ([]byte, error) { return json.Marshal(l.String()) }

// UnmarshalJSON reads a lifetime written by MarshalJSON.
func (l *Lifetime) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("lifetime: %w", err)
	}
	v, err := ParseLifetime(s)
	if err != nil {
		return err
	}
	*l = v
	return nil
}
