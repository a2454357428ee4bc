package admin

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/charte/charte/internal/charte"
)

// receiptsPerPage is how many decisions a page of the receipts list shows.
const receiptsPerPage = 25

// receiptsPage is the data of admin_receipts.html: the most recent
// decisions that the filters select, a page at a time, newest first.
type receiptsPage struct {
	adminBase
	Sites   []*charte.Charter
	Methods []charte.Method
	// The filters as given: Site and Method ("" for all), From and To
	// (dates, inclusive).
	Site, Method, From, To string
	// Problem is the message of a filter that could not be read, and
	// Field the id of its input.
	Problem, Field string
	Rows           []receiptRow
	// Newer and Older are the links to the next pages, "" when there is
	// none.
	Newer, Older string
}

// receiptRow is one decision of the list.
type receiptRow struct {
	ID, Site, SiteName string
	Method             charte.Method
	CreatedAt          time.Time
	// Granted are the names of the categories granted (necessary ones
	// aside), in the charter's order.
	Granted []string
}

// receiptFilter reads the list's filters from the query: site, method,
// from and to (dates, UTC), and the page: before or after a position in
// the log. A filter that cannot be read is an EINVALID error (translated)
// naming its input.
func (s *Office) receiptFilter(q url.Values) (charte.DecisionFilter, error) {
	f := charte.DecisionFilter{Newest: true, Limit: receiptsPerPage + 1}
	if v := q.Get("site"); v != "" {
		if _, err := s.sites.Find(v); err != nil {
			if charte.ErrorCode(err) == charte.ENOTFOUND {
				return f, translated(charte.FieldErrorf("site", "There is no site %q.", v), "error.site", v)
			}
			return f, err
		}
		f.Site = &v
	}
	if v := q.Get("method"); v != "" {
		m := charte.Method(v)
		if !m.Valid() {
			return f, translated(charte.FieldErrorf("method", "The method must be one of accept_all, reject_all, custom, gpc or withdraw."), "error.method")
		}
		f.Method = &m
	}
	day := func(field string) (*time.Time, error) {
		v := q.Get(field)
		if v == "" {
			return nil, nil
		}
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return nil, translated(charte.FieldErrorf(field, "The date must be written 2026-11-28."), "error.date")
		}
		return &t, nil
	}
	var err error
	if f.Since, err = day("from"); err != nil {
		return f, err
	}
	to, err := day("to")
	if err != nil {
		return f, err
	}
	if to != nil {
		next := to.AddDate(0, 0, 1) // the whole day
		f.Before = &next
	}
	if f.Since != nil && f.Before != nil && !f.Since.Before(*f.Before) {
		return f, translated(charte.FieldErrorf("to", "The end date must not be before the start date."), "error.daterange")
	}
	seq := func(field string) (*int64, error) {
		v := q.Get(field)
		if v == "" {
			return nil, nil
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			return nil, translated(charte.FieldErrorf(field, "The page must be a position in the log."), "error.page")
		}
		return &n, nil
	}
	if f.BeforeSeq, err = seq("before"); err != nil {
		return f, err
	}
	if f.AfterSeq, err = seq("after"); err != nil {
		return f, err
	}
	if f.AfterSeq != nil {
		// Paging towards newer records: the oldest of those after, reversed.
		f.Newest = false
	}
	return f, nil
}

// handleReceipts lists the most recent decisions, filtered by site,
// method and dates, newest first, a page at a time, each linking to its
// receipt. A filter that cannot be read gets the page back with a
// message, and status 400.
func (s *Office) handleReceipts(w http.ResponseWriter, r *http.Request) error {
	base := s.adminBase(r)
	base.Section = "receipts"
	q := r.URL.Query()
	page := receiptsPage{adminBase: base, Sites: s.sites.All(), Methods: charte.Methods(),
		Site: q.Get("site"), Method: q.Get("method"), From: q.Get("from"), To: q.Get("to")}
	if page.Site != "" {
		page.SiteID = page.Site
	}
	filter, err := s.receiptFilter(q)
	if err != nil {
		var me *messageError
		if !errors.As(err, &me) {
			return err
		}
		page.Problem, page.Field = base.T(me.key, me.args...), charte.ErrorField(err)
		page.SiteID = base.SiteID
		s.renderAdmin(w, r, http.StatusBadRequest, "admin_receipts.html", page)
		return nil
	}
	var recs []*charte.Record
	err = s.log.FindDecisions(r.Context(), filter, func(rec *charte.Record) error {
		recs = append(recs, rec)
		return nil
	})
	if err != nil {
		return fmt.Errorf("find decisions: %w", err)
	}
	more := len(recs) > receiptsPerPage
	if more {
		recs = recs[:receiptsPerPage]
	}
	if !filter.Newest {
		for i, j := 0, len(recs)-1; i < j; i, j = i+1, j-1 {
			recs[i], recs[j] = recs[j], recs[i]
		}
	}
	for _, rec := range recs {
		page.Rows = append(page.Rows, s.receiptRow(rec, base.Lang))
	}
	if len(recs) > 0 {
		link := func(field string, seq int64) string {
			v := url.Values{}
			for _, k := range []string{"site", "method", "from", "to"} {
				if q.Get(k) != "" {
					v.Set(k, q.Get(k))
				}
			}
			v.Set(field, strconv.FormatInt(seq, 10))
			return s.adminPath("/receipts") + "?" + v.Encode()
		}
		newest, oldest := recs[0].Seq, recs[len(recs)-1].Seq
		// Older pages exist when this one is full going back, or whenever
		// it was reached going forward; newer ones the other way round.
		if (filter.Newest && more) || !filter.Newest {
			page.Older = link("before", oldest)
		}
		if (!filter.Newest && more) || filter.BeforeSeq != nil {
			page.Newer = link("after", newest)
		}
	}
	s.renderAdmin(w, r, http.StatusOK, "admin_receipts.html", page)
	return nil
}

// receiptRow is one decision of the list, its categories by name.
func (s *Office) receiptRow(rec *charte.Record, lang string) receiptRow {
	row := receiptRow{ID: rec.ID, Site: rec.Site, SiteName: rec.Site, Method: rec.Method, CreatedAt: rec.CreatedAt}
	ch, err := s.sites.Find(rec.Site)
	if err == nil {
		row.SiteName = ch.Site.Name
	}
	for _, c := range orderedChoices(ch, rec.Choices) {
		if rec.Choices[c] && c != charte.CategoryNecessary {
			row.Granted = append(row.Granted, categoryName(ch, c, lang))
		}
	}
	return row
}

// orderedChoices returns the categories of choices: those of the charter
// in its order, then any other, sorted.
func orderedChoices(ch *charte.Charter, choices map[string]bool) []string {
	var out []string
	seen := map[string]bool{}
	if ch != nil {
		for _, c := range ch.Categories {
			if _, ok := choices[c.ID]; ok {
				out = append(out, c.ID)
				seen[c.ID] = true
			}
		}
	}
	var rest []string
	for c := range choices {
		if !seen[c] {
			rest = append(rest, c)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// categoryName is the name of a category of ch in lang, or its id when
// ch does not declare it.
func categoryName(ch *charte.Charter, id, lang string) string {
	if ch != nil {
		for _, c := range ch.Categories {
			if c.ID == id {
				if n := c.Name.In(lang, ch.Site.DefaultLanguage()); n != "" {
					return n
				}
			}
		}
	}
	return id
}
