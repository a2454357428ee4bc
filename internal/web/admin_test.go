package web

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/charterfile"
	"github.com/charte/charte/internal/password"
	"github.com/charte/charte/internal/sqlite"
)

const adminPassword = "correct horse battery staple"

// adminEnv is a running charte with a back office on a real SQLite database
// and one user, "admin". The back office's own tests are in
// internal/web/admin; this one is for the browser tests.
type adminEnv struct {
	srv *httptest.Server
	db  *sqlite.DB
	s   *Server
}

// MustAdminEnv starts a charte with a back office, as cmd/charte does.
func MustAdminEnv(tb testing.TB) *adminEnv {
	tb.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(tb.TempDir(), "admin.db"))
	if err != nil {
		tb.Fatal(err)
	}
	gc := charte.NewGroupCommitter(db, 0)
	tb.Cleanup(func() {
		gc.Close()
		db.Close()
	})
	hash, err := password.Hash(adminPassword, password.Params{Memory: 1024, Time: 1, Threads: 1})
	if err != nil {
		tb.Fatal(err)
	}
	if err := db.CreateUser(ctx, &charte.User{Name: "admin", PasswordHash: hash}); err != nil {
		tb.Fatal(err)
	}
	def := charterfile.Default()
	body, _ := json.Marshal(def)
	if err := db.SaveCharterVersion(ctx, &charte.CharterVersion{Site: def.Site.ID, Version: def.Version, Content: body}); err != nil {
		tb.Fatal(err)
	}
	sites, err := NewSites(def)
	if err != nil {
		tb.Fatal(err)
	}
	key, err := db.FindOrCreateSecret(ctx, "csrf")
	if err != nil {
		tb.Fatal(err)
	}
	s := NewServer(Options{Sites: sites, Recorder: gc, Log: db, Admin: &AdminOptions{Users: db, Sessions: db, Stats: db, Charters: db, Sleep: func(time.Duration) {}, CSRFKey: key}})
	srv := httptest.NewServer(s)
	tb.Cleanup(srv.Close)
	return &adminEnv{srv: srv, db: db, s: s}
}
