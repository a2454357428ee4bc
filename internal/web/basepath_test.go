package web

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestBasePath serves charte under /_charte, as charte proxy does in front
// of an app: every route answers there, and every link, script and API URL
// it hands out stays under it.
func TestBasePath(t *testing.T) {
	s := MustNewServer(t, Options{BasePath: "/_charte/"})
	for _, target := range []string{"/_charte/", "/_charte/cookies", "/_charte/demo", "/_charte/sites/data-aveyron/cookies"} {
		resp := get(t, s, target, nil)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s = %d, want 200", target, resp.StatusCode)
		}
		doc := parseHTML(t, resp)
		for d := range doc.Descendants() {
			for _, key := range []string{"href", "src", "data-src"} {
				if v, ok := attr(d, key); ok && strings.HasPrefix(v, "/") && !strings.HasPrefix(v, "/_charte/") {
					t.Errorf("GET %s: %s=%q is outside /_charte", target, key, v)
				}
			}
		}
	}
	resp := get(t, s, "/_charte/charte.js", nil)
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(string(body), `/_charte/api/v1"`) {
		t.Errorf("GET /_charte/charte.js = %d; its API URL is not under /_charte", resp.StatusCode)
	}
	if code := get(t, s, "/cookies", nil).StatusCode; code != http.StatusNotFound {
		t.Errorf("GET /cookies outside the base path = %d, want 404", code)
	}
	get(t, s, "/_charte/healthz", nil)
	metrics, _ := io.ReadAll(get(t, s, "/_charte/metrics", nil).Body)
	if !strings.Contains(string(metrics), `route="GET /healthz"`) {
		t.Error("metrics under a base path lost the route pattern")
	}
}
