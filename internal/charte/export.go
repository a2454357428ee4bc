package charte

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
)

// exportHeader is the CSV header; choices are "category=granted|denied"
// pairs, sorted, separated by spaces.
var exportHeader = []string{"seq", "id", "site", "charter_version", "method", "choices", "previous_id", "created_at", "expires_at", "prev_hash", "hash"}

// ExportLog writes the selected records of a consent log as CSV (with a
// header) or JSON lines.
func ExportLog(ctx context.Context, log ConsentLog, filter DecisionFilter, format string, w io.Writer) error {
	switch format {
	case "jsonl":
		enc := json.NewEncoder(w)
		return log.FindDecisions(ctx, filter, func(r *Record) error { return enc.Encode(r) })
	case "csv":
		cw := csv.NewWriter(w)
		if err := cw.Write(exportHeader); err != nil {
			return err
		}
		err := log.FindDecisions(ctx, filter, func(r *Record) error {
			keys := make([]string, 0, len(r.Choices))
			for k := range r.Choices {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			choices := make([]string, len(keys))
			for i, k := range keys {
				choices[i] = k + "=" + map[bool]string{true: "granted", false: "denied"}[r.Choices[k]]
			}
			return cw.Write([]string{
				strconv.FormatInt(r.Seq, 10), r.ID, r.Site, r.CharterVersion, string(r.Method), strings.Join(choices, " "),
				r.PreviousID, r.CreatedAt.UTC().Format(time.RFC3339Nano), r.ExpiresAt.UTC().Format(time.RFC3339Nano), r.PrevHash, r.Hash,
			})
		})
		cw.Flush()
		if err != nil {
			return err
		}
		return cw.Error()
	}
	return fmt.Errorf("unknown export format %q", format)
}

// ParseSince reads a --since or ?since= value: an RFC 3339 time, or a date
// (midnight UTC).
func ParseSince(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is neither an RFC 3339 time nor a date", s)
	}
	return t, nil
}
