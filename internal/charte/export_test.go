package charte_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/charte/charte/internal/charte"
)

// exportLog is a [charte.ConsentLog] that holds records in memory; only
// FindDecisions is implemented.
type exportLog struct {
	charte.ConsentLog
	recs   []*charte.Record
	err    error // returned by FindDecisions after the records
	filter charte.DecisionFilter
}

func (l *exportLog) FindDecisions(_ context.Context, filter charte.DecisionFilter, fn func(*charte.Record) error) error {
	l.filter = filter
	for _, r := range l.recs {
		if err := fn(r); err != nil {
			return err
		}
	}
	return l.err
}

// errWriter fails every write.
type errWriter struct{ err error }

func (w errWriter) Write([]byte) (int, error) { return 0, w.err }

func exportRecords() []*charte.Record {
	paris := time.FixedZone("CET", 3600)
	return []*charte.Record{
		{
			Decision: charte.Decision{
				ID: "d1", Site: "shop", CharterVersion: "v1",
				Choices:   map[string]bool{"statistics": true, "marketing": false, "necessary": true},
				Method:    charte.MethodCustom,
				CreatedAt: time.Date(2026, 11, 28, 10, 30, 0, 123456000, paris),
				ExpiresAt: time.Date(2027, 5, 28, 9, 30, 0, 123456000, time.UTC),
			},
			Seq: 1, Hash: "h1",
		},
		{
			Decision: charte.Decision{
				ID: "d2", Site: "shop", CharterVersion: "v1",
				Choices:    map[string]bool{},
				Method:     charte.MethodWithdraw,
				PreviousID: "d1",
				CreatedAt:  time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC),
				ExpiresAt:  time.Date(2027, 5, 29, 0, 0, 0, 0, time.UTC),
			},
			Seq: 2, PrevHash: "h1", Hash: "h2",
		},
	}
}

func TestExportLogCSV(t *testing.T) {
	site := "shop"
	filter := charte.DecisionFilter{Site: &site, Limit: 10}
	log := &exportLog{recs: exportRecords()}
	var b bytes.Buffer
	if err := charte.ExportLog(context.Background(), log, filter, "csv", &b); err != nil {
		t.Fatalf("ExportLog(csv) = %v", err)
	}
	if diff := cmp.Diff(filter, log.filter); diff != "" {
		t.Errorf("ExportLog(csv) filter given to the log (-want +got):\n%s", diff)
	}
	got, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatalf("ExportLog(csv) wrote bad CSV: %v\n%s", err, b.String())
	}
	want := [][]string{
		{"seq", "id", "site", "charter_version", "method", "choices", "previous_id", "created_at", "expires_at", "prev_hash", "hash"},
		// Choices sorted by category; times in UTC.
		{"1", "d1", "shop", "v1", "custom", "marketing=denied necessary=granted statistics=granted", "", "2026-11-28T09:30:00.123456Z", "2027-05-28T09:30:00.123456Z", "", "h1"},
		{"2", "d2", "shop", "v1", "withdraw", "", "d1", "2026-11-29T00:00:00Z", "2027-05-29T00:00:00Z", "h1", "h2"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ExportLog(csv) (-want +got):\n%s", diff)
	}
}

func TestExportLogJSONLines(t *testing.T) {
	log := &exportLog{recs: exportRecords()}
	var b bytes.Buffer
	if err := charte.ExportLog(context.Background(), log, charte.DecisionFilter{}, "jsonl", &b); err != nil {
		t.Fatalf("ExportLog(jsonl) = %v", err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("ExportLog(jsonl) wrote %d lines, want 2:\n%s", len(lines), b.String())
	}
	var first map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	// The field names are a public contract (docs, receipts).
	wantFirst := map[string]any{
		"id": "d1", "site": "shop", "charter_version": "v1", "method": "custom",
		"choices":    map[string]any{"statistics": true, "marketing": false, "necessary": true},
		"created_at": "2026-11-28T10:30:00.123456+01:00", "expires_at": "2027-05-28T09:30:00.123456Z",
		"seq": float64(1), "prev_hash": "", "hash": "h1",
	}
	if diff := cmp.Diff(wantFirst, first); diff != "" {
		t.Errorf("ExportLog(jsonl) first line (-want +got):\n%s", diff)
	}
	for i, line := range lines {
		var r charte.Record
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatal(err)
		}
		want := exportRecords()[i]
		if r.ID != want.ID || r.PreviousID != want.PreviousID || r.Seq != want.Seq || r.PrevHash != want.PrevHash || !r.CreatedAt.Equal(want.CreatedAt) {
			t.Errorf("ExportLog(jsonl) line %d = %+v, want %+v", i+1, r, want)
		}
	}
}

func TestExportLogErrors(t *testing.T) {
	errLog := errors.New("log unreadable")
	errWrite := errors.New("disk full")
	tests := []struct {
		name    string
		log     *exportLog
		format  string
		writer  bool // write to errWriter
		wantErr error
		wantMsg string
	}{
		{name: "unknown format", log: &exportLog{recs: exportRecords()}, format: "xml", wantMsg: `unknown export format "xml"`},
		{name: "no format", log: &exportLog{}, format: "", wantMsg: `unknown export format ""`},
		{name: "csv: the log fails", log: &exportLog{recs: exportRecords(), err: errLog}, format: "csv", wantErr: errLog},
		{name: "jsonl: the log fails", log: &exportLog{recs: exportRecords(), err: errLog}, format: "jsonl", wantErr: errLog},
		{name: "csv: the writer fails", log: &exportLog{}, format: "csv", writer: true, wantErr: errWrite},
		{name: "jsonl: the writer fails", log: &exportLog{recs: exportRecords()}, format: "jsonl", writer: true, wantErr: errWrite},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			var err error
			if tc.writer {
				err = charte.ExportLog(context.Background(), tc.log, charte.DecisionFilter{}, tc.format, errWriter{errWrite})
			} else {
				err = charte.ExportLog(context.Background(), tc.log, charte.DecisionFilter{}, tc.format, &b)
			}
			switch {
			case err == nil:
				t.Fatalf("ExportLog(%s) = nil, want an error", tc.format)
			case tc.wantErr != nil && !errors.Is(err, tc.wantErr):
				t.Errorf("ExportLog(%s) = %v, want %v", tc.format, err, tc.wantErr)
			case tc.wantMsg != "" && err.Error() != tc.wantMsg:
				t.Errorf("ExportLog(%s) = %v, want %q", tc.format, err, tc.wantMsg)
			}
			if tc.wantMsg != "" && b.Len() != 0 {
				t.Errorf("ExportLog(%s) wrote %q, want nothing", tc.format, b.String())
			}
		})
	}
}

func TestParseSince(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Time
		wantErr string
	}{
		{in: "2026-11-28", want: time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)},
		{in: "2026-11-28T10:00:00+01:00", want: time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)},
		{in: "2026-11-28T10:00:00.5Z", want: time.Date(2026, 11, 28, 10, 0, 0, 500000000, time.UTC)},
		{in: "28/11/2026", wantErr: `"28/11/2026" is neither an RFC 3339 time nor a date`},
		{in: "2026-11-28 10:00", wantErr: `"2026-11-28 10:00" is neither an RFC 3339 time nor a date`},
		{in: "", wantErr: `"" is neither an RFC 3339 time nor a date`},
	}
	for _, tc := range tests {
		got, err := charte.ParseSince(tc.in)
		if tc.wantErr != "" {
			if err == nil || err.Error() != tc.wantErr {
				t.Errorf("ParseSince(%q) = %v, %v, want error %q", tc.in, got, err, tc.wantErr)
			}
			continue
		}
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("ParseSince(%q) = %v, %v, want %v", tc.in, got, err, tc.want)
		}
	}
	if got, _ := charte.ParseSince("2026-11-28"); got.Location() != time.UTC {
		t.Errorf("ParseSince(a date) is in %v, want UTC", got.Location())
	}
}
