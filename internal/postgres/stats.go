package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/charte/charte/internal/charte"
)

// Ensure DB implements the consent statistics.
var _ charte.StatsService = (*DB)(nil)

// statsQuery counts one site's decisions in a period per UTC day, by method,
// and per category granted, in one snapshot. The (site, created_at) INCLUDE
// (method) index selects the period and counts methods from the index alone;
// jsonb_each_text reads the choices of the period's rows only.
const statsQuery = `
SELECT (created_at AT TIME ZONE 'UTC')::date AS day, 'method' AS kind, method AS key, count(*) AS n
FROM decisions
WHERE site = $1 AND created_at >= $2 AND created_at < $3
GROUP BY 1, 3
UNION ALL
SELECT (d.created_at AT TIME ZONE 'UTC')::date, 'granted', c.key, count(*)
FROM decisions AS d CROSS JOIN LATERAL jsonb_each_text(d.choices) AS c
WHERE d.site = $1 AND d.created_at >= $2 AND d.created_at < $3 AND c.value = 'true'
GROUP BY 1, 3
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
	// Rounded up, as stored times are at TimePrecision: PostgreSQL would
	// round to the nearest microsecond.
	from, to := charte.CeilTime(filter.From).UTC(), charte.CeilTime(filter.To).UTC()
	var days []charte.DayStats
	err := db.Transact(ctx, readOnly, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, statsQuery, filter.Site, from, to)
		if err != nil {
			return formatError(err)
		}
		defer rows.Close()
		var b charte.DayStatsBuilder
		for rows.Next() {
			var day time.Time
			var kind, key string
			var n int64
			if err := rows.Scan(&day, &kind, &key, &n); err != nil {
				return formatError(err)
			}
			t := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
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
