package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/charte/charte/internal/charte"
)

// Ensure DB implements the consent statistics.
var _ charte.StatsService = (*DB)(nil)

// statsQuery counts one site's decisions in a period per UTC day, by method,
// and per category granted, in one snapshot. Days are the date part of the
// stored UTC times. The (site, created_at, method) index selects the period
// and counts methods without reading the rows; json_each reads the choices
// of the period's rows only.
const statsQuery = `
SELECT substr(created_at, 1, 10) AS day, 'method' AS kind, method AS key, count(*) AS n
FROM decisions
WHERE site = ? AND created_at >= ? AND created_at < ?
GROUP BY day, method
UNION ALL
SELECT substr(d.created_at, 1, 10), 'granted', c.key, count(*)
FROM decisions AS d, json_each(d.choices) AS c
WHERE d.site = ? AND d.created_at >= ? AND d.created_at < ? AND c.type = 'true'
GROUP BY 1, c.key
ORDER BY day`

// DecisionStats returns one entry per UTC day that has decisions of the
// site, From ≤ created_at < To, in day order; none is an empty slice. Methods
// and Granted are never nil, and name only the methods used and the
// categories granted. Returns EINVALID (no site, To before From, a bound
// outside years 1 to 9999).
func (db *DB) DecisionStats(ctx context.Context, filter charte.StatsFilter) ([]charte.DayStats, error) {
	if err := filter.Validate(); err != nil {
		return nil, err
	}
	from, to := formatTime(charte.CeilTime(filter.From)), formatTime(charte.CeilTime(filter.To))
	var days []charte.DayStats
	err := db.Transact(ctx, readOnly, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, statsQuery, filter.Site, from, to, filter.Site, from, to)
		if err != nil {
			return formatError(err)
		}
		defer rows.Close()
		var b charte.DayStatsBuilder
		for rows.Next() {
			var day, kind, key string
			var n int64
			if err := rows.Scan(&day, &kind, &key, &n); err != nil {
				return formatError(err)
			}
			t, err := time.Parse(time.DateOnly, day)
			if err != nil {
				return fmt.Errorf("stored day %q: %w", day, err)
			}
			switch kind {
			case "method":
				b.AddMethod(t, charte.Method(key), n)
			case "granted":
				b.AddGranted(t, key, n)
			}
		}
		if err := rows.Err(); err != nil {
			return formatError(err)
		}
		days = b.Days()
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("decision stats of %s: %w", filter.Site, err)
	}
	return days, nil
}
