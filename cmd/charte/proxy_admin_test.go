package main

import (
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestProxyHasNoBackOffice checks that charte proxy mounts no back office
// under its prefix: every path of it is a plain 404, and nothing is logged
// as an error (the back office is served by charte serve, on an internal
// address).
func TestProxyHasNoBackOffice(t *testing.T) {
	dir := t.TempDir()
	app := shopApp(t)
	charter := writeShopCharter(t, filepath.Join(dir, "shop.yaml"), "statistics")
	rs := MustRunProxy(t, nil, "--upstream", app.URL, "--charter", charter, "--db", "sqlite:"+filepath.Join(dir, "charte.db"))
	client := &http.Client{
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	tests := []struct {
		name   string
		method string
		path   string
	}{
		{name: "dashboard", method: http.MethodGet, path: "/_charte/admin/"},
		{name: "no trailing slash", method: http.MethodGet, path: "/_charte/admin"},
		{name: "sign-in page", method: http.MethodGet, path: "/_charte/admin/login"},
		{name: "sign-in", method: http.MethodPost, path: "/_charte/admin/login"},
		{name: "receipts", method: http.MethodGet, path: "/_charte/admin/receipts?id=x"},
		{name: "export", method: http.MethodGet, path: "/_charte/admin/export?format=csv"},
		{name: "charter diff", method: http.MethodGet, path: "/_charte/admin/charters/shop/diff"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			form := url.Values{"username": {"admin"}, "password": {"x"}}
			req, err := http.NewRequest(tc.method, rs.URL+tc.path, strings.NewReader(form.Encode()))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusNotFound {
				t.Errorf("%s %s = %d, want 404", tc.method, tc.path, resp.StatusCode)
			}
			if c := resp.Header.Get("Set-Cookie"); c != "" {
				t.Errorf("%s %s sets a cookie: %q", tc.method, tc.path, c)
			}
		})
	}
	if logs := rs.stderr.String(); strings.Contains(logs, "level=ERROR") {
		t.Errorf("the proxy logged an error:\n%s", logs)
	}
}
