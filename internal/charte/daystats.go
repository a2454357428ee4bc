package charte

import "time"

// DayStatsBuilder gathers counts of decisions, fed in day order, into the
// entries that [StatsService.DecisionStats] returns. The zero value is ready
// to use.
type DayStatsBuilder struct {
	days []DayStats
}

// day returns the entry of day, appending it if day is not the last one.
func (b *DayStatsBuilder) day(day time.Time) *DayStats {
	if len(b.days) == 0 || !b.days[len(b.days)-1].Day.Equal(day) {
		b.days = append(b.days, DayStats{
			Day:     day,
			Methods: map[Method]int64{},
			Granted: map[string]int64{},
		})
	}
	return &b.days[len(b.days)-1]
}

// AddMethod counts n decisions of day reached by method m.
func (b *DayStatsBuilder) AddMethod(day time.Time, m Method, n int64) {
	d := b.day(day)
	d.Methods[m] += n
	d.Decisions += n
}

// AddGranted counts n decisions of day that granted category.
func (b *DayStatsBuilder) AddGranted(day time.Time, category string, n int64) {
	b.day(day).Granted[category] += n
}

// Days returns the entries, in day order; none is an empty slice.
func (b *DayStatsBuilder) Days() []DayStats {
	if b.days == nil {
		return []DayStats{}
	}
	return b.days
}
