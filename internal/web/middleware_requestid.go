package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
)

type requestIDKey struct{}

// requestID gives every request an id, echoed in X-Request-Id and attached to
// its logs, so that an error a visitor reports can be found.
func requestID() func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var b [8]byte
			_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go ≥ 1.24)
			id := hex.EncodeToString(b[:])
			w.Header().Set("X-Request-Id", id)
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id)))
		})
	}
}

// requestIDFrom returns the request's id, or "".
func requestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}
