package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/charte/charte/internal/policy"
)

// siteSummary is one entry of GET /api/v1/sites.
type siteSummary struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	URL     string `json:"url"`
	Version string `json:"version"`
	Default bool   `json:"default"`
}

// handleSiteList lists the sites this server serves.
func (s *Server) handleSiteList(w http.ResponseWriter, r *http.Request) error {
	all := s.sites.All()
	out := make([]siteSummary, len(all))
	for i, ch := range all {
		out[i] = siteSummary{ID: ch.Site.ID, Name: ch.Site.Name, URL: ch.Site.URL, Version: ch.Version, Default: i == 0}
	}
	return s.writePublicJSON(w, r, out)
}

// handleCharterGet returns a site's charter as JSON, with its version: the
// form the consent package and `charte render --format json` share.
func (s *Server) handleCharterGet(w http.ResponseWriter, r *http.Request) error {
	ch, err := s.sites.Find(r.PathValue("site"))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := policy.JSON(&buf, ch); err != nil {
		return fmt.Errorf("encode charter %s: %w", ch.Site.ID, err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	s.writeCacheable(w, r, buf.Bytes())
	return nil
}

// writePublicJSON writes public, read-only JSON that any origin may read.
func (s *Server) writePublicJSON(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encode json: %w", err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	s.writeCacheable(w, r, append(body, '\n'))
	return nil
}
