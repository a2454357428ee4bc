package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/charte/charte/internal/charte"
)

// TestCharterService runs the conformance tests of [charte.CharterService].
// open returns a store on a fresh database for each test, which run in
// parallel.
func TestCharterService(t *testing.T, open func(t *testing.T) Harness) {
	tests := []struct {
		name string
		fn   func(t *testing.T, open func(t *testing.T) Harness)
	}{
		{"SaveFind", testCharterSaveFind},
		{"SaveIdempotent", testCharterSaveIdempotent},
		{"SaveNow", testCharterSaveNow},
		{"Invalid", testCharterInvalid},
		{"NotFound", testCharterNotFound},
		{"List", testCharterList},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open)
		})
	}
}

// MustSaveCharterVersion saves v.
func MustSaveCharterVersion(tb testing.TB, s charte.CharterService, v *charte.CharterVersion) {
	tb.Helper()
	if err := s.SaveCharterVersion(context.Background(), v); err != nil {
		tb.Fatalf("SaveCharterVersion(%s/%s): %v", v.Site, v.Version, err)
	}
}

func newCharterVersion(site, version string, minutes int) *charte.CharterVersion {
	return &charte.CharterVersion{
		Site:      site,
		Version:   version,
		Content:   []byte(`{"site": {"id": "` + site + `"}, "version": "` + version + `", "categories": []}`),
		CreatedAt: base.Add(time.Duration(minutes) * time.Minute),
	}
}

// stored returns v as a store gives it back: its time in UTC at
// TimePrecision.
func stored(v *charte.CharterVersion) *charte.CharterVersion {
	w := *v
	w.CreatedAt = charte.StoredTime(w.CreatedAt)
	return &w
}

func testCharterSaveFind(t *testing.T, open func(t *testing.T) Harness) {
	h := open(t)
	v := newCharterVersion("example", "3f2a9c", 0)
	MustSaveCharterVersion(t, h.Charters, v)
	got, err := h.Charters.FindCharterVersion(context.Background(), "example", "3f2a9c")
	if err != nil {
		t.Fatalf("FindCharterVersion: %v", err)
	}
	if diff := cmp.Diff(stored(v), got); diff != "" {
		t.Errorf("FindCharterVersion mismatch (-want +got):\n%s", diff)
	}
}

func testCharterSaveIdempotent(t *testing.T, open func(t *testing.T) Harness) {
	h := open(t)
	first := newCharterVersion("example", "v1", 0)
	MustSaveCharterVersion(t, h.Charters, first)
	MustSaveCharterVersion(t, h.Charters, first)
	// A later save of the same version keeps the first one.
	again := newCharterVersion("example", "v1", 5)
	again.Content = []byte(`{"changed": true}`)
	MustSaveCharterVersion(t, h.Charters, again)

	got, err := h.Charters.FindCharterVersions(context.Background(), "example")
	if err != nil {
		t.Fatalf("FindCharterVersions: %v", err)
	}
	if diff := cmp.Diff([]*charte.CharterVersion{stored(first)}, got); diff != "" {
		t.Errorf("FindCharterVersions after saving one version three times mismatch (-want +got):\n%s", diff)
	}
}

func testCharterSaveNow(t *testing.T, open func(t *testing.T) Harness) {
	h := open(t)
	v := newCharterVersion("example", "v1", 0)
	v.CreatedAt = time.Time{}
	before := charte.StoredTime(time.Now())
	MustSaveCharterVersion(t, h.Charters, v)
	after := time.Now()
	got, err := h.Charters.FindCharterVersion(context.Background(), "example", "v1")
	if err != nil {
		t.Fatalf("FindCharterVersion: %v", err)
	}
	if got.CreatedAt.Before(before) || got.CreatedAt.After(after) {
		t.Errorf("CreatedAt of a version saved without one = %v, want between %v and %v", got.CreatedAt, before, after)
	}
}

func testCharterInvalid(t *testing.T, open func(t *testing.T) Harness) {
	h := open(t)
	tests := []struct {
		name   string
		change func(v *charte.CharterVersion)
		field  string
	}{
		{"no site", func(v *charte.CharterVersion) { v.Site = "" }, "site"},
		{"no version", func(v *charte.CharterVersion) { v.Version = "" }, "version"},
		{"no content", func(v *charte.CharterVersion) { v.Content = nil }, "content"},
		{"content not JSON", func(v *charte.CharterVersion) { v.Content = []byte(`{"site":`) }, "content"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := newCharterVersion("example", "v1", 0)
			tc.change(v)
			err := h.Charters.SaveCharterVersion(context.Background(), v)
			if code, field := charte.ErrorCode(err), charte.ErrorField(err); code != charte.EINVALID || field != tc.field {
				t.Errorf("SaveCharterVersion(%s) = %v (code %q, field %q), want %s on %q", tc.name, err, code, field, charte.EINVALID, tc.field)
			}
		})
	}
}

func testCharterNotFound(t *testing.T, open func(t *testing.T) Harness) {
	h := open(t)
	MustSaveCharterVersion(t, h.Charters, newCharterVersion("example", "v1", 0))
	for _, tc := range []struct{ site, version string }{
		{"example", "v2"},
		{"other", "v1"},
	} {
		v, err := h.Charters.FindCharterVersion(context.Background(), tc.site, tc.version)
		if code := charte.ErrorCode(err); code != charte.ENOTFOUND || v != nil {
			t.Errorf("FindCharterVersion(%q, %q) = %v, %v (code %q), want nil, %s", tc.site, tc.version, v, err, code, charte.ENOTFOUND)
		}
	}
}

func testCharterList(t *testing.T, open func(t *testing.T) Harness) {
	h := open(t)
	v1 := newCharterVersion("example", "aaa", 0)
	v2 := newCharterVersion("example", "ccc", 10)
	v3 := newCharterVersion("example", "bbb", 20)
	// Same time as v3: the order falls back on the version.
	v4 := newCharterVersion("example", "Bbb", 20)
	other := newCharterVersion("other", "zzz", 30)
	for _, v := range []*charte.CharterVersion{v2, other, v1, v3, v4} {
		MustSaveCharterVersion(t, h.Charters, v)
	}
	tests := []struct {
		site string
		want []*charte.CharterVersion
	}{
		{"example", []*charte.CharterVersion{stored(v3), stored(v4), stored(v2), stored(v1)}},
		{"other", []*charte.CharterVersion{stored(other)}},
		{"unknown", []*charte.CharterVersion{}},
	}
	for _, tc := range tests {
		got, err := h.Charters.FindCharterVersions(context.Background(), tc.site)
		if err != nil {
			t.Fatalf("FindCharterVersions(%q): %v", tc.site, err)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("FindCharterVersions(%q) mismatch (-want +got):\n%s", tc.site, diff)
		}
	}
}
