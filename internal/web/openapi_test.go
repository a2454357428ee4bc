package web

import (
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"

	"github.com/charte/charte/internal/mock"
)

// TestOpenAPIMatchesRoutes fails when docs/openapi.yaml and routes.go
// disagree on the API's routes.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	data, err := os.ReadFile("../../docs/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("parse openapi.yaml: %v", err)
	}
	var documented []string
	for path, ops := range doc.Paths {
		for method := range ops {
			documented = append(documented, strings.ToUpper(method)+" "+path)
		}
	}
	// Every surface the API has: the consent routes need a consent log.
	s := MustNewServer(t, Options{Recorder: &mock.Recorder{}, Log: &mock.ConsentLog{}})
	var served []string
	for _, rt := range s.routeList() {
		if method, path, ok := strings.Cut(rt.pattern, " "); ok && strings.HasPrefix(path, "/api/") {
			served = append(served, method+" "+path)
		}
	}
	sort.Strings(documented)
	sort.Strings(served)
	if diff := cmp.Diff(served, documented); diff != "" {
		t.Errorf("docs/openapi.yaml paths (-served +documented):\n%s", diff)
	}
}
