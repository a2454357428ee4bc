package consent

import (
	"testing"
)

func TestMatcherLookup(t *testing.T) {
	cookies := []Cookie{
		{Name: "_ga_*", Category: "statistics"},
		{Name: "_ga_ABC", Category: "marketing"},
		{Name: "_ga*", Category: "preferences"},
		{Name: "sid", Category: "necessary"},
		{Name: "sid", Category: "marketing"},
		{Name: "x_*", Category: "statistics"},
		{Name: "*_x", Category: "marketing"},
		{Name: "x*", Category: "preferences"},
		{Name: "x*", Category: "marketing"},
		{Name: "_pk_id.*", Category: "statistics"},
	}
	for _, tc := range []struct {
		name string
		want int // index in cookies, -1 for none
	}{
		{name: "_ga_ABC", want: 1},       // exact wins over the patterns declared before it
		{name: "_ga_XYZ", want: 0},       // the longer pattern wins over _ga*
		{name: "_gat", want: 2},          // only the shorter pattern matches
		{name: "sid", want: 3},           // duplicate exact names: the first declared wins
		{name: "x_x", want: 5},           // x_* and *_x have the same length: charter order
		{name: "xy", want: 7},            // duplicate patterns: the first declared wins
		{name: "_pk_id.1.abcd", want: 9}, // a pattern's dot is a dot
		{name: "_pk_idX1", want: -1},
		{name: "other", want: -1},
		{name: "", want: -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := NewMatcher(cookies)
			if got := m.Index(tc.name); got != tc.want {
				t.Errorf("Index(%q) = %d, want %d", tc.name, got, tc.want)
			}
			got, ok := m.Lookup(tc.name)
			want, wantOK := Cookie{}, tc.want >= 0
			if wantOK {
				want = cookies[tc.want]
			}
			if got != want || ok != wantOK {
				t.Errorf("Lookup(%q) = %+v, %t, want %+v, %t", tc.name, got, ok, want, wantOK)
			}
			ch := &Charter{Version: "v1", Cookies: cookies}
			if got, ok := ch.Lookup(tc.name); got != want || ok != wantOK {
				t.Errorf("Charter.Lookup(%q) = %+v, %t, want %+v, %t", tc.name, got, ok, want, wantOK)
			}
		})
	}
}

func TestMatcherKeepsACopy(t *testing.T) {
	cookies := []Cookie{{Name: "sid", Category: "necessary"}}
	m := NewMatcher(cookies)
	cookies[0].Category = "marketing"
	if got, _ := m.Lookup("sid"); got.Category != "necessary" {
		t.Errorf("Lookup(sid) after changing the slice = %+v, want category necessary", got)
	}
}

func TestMatcherLookupDoesNotAllocate(t *testing.T) {
	m := NewMatcher(testCharter().Cookies)
	allocs := testing.AllocsPerRun(100, func() {
		for _, name := range []string{"sid", "_pk_id.abc", "undeclared"} {
			m.Lookup(name)
		}
	})
	if allocs != 0 {
		t.Errorf("Lookup allocates %v times per run, want 0", allocs)
	}
}
