package web

import (
	"fmt"
	"net/http"
	"runtime/debug"
)

// recoverer turns a panicking handler into a logged 500 instead of a dropped
// connection; http.ErrAbortHandler is let through, as net/http expects.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.logger.ErrorContext(r.Context(), "panic", "id", requestIDFrom(r.Context()), "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			s.writeError(w, r, fmt.Errorf("panic serving %s: %v", r.URL.Path, v))
		}()
		next.ServeHTTP(w, r)
	})
}
