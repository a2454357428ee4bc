package web

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
)

// errorWriter answers a request with an error: [Server.writeError].
type errorWriter func(w http.ResponseWriter, r *http.Request, err error)

// recoverer turns a panicking handler into a logged 500, written by
// writeError, instead of a dropped connection; http.ErrAbortHandler is let
// through, as net/http expects.
func recoverer(logger *slog.Logger, writeError errorWriter) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				v := recover()
				if v == nil {
					return
				}
				if v == http.ErrAbortHandler {
					panic(v)
				}
				logger.ErrorContext(r.Context(), "panic", "id", requestIDFrom(r.Context()), "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				writeError(w, r, fmt.Errorf("panic serving %s: %v", r.URL.Path, v))
			}()
			next.ServeHTTP(w, r)
		})
	}
}
