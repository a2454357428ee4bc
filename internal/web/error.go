package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/charte/charte/internal/charte"
)

// statusOf maps each domain error code to its HTTP status.
var statusOf = map[string]int{
	charte.EINVALID:      http.StatusBadRequest,
	charte.ENOTFOUND:     http.StatusNotFound,
	charte.ECONFLICT:     http.StatusConflict,
	charte.EUNAUTHORIZED: http.StatusUnauthorized,
	charte.EFORBIDDEN:    http.StatusForbidden,
	charte.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	charte.ERATELIMIT:    http.StatusTooManyRequests,
	charte.EINTERNAL:     http.StatusInternalServerError,
}

// errorBody is the JSON body of every API error.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	// Field names the input at fault, when one is.
	Field     string `json:"field,omitempty"`
	RequestID string `json:"request_id,omitempty"`
}

// writeError is the one place that turns an error into a response: JSON
// under /api/, an HTML page elsewhere. Internal errors are logged with the
// request id; the client sees only a generic message.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	if r.Context().Err() != nil && errors.Is(err, r.Context().Err()) {
		// The client went away (what nginx logs as 499): nobody reads an
		// answer, and it is not charte's error.
		s.logger.DebugContext(r.Context(), "client gone", "id", requestIDFrom(r.Context()), "path", r.URL.Path)
		w.WriteHeader(499)
		return
	}
	code := charte.ErrorCode(err)
	status := s.errorStatus(r, err)
	id := requestIDFrom(r.Context())
	msg := charte.ErrorMessage(err)
	if strings.HasPrefix(r.URL.Path, "/api/") {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(errorBody{Error: errorDetail{Code: code, Message: msg, Field: charte.ErrorField(err), RequestID: id}}) // the client went away; nothing to do
		return
	}
	lang := s.negotiate(r, nil)
	page := errorPage{
		pageBase:  s.base(r, lang, nil),
		Status:    status,
		Message:   msg,
		RequestID: id,
	}
	if name := fmt.Sprintf("error.name.%d", status); page.T(name) != name {
		page.Name = page.T(name)
		// The domain's messages are written in English: in another
		// language the page says what the status means instead.
		if lang != "en" {
			page.Message = page.T(fmt.Sprintf("error.body.%d", status))
		}
	}
	s.renderPage(w, r, status, "error.html", page)
}

// errorStatus returns the status of err by the code-to-status table, and
// logs err with the request id when it is internal.
func (s *Server) errorStatus(r *http.Request, err error) int {
	code := charte.ErrorCode(err)
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	if code == charte.EINTERNAL {
		s.logger.ErrorContext(r.Context(), "internal error", "id", requestIDFrom(r.Context()), "method", r.Method, "path", r.URL.Path, "err", err)
	}
	return status
}

// handleNotFound answers every path no route matches.
func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) error {
	return charte.Errorf(charte.ENOTFOUND, "There is nothing at %s.", r.URL.Path)
}
