package admin

import (
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/policy"
)

// receiptPage is the data of admin_receipt.html.
type receiptPage struct {
	adminBase
	ID      string
	Record  *charte.Record
	Choices []choiceRow
	// Policy is the charter version the visitor saw, rendered.
	Policy   template.HTML
	NotFound bool
}

type choiceRow struct {
	Category string
	// Name is the category's name in the charter the visitor saw (or the
	// one served now, else its id).
	Name    string
	Granted bool
}

// handleReceipt looks a decision up by its id and shows what was
// chosen, when, how, its place in the log, and the charter the visitor saw.
//
// Without an id, it is the list of recent decisions ([Office.handleReceipts]).
func (s *Office) handleReceipt(w http.ResponseWriter, r *http.Request) error {
	if strings.TrimSpace(r.URL.Query().Get("id")) == "" {
		return s.handleReceipts(w, r)
	}
	base := s.adminBase(r)
	base.Section = "receipt"
	page := receiptPage{adminBase: base, ID: strings.TrimSpace(r.URL.Query().Get("id"))}
	status := http.StatusOK
	rec, err := s.log.FindDecisionByID(r.Context(), page.ID)
	if err != nil && charte.ErrorCode(err) != charte.ENOTFOUND {
		return fmt.Errorf("find decision: %w", err)
	}
	if err != nil || !charte.ValidDecisionID(page.ID) {
		page.NotFound, status = true, http.StatusNotFound
	} else {
		page.Record = rec
		page.SiteID = rec.Site
		seen, err := s.versionCharter(r, rec.Site, rec.CharterVersion)
		if charte.ErrorCode(err) == charte.ENOTFOUND {
			seen = nil // the receipt says so
		} else if err != nil {
			return err
		}
		named := seen
		if named == nil {
			named, _ = s.sites.Find(rec.Site) // nil when the site is no longer served: ids then
		}
		for _, c := range orderedChoices(named, rec.Choices) {
			page.Choices = append(page.Choices, choiceRow{Category: c, Name: categoryName(named, c, base.Lang), Granted: rec.Choices[c]})
		}
		if seen != nil {
			frag, err := policy.Fragment(seen, base.Lang)
			if err != nil {
				return err
			}
			if page.Policy, err = receiptFragment(frag, 2); err != nil {
				return err
			}
		}
	}
	s.renderAdmin(w, r, status, "admin_receipt.html", page)
	return nil
}

// versionCharter returns a stored charter version. Returns ENOTFOUND when
// that version was never stored.
func (s *Office) versionCharter(r *http.Request, site, version string) (*charte.Charter, error) {
	v, err := s.charters.FindCharterVersion(r.Context(), site, version)
	if err != nil {
		return nil, fmt.Errorf("find charter version: %w", err)
	}
	return v.Charter()
}

// handleExport streams the consent log as CSV or JSON lines, as
// `charte export` does.
func (s *Office) handleExport(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	format := q.Get("format")
	if format == "" {
		base := s.adminBase(r)
		base.Section = "export"
		s.renderAdmin(w, r, http.StatusOK, "admin_export.html", exportPage{adminBase: base, Sites: s.sites.All()})
		return nil
	}
	if format != "csv" && format != "jsonl" {
		return charte.FieldErrorf("format", "The format must be csv or jsonl.")
	}
	var filter charte.DecisionFilter
	if site := q.Get("site"); site != "" {
		filter.Site = &site
	}
	if since := q.Get("since"); since != "" {
		t, err := charte.ParseSince(since)
		if err != nil {
			return charte.FieldErrorf("since", "since must be a date (2026-11-28) or an RFC 3339 time.")
		}
		filter.Since = &t
	}
	ctype := map[string]string{"csv": "text/csv; charset=utf-8", "jsonl": "application/jsonl"}[format]
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="charte-consents-`+s.now().UTC().Format("20060102")+`.`+format+`"`)
	if err := charte.ExportLog(r.Context(), s.log, filter, format, w); err != nil {
		// The response has begun: all that can be done is to log and cut it.
		s.logger.ErrorContext(r.Context(), "export", "err", err)
		panic(http.ErrAbortHandler)
	}
	return nil
}

// exportPage is the data of admin_export.html.
type exportPage struct {
	adminBase
	Sites []*charte.Charter
}
