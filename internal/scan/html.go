package scan

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/knowledge"
)

//go:embed report.html
var reportHTML string

// reportTemplate is the HTML report; it panics at start-up if it does not
// parse, which a test catches.
var reportTemplate = template.Must(template.New("report.html").Funcs(template.FuncMap{
	"join":       strings.Join,
	"choiceText": ChoiceText,
	"phase": func(p string) string {
		if p == charte.PhaseAfterChoice {
			return "after the choice"
		}
		return "before any choice"
	},
	"visitorRole": func(id string) string {
		return map[string]string{
			charte.VisitorNone:   "never answers the banner",
			charte.VisitorReject: "refuses all cookies",
			charte.VisitorAccept: "accepts all cookies",
		}[id]
	},
	"classifiedBy": func(by string) string {
		return map[string]string{
			charte.ClassifiedByCharter:   "by the charter",
			charte.ClassifiedByKnowledge: "by the knowledge base",
			charte.ClassifiedByNothing:   "known to neither the charter nor the knowledge base",
		}[by]
	},
}).Parse(reportHTML))

// htmlPage is the data of the HTML report.
type htmlPage struct {
	R            *charte.ScanReport
	Date         string
	Duration     string
	Verdict      string
	VerdictClass string
	Notice       []string
}

// WriteHTML writes the report as one self-contained HTML page, styles
// included, that a DPO can open in a browser, print or send.
func WriteHTML(w io.Writer, r *charte.ScanReport) error {
	p := htmlPage{
		R: r, Date: r.Started.UTC().Format("2006-01-02 15:04 MST"), Duration: duration(r.DurationMS),
		Verdict: Verdict(r), VerdictClass: "info", Notice: knowledge.Notice(),
	}
	if r.Charter != nil {
		p.VerdictClass = "good"
		if len(r.Violations) > 0 {
			p.VerdictClass = "bad"
		}
	}
	if err := reportTemplate.Execute(w, p); err != nil {
		return fmt.Errorf("write HTML report: %w", err)
	}
	return nil
}
