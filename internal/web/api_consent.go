package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/charte/charte/consent"
	"github.com/charte/charte/internal/charte"
)

// maxConsentBody is the largest decision body accepted: a decision is a few
// hundred bytes, anything bigger is not one.
const maxConsentBody = 16 << 10

// consentRequest is the body of POST /api/v1/consents.
type consentRequest struct {
	Site           string `json:"site"`
	CharterVersion string `json:"charter_version"`
	// Choices are read raw so that an error can name the category at fault.
	Choices    map[string]json.RawMessage `json:"choices"`
	Method     charte.Method              `json:"method"`
	PreviousID string                     `json:"previous_id"`
}

// consentResponse is a recorded decision: the answer of POST and GET.
type consentResponse struct {
	ID             string          `json:"id"`
	Site           string          `json:"site"`
	CharterVersion string          `json:"charter_version"`
	Choices        map[string]bool `json:"choices"`
	Method         charte.Method   `json:"method"`
	PreviousID     string          `json:"previous_id,omitempty"`
	CreatedAt      time.Time       `json:"created_at"`
	ExpiresAt      time.Time       `json:"expires_at"`
	// Cookie is the cookies_preferences value for this decision.
	Cookie string `json:"cookie"`
	// Seq and Hash place the decision in the consent log (receipts only).
	Seq  int64  `json:"seq,omitempty"`
	Hash string `json:"hash,omitempty"`
}

// handleConsentCreate records a visitor's decision and returns it with the
// cookie value the banner stores. The decision is acknowledged only once it
// is durably committed.
func (s *Server) handleConsentCreate(w http.ResponseWriter, r *http.Request) error {
	var req consentRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	ch, err := s.sites.Find(req.Site)
	if err != nil {
		return charte.FieldErrorf("site", "Unknown site %q.", req.Site)
	}
	if err := s.checkOrigin(r, ch); err != nil {
		return err
	}
	choices, err := decodeChoices(req.Choices)
	if err != nil {
		return err
	}
	d, err := ch.NewDecision(charte.DecisionRequest{CharterVersion: req.CharterVersion, Method: req.Method, PreviousID: req.PreviousID, Choices: choices}, s.now())
	if err != nil {
		return err
	}
	if err := s.checkPrevious(r.Context(), d); err != nil {
		return err
	}
	rec, err := s.recorder.Append(r.Context(), d)
	if err != nil {
		return fmt.Errorf("record decision: %w", err)
	}
	s.metrics.decisions.WithLabelValues(rec.Site, string(rec.Method)).Inc()
	resp := responseOf(rec, false)
	if r.Header.Get("Origin") == s.origin(r) {
		// The page is on charte's own origin (its demo, or an app behind
		// charte proxy): the API can keep the decision in the visitor's
		// cookie itself, as the banner does on other origins.
		http.SetCookie(w, &http.Cookie{
			Name:     consent.CookieName,
			Value:    resp.Cookie,
			Path:     "/",
			Expires:  rec.ExpiresAt,
			MaxAge:   int(rec.ExpiresAt.Sub(s.now()).Seconds()),
			Secure:   s.isHTTPS(r),
			SameSite: http.SameSiteLaxMode,
			// Not HttpOnly: the banner reads it (charte's charter says so).
		})
	}
	w.Header().Set("Location", s.basePath+"/api/v1/consents/"+rec.ID)
	return writeJSON(w, http.StatusCreated, resp)
}

// checkPrevious refuses a decision whose previous_id names no decision of
// its site: a change of mind must point at a choice the log holds, or the
// receipt's history would lead nowhere.
func (s *Server) checkPrevious(ctx context.Context, d *charte.Decision) error {
	if d.PreviousID == "" {
		return nil
	}
	prev, err := s.log.FindDecisionByID(ctx, d.PreviousID)
	switch {
	case charte.ErrorCode(err) == charte.ENOTFOUND || err == nil && prev.Site != d.Site:
		return charte.FieldErrorf("previous_id", "previous_id names no decision of site %q.", d.Site)
	case err != nil:
		return fmt.Errorf("find previous decision: %w", err)
	}
	return nil
}

// handleConsentGet returns the receipt of a decision: what was chosen,
// when, under which charter version, and its place in the log.
func (s *Server) handleConsentGet(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	if !charte.ValidDecisionID(id) {
		return &charte.Error{Code: charte.ENOTFOUND, Field: "id", Message: "No decision has this id."}
	}
	rec, err := s.log.FindDecisionByID(r.Context(), id)
	if charte.ErrorCode(err) == charte.ENOTFOUND {
		return &charte.Error{Code: charte.ENOTFOUND, Field: "id", Message: "No decision has this id."}
	}
	if err != nil {
		return fmt.Errorf("find decision: %w", err)
	}
	if ch, err := s.sites.Find(rec.Site); err == nil {
		if err := s.checkOrigin(r, ch); err != nil {
			return err
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, http.StatusOK, responseOf(rec, true))
}

// decodeChoices reads the choices of a request, each of which must be true
// or false: null, which would read as false, is refused like any other
// value, with an error naming the category (in sorted order, so that the
// same body always gets the same error).
func decodeChoices(raw map[string]json.RawMessage) (map[string]bool, error) {
	choices := make(map[string]bool, len(raw))
	for _, k := range slices.Sorted(maps.Keys(raw)) {
		var v *bool
		if err := json.Unmarshal(raw[k], &v); err != nil || v == nil {
			return nil, charte.FieldErrorf("choices."+k, "choices.%s must be true or false.", k)
		}
		choices[k] = *v
	}
	return choices, nil
}

// responseOf returns the API form of a record.
func responseOf(rec *charte.Record, receipt bool) consentResponse {
	var granted []string
	for k, v := range rec.Choices {
		if v {
			granted = append(granted, k)
		}
	}
	cd := consent.Decision{ID: rec.ID, Version: rec.CharterVersion, Granted: granted, Method: string(rec.Method), Created: rec.CreatedAt, Expires: rec.ExpiresAt}
	resp := consentResponse{
		ID: rec.ID, Site: rec.Site, CharterVersion: rec.CharterVersion, Choices: rec.Choices, Method: rec.Method,
		PreviousID: rec.PreviousID, CreatedAt: rec.CreatedAt, ExpiresAt: rec.ExpiresAt, Cookie: cd.Encode(),
	}
	if receipt {
		resp.Seq, resp.Hash = rec.Seq, rec.Hash
	}
	return resp
}

// decodeJSON reads a JSON request body of at most maxConsentBody bytes into
// v, rejecting unknown fields, and names the field at fault in its error.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") && !strings.HasPrefix(ct, "text/plain") {
		return charte.FieldErrorf("Content-Type", "Send the body as application/json.")
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxConsentBody))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, extra := dec.Token(); extra != io.EOF {
			return charte.FieldErrorf("body", "The body must hold one JSON object and nothing after it.")
		}
		return nil
	}
	var (
		tooBig  *http.MaxBytesError
		typeErr *json.UnmarshalTypeError
		syntax  *json.SyntaxError
	)
	switch {
	case errors.As(err, &tooBig):
		return &charte.Error{Code: charte.ETOOLARGE, Field: "body", Message: fmt.Sprintf("The body is larger than %d bytes.", maxConsentBody)}
	case errors.As(err, &typeErr) && typeErr.Field == "":
		// The body itself is of the wrong kind ("x", [], 1).
		return charte.FieldErrorf("body", "The body must be a JSON object, not %s.", typeErr.Value)
	case errors.As(err, &typeErr):
		return charte.FieldErrorf(typeErr.Field, "%s must be a JSON %s, not %s.", typeErr.Field, jsonKind(typeErr.Type.Kind().String()), typeErr.Value)
	case errors.As(err, &syntax):
		return charte.FieldErrorf("body", "The body is not valid JSON (at byte %d).", syntax.Offset)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return charte.FieldErrorf("body", "The body is empty or cut short: send a JSON object.")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		// encoding/json has no typed error for unknown fields.
		field := strings.TrimPrefix(err.Error(), "json: unknown field ")
		if uq, err := strconv.Unquote(field); err == nil {
			field = uq
		}
		if field == "" {
			return charte.FieldErrorf("body", "The body has a field with an empty name.")
		}
		return charte.FieldErrorf(field, "Unknown field %q.", field)
	}
	return charte.FieldErrorf("body", "The body could not be read: %v.", err)
}

func jsonKind(goKind string) string {
	switch goKind {
	case "map", "struct":
		return "object"
	case "bool":
		return "boolean"
	case "slice":
		return "array"
	}
	return goKind
}

// writeJSON writes v as a JSON response with a status.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode json: %w", err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n')) // the client went away; nothing to do
	return nil
}
