package web

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/charte/charte/internal/charte"
	"github.com/charte/charte/internal/charterfile"
	"github.com/charte/charte/internal/services"
	"github.com/charte/charte/internal/web/assets/banner"
)

// exampleService is a service of the built-in charter's size tests.
func exampleService(loader string) bannerService {
	return bannerService{ID: "example-" + loader, Name: "Example", Provider: "Example Ltd", Category: "statistics", Loader: loader,
		Src: "https://tag.example.com/tag.js?id=X-123", Params: map[string]string{"id": "X-123"}, Hosts: []string{"tag.example.com"}}
}

// TestBannerScriptModules checks which modules charte.js carries: none for
// a charter without services, the services module with only the loaders its
// services use, each once, and auto_block, first, only when it is on.
func TestBannerScriptModules(t *testing.T) {
	cfg := newBannerConfig(charterfile.Default(), []string{"fr"}, "https://consent.example.org", time.Now())
	loader := func(name string) []byte { return bannerModules.loaders[name] }
	tests := []struct {
		name      string
		services  []string // loaders
		autoBlock bool
		want      [][]byte
		wantNot   [][]byte
	}{
		{name: "no services", autoBlock: true, wantNot: [][]byte{bannerModules.services[0], bannerModules.autoBlock[0], loader("gtag")}},
		{name: "a plain script", services: []string{"script"}, want: [][]byte{bannerModules.services[0]}, wantNot: [][]byte{loader("gtag"), bannerModules.autoBlock[0]}},
		{name: "gtag twice and gtm", services: []string{"gtag", "gtm", "gtag"}, want: [][]byte{loader("gtag"), loader("gtm")}, wantNot: [][]byte{loader("matomo")}},
		{name: "auto_block", services: []string{""}, autoBlock: true, want: [][]byte{bannerModules.autoBlock[0]}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := cfg
			c.Services = nil
			for _, l := range tc.services {
				c.Services = append(c.Services, exampleService(l))
			}
			c.AutoBlock = tc.autoBlock
			js, err := bannerScript(c)
			if err != nil {
				t.Fatal(err)
			}
			for _, part := range tc.want {
				if n := bytes.Count(js, part); n != 1 {
					t.Errorf("charte.js holds %.40q… %d times, want once", part, n)
				}
			}
			for _, part := range tc.wantNot {
				if bytes.Contains(js, part) {
					t.Errorf("charte.js holds %.40q…, want it left out", part)
				}
			}
			if tc.autoBlock && len(tc.services) > 0 && !bytes.HasPrefix(js, bannerModules.autoBlock[0]) {
				t.Error("auto_block is not first in charte.js")
			}
			if bytes.Contains(js, []byte(banner.ConfigPlaceholder)) || bytes.Count(js, []byte(`"use strict"`)) > 1 {
				t.Error("charte.js holds a config placeholder, or a module kept its use strict directive")
			}
			if cfg := bannerConfigOf(t, js); len(cfg.Services) != len(tc.services) || cfg.AutoBlock != tc.autoBlock {
				t.Errorf("the main configuration has %d services and auto_block %v, want %d and %v", len(cfg.Services), cfg.AutoBlock, len(tc.services), tc.autoBlock)
			}
		})
	}
}

// TestBannerModuleSizes measures what each optional module adds to the
// built-in charter's banner in French, gzipped, and holds the README's
// table to it.
func TestBannerModuleSizes(t *testing.T) {
	cfg := newBannerConfig(charterfile.Default(), []string{"fr"}, "https://consent.example.org", time.Now())
	size := func(c bannerConfig) int {
		js, err := bannerScript(c)
		if err != nil {
			t.Fatal(err)
		}
		return gzipSize(t, js)
	}
	with := func(autoBlock bool, loaders ...string) bannerConfig {
		c := cfg
		for _, l := range loaders {
			c.Services = append(c.Services, exampleService(l))
		}
		c.AutoBlock = autoBlock
		if autoBlock {
			c.OtherHosts = catalogHosts(charterfile.Default(), services.Default())
		}
		return c
	}
	base, script := size(cfg), size(with(false, "script"))
	onlyNamed := with(true, "script")
	onlyNamed.OtherHosts = nil
	added := map[string]int{
		"services":          script - base,
		"autoblock":         size(onlyNamed) - script,
		"autoblock-catalog": size(with(true, "script")) - size(onlyNamed),
	}
	for name := range bannerModules.loaders {
		added[name] = size(with(false, name)) - script
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for name, n := range added {
		t.Logf("%s adds %d B gzipped", name, n)
		m := regexp.MustCompile("(?m)^ *\\| `" + name + "` \\| ([0-9,]+) B").FindSubmatch(readme)
		if m == nil {
			t.Errorf("the README's table of the banner's modules has no row for %s (%d B)", name, n)
			continue
		}
		said, _ := strconv.Atoi(string(bytes.ReplaceAll(m[1], []byte(","), nil)))
		if d := said - n; d < -15 || d > 15 {
			t.Errorf("the README says %s adds %d B, it adds %d B: %s", name, said, n, fmt.Sprint(added))
		}
	}
}

// TestCatalogHosts checks auto_block's table of the catalogue's other
// services: every host of a service the charter does not name, but for
// the necessary ones, and none of a service it names.
func TestCatalogHosts(t *testing.T) {
	ch := charterfile.Default()
	ch.Services = []charte.SiteService{{ID: "youtube"}}
	got := map[string][2]string{}
	for _, h := range catalogHosts(ch, services.Default()) {
		if _, ok := got[h[0]]; !ok { // as auto_block, the first entry of a host wins
			got[h[0]] = [2]string{h[1], h[2]}
		}
	}
	for _, tc := range []struct {
		host string
		want [2]string
		in   bool
	}{
		{host: "snap.licdn.com", want: [2]string{"marketing", "linkedin-insight"}, in: true},
		{host: "*.hotjar.com", want: [2]string{"statistics", "hotjar"}, in: true},
		{host: "www.youtube.com"},
		{host: "js.hcaptcha.com"},
	} {
		h, ok := got[tc.host]
		if ok != tc.in || (ok && h != tc.want) {
			t.Errorf("catalogHosts[%s] = %v, %v; want %v, %v", tc.host, h, ok, tc.want, tc.in)
		}
	}
}
