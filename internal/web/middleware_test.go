package web

import (
	"net/http"
	"net/http/httptest"

	"github.com/charte/charte/internal/charte"
)

// okHandler is the tiny handler the middleware tests wrap: it answers 200
// "ok" and records the request it saw.
type okHandler struct{ seen *http.Request }

func (h *okHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.seen = r
	_, _ = w.Write([]byte("ok")) // a recorder does not fail
}

// serveThrough serves req through mw around h and returns the recorder.
func serveThrough(mw func(http.Handler) http.Handler, h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	mw(h).ServeHTTP(rec, req)
	return rec
}

// codeWriter is an errorWriter that answers with the status of the
// error's code, as [Server.writeError] does, and keeps the error.
type codeWriter struct{ err error }

func (c *codeWriter) write(w http.ResponseWriter, r *http.Request, err error) {
	c.err = err
	status, ok := statusOf[charte.ErrorCode(err)]
	if !ok {
		status = http.StatusInternalServerError
	}
	w.WriteHeader(status)
}
