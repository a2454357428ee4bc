package admin

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/charte/charte/internal/charte"
)

// dashboardPeriods are the periods the dashboard offers, in days.
var dashboardPeriods = []int{7, 30, 90, 365}

// seriesCount is the number of line colours of the chart (classes
// series0…series5 of admin.css, light and dark, each with a contrast of at
// least 3:1 on the page).
const seriesCount = 6

// dashboardPage is the data of admin_dashboard.html.
type dashboardPage struct {
	adminBase
	Sites   []*charte.Charter
	Site    *charte.Charter
	Days    int
	Periods []int
	From    time.Time
	To      time.Time // last day shown
	Total   int64
	Methods []methodShare
	Rates   []categoryRate
	// Chart is drawn for wide screens, Narrow for phones (fewer labels,
	// the same size of text).
	Chart  chart
	Narrow chart
	Rows   []dayRow
}

type methodShare struct {
	Method  charte.Method
	Count   int64
	Percent string
	// Share is the whole percentage (the shares of all methods add up to
	// 100), for the bar drawn beside it.
	Share int
}

// Bar is the class of the meter that draws the share, one per 5 %.
func (m methodShare) Bar() string { return "w" + strconv.Itoa((m.Share+2)/5*5) }

type categoryRate struct {
	ID      string
	Name    string
	Colour  string
	Granted int64
	Percent string
}

type dayRow struct {
	Day       time.Time
	Decisions int64
	Rates     []string // per category, in Rates order
}

// chart is a server-rendered SVG line chart of opt-in rates per day.
type chart struct {
	ID, Desc             string
	Width, Height        int
	Left, Top, Bottom    int
	PlotWidth, PlotRight int
	Grid                 []gridLine
	Series               []chartSeries
	XLabels              []axisLabel
}

type gridLine struct {
	Y     int
	Label string
	// LabelY is the baseline of the label, centred on the line.
	LabelY int
}

type axisLabel struct {
	X     int
	Label string
}

type chartSeries struct {
	Name   string
	Colour string
	Points string
	Dots   []point
}

type point struct{ X, Y int }

// handleDashboard shows, for one site over a period, the number of
// decisions, the share of each method and the opt-in rate of each category
// per day: anonymous aggregates only.
func (s *Office) handleDashboard(w http.ResponseWriter, r *http.Request) error {
	site, err := s.siteParam(r)
	if err != nil {
		return err
	}
	days := 30
	if v := r.URL.Query().Get("days"); v != "" {
		d, err := strconv.Atoi(v)
		if err != nil || !slices.Contains(dashboardPeriods, d) {
			return translated(charte.FieldErrorf("days", "The period must be one of 7, 30, 90 or 365 days."), "error.days")
		}
		days = d
	}
	today := s.now().UTC().Truncate(24 * time.Hour)
	from := today.AddDate(0, 0, 1-days)
	stats, err := s.stats.DecisionStats(r.Context(), charte.StatsFilter{Site: site.Site.ID, From: from, To: today.AddDate(0, 0, 1)})
	if err != nil {
		return fmt.Errorf("decision stats of %s: %w", site.Site.ID, err)
	}
	base := s.adminBase(r)
	base.Section = "dashboard"
	base.SiteID = site.Site.ID
	page := dashboardPage{adminBase: base, Sites: s.sites.All(), Site: site, Days: days, Periods: dashboardPeriods, From: from, To: today}

	byDay := map[time.Time]charte.DayStats{}
	methods := map[charte.Method]int64{}
	granted := map[string]int64{}
	for _, d := range stats {
		byDay[d.Day.UTC()] = d
		page.Total += d.Decisions
		for m, n := range d.Methods {
			methods[m] += n
		}
		for c, n := range d.Granted {
			granted[c] += n
		}
	}
	counts := make([]int64, len(charte.Methods()))
	for i, m := range charte.Methods() {
		counts[i] = methods[m]
	}
	shares := charte.Shares(counts)
	for i, m := range charte.Methods() {
		ms := methodShare{Method: m, Count: counts[i], Percent: "–"}
		if page.Total > 0 {
			ms.Percent = strconv.Itoa(shares[i]) + "\u00a0%"
			ms.Share = shares[i]
		}
		page.Methods = append(page.Methods, ms)
	}
	var cats []charte.Category
	for _, c := range site.Categories {
		if !c.Necessary() {
			cats = append(cats, c)
		}
	}
	for i, c := range cats {
		page.Rates = append(page.Rates, categoryRate{ID: c.ID, Name: c.Name.In(base.Lang), Colour: "series" + strconv.Itoa(i%seriesCount), Granted: granted[c.ID], Percent: percent(granted[c.ID], page.Total)})
	}
	for d := from; !d.After(today); d = d.AddDate(0, 0, 1) {
		st, ok := byDay[d]
		if !ok {
			continue
		}
		row := dayRow{Day: d, Decisions: st.Decisions}
		for _, c := range cats {
			row.Rates = append(row.Rates, percent(st.Granted[c.ID], st.Decisions))
		}
		page.Rows = append(page.Rows, row)
	}
	page.Chart = buildChart(wideChart, from, days, cats, byDay, page.Rates, base.Lang)
	page.Narrow = buildChart(narrowChart, from, days, cats, byDay, page.Rates, base.Lang)
	page.Chart.Desc, page.Narrow.Desc = base.T("dash.chartdesc"), base.T("dash.chartdesc")
	s.renderAdmin(w, r, http.StatusOK, "admin_dashboard.html", page)
	return nil
}

// siteParam returns the site that ?site= names, or the default site.
func (s *Office) siteParam(r *http.Request) (*charte.Charter, error) {
	id := r.URL.Query().Get("site")
	if id == "" {
		return s.sites.Default(), nil
	}
	ch, err := s.sites.Find(id)
	if charte.ErrorCode(err) == charte.ENOTFOUND {
		return nil, translated(&charte.Error{Code: charte.ENOTFOUND, Field: "site", Message: fmt.Sprintf("There is no site %q.", id)}, "error.site", id)
	}
	return ch, err
}

// percent formats n/total as a whole percentage, or "–" without decisions.
func percent(n, total int64) string {
	if total == 0 {
		return "–"
	}
	return strconv.FormatInt((n*100+total/2)/total, 10) + "\u00a0%"
}

// chartLayout is the size of a chart and how many labels its axes have.
type chartLayout struct {
	Width, Height, Left, Right, Top, Bottom int
	// XLabels is the most day labels; YStep the step of labelled grid lines.
	XLabels, YStep int
	ID             string
}

var (
	wideChart   = chartLayout{Width: 560, Height: 240, Left: 48, Right: 12, Top: 12, Bottom: 32, XLabels: 7, YStep: 25, ID: "wide"}
	narrowChart = chartLayout{Width: 300, Height: 200, Left: 44, Right: 12, Top: 10, Bottom: 30, XLabels: 4, YStep: 50, ID: "narrow"}
)

// buildChart lays out the opt-in rate of each category per day: x is the
// day, y the share of that day's decisions that granted the category. Days
// without decisions have no point, so lines only join days with data.
func buildChart(l chartLayout, from time.Time, days int, cats []charte.Category, byDay map[time.Time]charte.DayStats, rates []categoryRate, lang string) chart {
	c := chart{ID: l.ID, Width: l.Width, Height: l.Height, Left: l.Left, Top: l.Top, Bottom: l.Bottom}
	c.PlotRight = c.Width - l.Right
	c.PlotWidth = c.PlotRight - c.Left
	plotH := c.Height - c.Top - c.Bottom
	x := func(i int) int {
		if days == 1 {
			return c.Left + c.PlotWidth/2
		}
		return c.Left + i*c.PlotWidth/(days-1)
	}
	y := func(rate float64) int { return c.Top + int(float64(plotH)*(1-rate)) }
	for p := 0; p <= 100; p += 25 {
		g := gridLine{Y: y(float64(p) / 100)}
		g.LabelY = g.Y + 4
		if p%l.YStep == 0 {
			g.Label = strconv.Itoa(p) + "\u00a0%"
		}
		c.Grid = append(c.Grid, g)
	}
	step := max(1, (days-1+l.XLabels-2)/(l.XLabels-1))
	for i := 0; i < days; i += step {
		c.XLabels = append(c.XLabels, axisLabel{X: x(i), Label: shortDate(from.AddDate(0, 0, i), lang)})
	}
	for ci, cat := range cats {
		sr := chartSeries{Name: rates[ci].Name, Colour: rates[ci].Colour}
		var pts []string
		for i := range days {
			st, ok := byDay[from.AddDate(0, 0, i)]
			if !ok || st.Decisions == 0 {
				continue
			}
			p := point{X: x(i), Y: y(float64(st.Granted[cat.ID]) / float64(st.Decisions))}
			sr.Dots = append(sr.Dots, p)
			pts = append(pts, strconv.Itoa(p.X)+","+strconv.Itoa(p.Y))
		}
		sr.Points = strings.Join(pts, " ")
		c.Series = append(c.Series, sr)
	}
	return c
}

// shortDate formats a day as "28/11" (fr) or "11/28" (en).
func shortDate(d time.Time, lang string) string {
	if lang == "en" {
		return d.Format("01/02")
	}
	return d.Format("02/01")
}
