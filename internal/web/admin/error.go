package admin

import (
	"errors"
	"net/http"

	"github.com/charte/charte/internal/charte"
)

// messageError is a domain error whose message the back office shows in
// its own language: key names the message in the back office's catalogue,
// args are its arguments. [charte.ErrorCode] and [charte.ErrorMessage]
// see the wrapped *charte.Error (English), as every other caller does.
type messageError struct {
	err  *charte.Error
	key  string
	args []any
}

func (e *messageError) Error() string { return e.err.Error() }

func (e *messageError) Unwrap() error { return e.err }

// translated returns err, a domain error, with the back office's message
// key and its arguments.
func translated(err *charte.Error, key string, args ...any) error {
	return &messageError{err: err, key: key, args: args}
}

// errorPage is the data of admin_error.html.
type errorPage struct {
	adminBase
	Status    int
	Message   string
	RequestID string
}

// genericErrors is the message of each status when the error has none in
// the back office's catalogue.
var genericErrors = map[int]string{
	http.StatusBadRequest:          "error.invalid",
	http.StatusUnauthorized:        "error.unauthorized",
	http.StatusForbidden:           "error.forbidden",
	http.StatusNotFound:            "error.notfound",
	http.StatusConflict:            "error.conflict",
	http.StatusTooManyRequests:     "error.ratelimit",
	http.StatusInternalServerError: "error.internal",
}

// writeError answers with an error page of the back office, in its
// language, with its header, and a way back: the sign-in page, or the
// dashboard once signed in. The host decides the status (and logs internal
// errors); a client that went away gets the host's answer.
func (s *Office) writeError(w http.ResponseWriter, r *http.Request, err error) {
	if r.Context().Err() != nil && errors.Is(err, r.Context().Err()) {
		s.host.WriteError(w, r, err)
		return
	}
	status := s.host.Status(r, err)
	base := s.adminBase(r)
	base.Section = "error"
	page := errorPage{adminBase: base, Status: status, RequestID: s.host.RequestID(r.Context())}
	var me *messageError
	switch {
	case errors.As(err, &me):
		page.Message = base.T(me.key, me.args...)
	case genericErrors[status] != "":
		page.Message = base.T(genericErrors[status])
	default:
		page.Message = base.T("error.internal")
	}
	s.renderAdmin(w, r, status, "admin_error.html", page)
}
