package scan

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/charte/charte/internal/charte"
)

// WriteJSON writes the report as indented JSON, the format the README
// documents.
func WriteJSON(w io.Writer, r *charte.ScanReport) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("write JSON report: %w", err)
	}
	return nil
}

// ChoiceText says in words what a visitor did with the consent banner.
func ChoiceText(v charte.Visitor) string {
	switch {
	case v.ID == charte.VisitorNone:
		return "did nothing"
	case v.Choice == nil || !v.Choice.Found:
		verb := "reject"
		if v.ID == charte.VisitorAccept {
			verb = "accept"
		}
		return "found no control to " + verb + " all cookies"
	}
	c := v.Choice
	how := map[string]string{"charte": "charte's banner", "cmp": "a consent platform's control", "name": "by its name"}[c.By]
	s := fmt.Sprintf("clicked %q (%s, %s", c.Text, c.Selector, how)
	if c.Frame != "" {
		s += ", in frame " + c.Frame
	}
	return s + ")"
}

// yesNo writes a boolean as a report does.
func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// setByText writes what set a cookie.
func setByText(s charte.Setter) string {
	if s.Kind == "" {
		return "-"
	}
	return s.Kind + " " + s.URL
}

// WriteText writes the report as tables for a terminal: the visitors, the
// cookies, the storage keys, the third parties and the violations, each
// with the page where it happened.
func WriteText(w io.Writer, r *charte.ScanReport) error {
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "charte scan of %s\n", r.Site)
	fmt.Fprintf(ew, "%d pages, %d visitors, %s, %.1f s, %s\n", len(r.Pages), len(r.Visitors), r.Started.UTC().Format("2006-01-02 15:04:05 MST"), float64(r.DurationMS)/1000, r.Browser)
	if r.Charter != nil {
		fmt.Fprintf(ew, "Charter: site %s, version %s", r.Charter.Site, r.Charter.Version)
		if r.Charter.File != "" {
			fmt.Fprintf(ew, " (%s)", r.Charter.File)
		}
		fmt.Fprintln(ew)
	} else {
		fmt.Fprintln(ew, "Charter: none — every cookie is listed, nothing is compared (give --charter FILE to compare)")
	}

	fmt.Fprintln(ew, "\nVisitors:")
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	for _, v := range r.Visitors {
		fmt.Fprintf(tw, "  %s\t%s\t%d pages\n", v.ID, ChoiceText(v), len(v.Pages))
	}
	flush(tw)

	fmt.Fprintf(ew, "\nCookies (%d):\n", len(r.Cookies))
	if len(r.Cookies) > 0 {
		tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  NAME\tDOMAIN\tPARTY\tCATEGORY\tFROM\tDECLARED\tLIFETIME\tSEEN BY\tSET BY")
		for _, c := range r.Cookies {
			declared := "-"
			if r.Charter != nil {
				declared = yesNo(c.Declared)
				if c.DeclaredLifetime != nil {
					declared += " (" + c.DeclaredLifetime.String() + ")"
				}
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.Name, c.Domain, c.Party, c.Category, c.ClassifiedBy, declared, c.Lifetime, strings.Join(c.Visitors, ","), setByText(c.SetBy))
		}
		flush(tw)
	}

	if len(r.Storage) > 0 {
		fmt.Fprintf(ew, "\nStorage (%d):\n", len(r.Storage))
		tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  KIND\tORIGIN\tKEY\tCATEGORY\tFROM\tSEEN BY")
		for _, s := range r.Storage {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\n", s.Kind, s.Origin, s.Key, s.Category, s.ClassifiedBy, strings.Join(s.Visitors, ","))
		}
		flush(tw)
	}

	if len(r.ThirdParties) > 0 {
		fmt.Fprintf(ew, "\nThird parties (%d):\n", len(r.ThirdParties))
		tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  HOST\tCOOKIES\tNAMED IN CHARTER\tSEEN BY\tFIRST PAGE")
		for _, t := range r.ThirdParties {
			cookies := strings.Join(t.Cookies, ",")
			if cookies == "" {
				cookies = "-"
			}
			named := "-"
			if r.Charter != nil {
				named = yesNo(t.Declared)
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", t.Host, cookies, named, strings.Join(t.Visitors, ","), t.FirstSeen.Page)
		}
		flush(tw)
	}

	if r.Charter != nil {
		fmt.Fprintf(ew, "\nViolations (%d):\n", len(r.Violations))
		for _, v := range r.Violations {
			fmt.Fprintf(ew, "  %s  %s", v.Kind, v.Cookie)
			if v.Domain != "" {
				fmt.Fprintf(ew, " (%s)", v.Domain)
			}
			if v.Visitor != "" {
				fmt.Fprintf(ew, "  visitor %s", v.Visitor)
			}
			if v.Page != "" {
				fmt.Fprintf(ew, "  page %s", v.Page)
			}
			fmt.Fprintf(ew, "\n      %s\n", v.Message)
		}
		fmt.Fprintln(ew)
		fmt.Fprintln(ew, Verdict(r))
	}
	return ew.err
}

// Verdict sums up a report in one sentence.
func Verdict(r *charte.ScanReport) string {
	switch n := len(r.Violations); {
	case r.Charter == nil:
		return fmt.Sprintf("%d cookies seen; no charter to compare them with.", len(r.Cookies))
	case n == 0:
		return "No violation: the site does what its charter says, on the pages scanned."
	case n == 1:
		return "1 violation of the charter."
	default:
		return fmt.Sprintf("%d violations of the charter.", n)
	}
}

// flush flushes a table written to an errWriter, which keeps the error.
func flush(tw *tabwriter.Writer) {
	_ = tw.Flush() // writes to an errWriter never fail: it keeps the error
}

// errWriter keeps the first error of a series of writes.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return len(p), nil
	}
	n, err := e.w.Write(p)
	if err != nil {
		e.err = fmt.Errorf("write report: %w", err)
	}
	return n, nil
}

// duration writes a report's duration for people.
func duration(ms int64) string {
	return (time.Duration(ms) * time.Millisecond).Round(100 * time.Millisecond).String()
}
