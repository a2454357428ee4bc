package charte_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/charte/charte/internal/charte"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in      string
		want    charte.Duration
		wantErr string // a prefix of the error's message; "" for none
	}{
		{in: "30d", want: charte.Duration{N: 30, Unit: charte.UnitDay}},
		{in: "12h", want: charte.Duration{N: 12, Unit: charte.UnitHour}},
		{in: "2w", want: charte.Duration{N: 2, Unit: charte.UnitWeek}},
		{in: "6mo", want: charte.Duration{N: 6, Unit: charte.UnitMonth}},
		{in: "1y", want: charte.Duration{N: 1, Unit: charte.UnitYear}},
		{in: " 6 MO ", want: charte.Duration{N: 6, Unit: charte.UnitMonth}},
		{in: "1 year", want: charte.Duration{N: 1, Unit: charte.UnitYear}},
		{in: "3 hours", want: charte.Duration{N: 3, Unit: charte.UnitHour}},
		{in: "1 hour", want: charte.Duration{N: 1, Unit: charte.UnitHour}},
		{in: "2 days", want: charte.Duration{N: 2, Unit: charte.UnitDay}},
		{in: "1day", want: charte.Duration{N: 1, Unit: charte.UnitDay}},
		{in: "4 weeks", want: charte.Duration{N: 4, Unit: charte.UnitWeek}},
		{in: "1 week", want: charte.Duration{N: 1, Unit: charte.UnitWeek}},
		{in: "13 months", want: charte.Duration{N: 13, Unit: charte.UnitMonth}},
		{in: "1 month", want: charte.Duration{N: 1, Unit: charte.UnitMonth}},
		{in: "2years", want: charte.Duration{N: 2, Unit: charte.UnitYear}},
		{in: "100000d", want: charte.Duration{N: 100000, Unit: charte.UnitDay}},
		{in: "", wantErr: `duration "" must start with a number`},
		{in: "d", wantErr: `duration "d" must start with a number`},
		{in: "-1d", wantErr: `duration "-1d" must start with a number`},
		{in: "0d", wantErr: `duration "0d": the number must be between 1 and 100000`},
		{in: "100001d", wantErr: `duration "100001d": the number must be between 1 and 100000`},
		{in: "99999999999999999999d", wantErr: `duration "99999999999999999999d": the number must be between 1 and 100000`},
		{in: "30", wantErr: `duration "30" has an unknown unit: use h, d, w, mo or y`},
		{in: "3m", wantErr: `duration "3m" has an unknown unit`},
		{in: "1.5y", wantErr: `duration "1.5y" has an unknown unit`},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := charte.ParseDuration(tc.in)
			if tc.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tc.wantErr) {
					t.Fatalf("ParseDuration(%q) = %v, %v, want error %q", tc.in, got, err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("ParseDuration(%q) = %v, %v, want %v", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestMustParseDuration(t *testing.T) {
	if got, want := charte.MustParseDuration("13mo"), (charte.Duration{N: 13, Unit: charte.UnitMonth}); got != want {
		t.Errorf("MustParseDuration(13mo) = %v, want %v", got, want)
	}
	defer func() {
		if recover() == nil {
			t.Error("MustParseDuration(13x) did not panic")
		}
	}()
	charte.MustParseDuration("13x")
}

func TestDurationString(t *testing.T) {
	tests := []struct {
		d    charte.Duration
		want string
	}{
		{d: charte.Duration{}, want: ""},
		{d: charte.Duration{N: 6, Unit: charte.UnitMonth}, want: "6mo"},
		{d: charte.Duration{N: 30, Unit: charte.UnitDay}, want: "30d"},
		{d: charte.MustParseDuration("2 years"), want: "2y"},
	}
	for _, tc := range tests {
		if got := tc.d.String(); got != tc.want {
			t.Errorf("%#v.String() = %q, want %q", tc.d, got, tc.want)
		}
		if got := tc.d.IsZero(); got != (tc.want == "") {
			t.Errorf("%#v.IsZero() = %t, want %t", tc.d, got, tc.want == "")
		}
	}
}

func TestDurationAddTo(t *testing.T) {
	paris := time.FixedZone("CET", 3600)
	jan31 := time.Date(2024, 1, 31, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		d    string
		from time.Time
		want time.Time
	}{
		{d: "12h", from: jan31, want: time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)},
		{d: "1d", from: jan31, want: time.Date(2024, 2, 1, 12, 0, 0, 0, time.UTC)},
		{d: "2w", from: jan31, want: time.Date(2024, 2, 14, 12, 0, 0, 0, time.UTC)},
		// Calendar months: January 31st plus one month is "February 31st",
		// March 2nd in a leap year.
		{d: "1mo", from: jan31, want: time.Date(2024, 3, 2, 12, 0, 0, 0, time.UTC)},
		{d: "13mo", from: jan31, want: time.Date(2025, 3, 3, 12, 0, 0, 0, time.UTC)},
		{d: "1y", from: time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), want: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)},
		// Days are calendar days in the time's own zone.
		{d: "1d", from: time.Date(2026, 3, 28, 10, 0, 0, 0, paris), want: time.Date(2026, 3, 29, 10, 0, 0, 0, paris)},
	}
	for _, tc := range tests {
		d := charte.MustParseDuration(tc.d)
		if got := d.AddTo(tc.from); !got.Equal(tc.want) {
			t.Errorf("%s.AddTo(%v) = %v, want %v", tc.d, tc.from, got, tc.want)
		}
	}
	if got := (charte.Duration{N: 3, Unit: "fortnight"}).AddTo(jan31); !got.Equal(jan31) {
		t.Errorf("unknown unit: AddTo(%v) = %v, want it unchanged", jan31, got)
	}
}

func TestDurationApprox(t *testing.T) {
	tests := []struct {
		d    charte.Duration
		want time.Duration
	}{
		{d: charte.MustParseDuration("5h"), want: 5 * time.Hour},
		{d: charte.MustParseDuration("3d"), want: 72 * time.Hour},
		{d: charte.MustParseDuration("2w"), want: 336 * time.Hour},
		{d: charte.MustParseDuration("1mo"), want: 730*time.Hour + 30*time.Minute}, // 365.25 days / 12
		{d: charte.MustParseDuration("1y"), want: 8766 * time.Hour},                // 365.25 days
		{d: charte.MustParseDuration("13mo"), want: 9496*time.Hour + 30*time.Minute},
		{d: charte.Duration{}, want: 0},
		{d: charte.Duration{N: 3, Unit: "fortnight"}, want: 0},
	}
	for _, tc := range tests {
		if got := tc.d.Approx(); got != tc.want {
			t.Errorf("%v.Approx() = %v, want %v", tc.d, got, tc.want)
		}
	}
}

func TestDurationLonger(t *testing.T) {
	tests := []struct {
		d, o string
		want bool
	}{
		{d: "13mo", o: "1y", want: true},
		{d: "1y", o: "13mo", want: false},
		{d: "12mo", o: "1y", want: false}, // equal is not longer
		{d: "1y", o: "12mo", want: false},
		{d: "400d", o: "13mo", want: true},
		{d: "395d", o: "13mo", want: false},
		{d: "25h", o: "1d", want: true},
		{d: "1w", o: "7d", want: false},
	}
	for _, tc := range tests {
		if got := charte.MustParseDuration(tc.d).Longer(charte.MustParseDuration(tc.o)); got != tc.want {
			t.Errorf("%s.Longer(%s) = %t, want %t", tc.d, tc.o, got, tc.want)
		}
	}
}

func TestDurationText(t *testing.T) {
	type doc struct {
		D charte.Duration `json:"d"`
	}
	b, err := json.Marshal(doc{D: charte.MustParseDuration("6 months")})
	if err != nil || string(b) != `{"d":"6mo"}` {
		t.Errorf("Marshal = %s, %v, want {\"d\":\"6mo\"}", b, err)
	}
	tests := []struct {
		in      string
		want    charte.Duration
		wantErr bool
	}{
		{in: `{"d":"6mo"}`, want: charte.Duration{N: 6, Unit: charte.UnitMonth}},
		{in: `{"d":"2 weeks"}`, want: charte.Duration{N: 2, Unit: charte.UnitWeek}},
		{in: `{"d":""}`, want: charte.Duration{}},
		{in: `{"d":"6x"}`, wantErr: true},
	}
	for _, tc := range tests {
		got := doc{D: charte.Duration{N: 9, Unit: charte.UnitYear}} // overwritten, even by ""
		err := json.Unmarshal([]byte(tc.in), &got)
		if (err != nil) != tc.wantErr {
			t.Errorf("Unmarshal(%s) error = %v, want error %t", tc.in, err, tc.wantErr)
			continue
		}
		if !tc.wantErr && got.D != tc.want {
			t.Errorf("Unmarshal(%s) = %v, want %v", tc.in, got.D, tc.want)
		}
	}
}

func TestParseLifetime(t *testing.T) {
	tests := []struct {
		in      string
		want    charte.Lifetime
		wantErr string
	}{
		{in: "session", want: charte.SessionLifetime},
		{in: " Session ", want: charte.SessionLifetime},
		{in: "SESSION", want: charte.Lifetime{Session: true}},
		{in: "13mo", want: charte.Lifetime{Duration: charte.Duration{N: 13, Unit: charte.UnitMonth}}},
		{in: "1 day", want: charte.Lifetime{Duration: charte.Duration{N: 1, Unit: charte.UnitDay}}},
		{in: "forever", wantErr: `lifetime must be "session" or a duration: duration "forever" must start with a number`},
		{in: "", wantErr: `lifetime must be "session" or a duration: `},
	}
	for _, tc := range tests {
		got, err := charte.ParseLifetime(tc.in)
		if tc.wantErr != "" {
			if err == nil || !strings.HasPrefix(err.Error(), tc.wantErr) {
				t.Errorf("ParseLifetime(%q) = %v, %v, want error %q", tc.in, got, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseLifetime(%q) = %v, %v, want %v", tc.in, got, err, tc.want)
		}
	}
}

func TestLifetimeJSON(t *testing.T) {
	tests := []struct {
		l    charte.Lifetime
		json string
	}{
		{l: charte.SessionLifetime, json: `"session"`},
		{l: charte.Lifetime{Duration: charte.MustParseDuration("13mo")}, json: `"13mo"`},
		{l: charte.Lifetime{Duration: charte.MustParseDuration("30d")}, json: `"30d"`},
	}
	for _, tc := range tests {
		b, err := json.Marshal(tc.l)
		if err != nil || string(b) != tc.json {
			t.Errorf("Marshal(%v) = %s, %v, want %s", tc.l, b, err, tc.json)
		}
		if got := tc.l.String(); got != strings.Trim(tc.json, `"`) {
			t.Errorf("%#v.String() = %q, want %s", tc.l, got, tc.json)
		}
		var got charte.Lifetime
		if err := json.Unmarshal([]byte(tc.json), &got); err != nil || got != tc.l {
			t.Errorf("Unmarshal(%s) = %v, %v, want %v", tc.json, got, err, tc.l)
		}
	}
	for _, in := range []string{`13`, `"13"`, `{"d":"1y"}`} {
		var l charte.Lifetime
		if err := json.Unmarshal([]byte(in), &l); err == nil {
			t.Errorf("Unmarshal(%s) = %v, want an error", in, l)
		}
	}
}
