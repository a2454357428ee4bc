package web

import (
	"context"
	"net/http"
	"time"
)

// handleHealth says the process is up (liveness): it checks nothing else.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte("ok\n")) // the client went away; nothing to do
	return nil
}

// handleReady says whether the server can serve (readiness): the database
// answers within two seconds.
func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Cache-Control", "no-store")
	if s.ready != nil {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := s.ready(ctx); err != nil {
			s.logger.WarnContext(r.Context(), "not ready", "err", err)
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("database unavailable\n")) // the client went away; nothing to do
			return nil
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ready\n")) // the client went away; nothing to do
	return nil
}
