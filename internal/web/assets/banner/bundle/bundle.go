// Package bundle builds charte's banner from its TypeScript and CSS source
// with esbuild's Go API, and generates the part of that source that comes
// from the domain (src/methods.ts, [Methods]). Only the generator (../build)
// and the banner's tests import it, so that esbuild stays out of the charte
// binary.
//
// It may import only esbuild's Go API and internal/charte (for the list of
// methods).
package bundle

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
)

// Build bundles and minifies the banner's source in dir/src with esbuild
// and returns the bundle, with Google Consent Mode if gcm or without. The
// result is deterministic: the same source gives the same bytes.
func Build(dir string, gcm bool) ([]byte, error) {
	return build(dir, "src/main.ts", "banner.css", "__CHARTE_CSS__", map[string]string{"__CHARTE_GCM__": fmt.Sprint(gcm)})
}

// BuildCenter bundles and minifies the preference center (src/center.ts
// and src/center.css), which charte.js loads when it is first needed: a
// bundle of its own, with its own config placeholder.
func BuildCenter(dir string) ([]byte, error) {
	return build(dir, "src/center.ts", "center.css", "__CHARTE_CENTER_CSS__", nil)
}

// Module is one of the banner's optional modules, which the server adds to
// charte.js only for the charters that need them (internal/web/banner.go):
// auto_block before the main code, the services module and its loaders
// after it.
type Module struct {
	// Entry is its source file in src/; File the committed bundle's name.
	Entry, File string
	// CSS is its stylesheet in src/, if any, inlined as the string
	// constant CSSName.
	CSS, CSSName string
	// Config says it holds the config placeholder (once), where the server
	// puts its configuration.
	Config bool
}

// Modules are the banner's optional modules: auto_block, the services
// module, then one per built-in loader (src/loader-NAME.ts, which sets
// __charteLoaders.NAME), in the order the server may concatenate them.
func Modules() []Module {
	mods := []Module{
		{Entry: "src/autoblock.ts", File: "charte-autoblock.min.js", Config: true},
		{Entry: "src/services.ts", File: "charte-services.min.js", CSS: "services.css", CSSName: "__CHARTE_SERVICES_CSS__", Config: true},
	}
	for _, name := range Loaders {
		mods = append(mods, Module{Entry: "src/loader-" + name + ".ts", File: "charte-loader-" + name + ".min.js"})
	}
	return mods
}

// Loaders are the names of the built-in loaders, as a catalogue service's
// tag names its loader; "script", a plain script, needs none.
var Loaders = []string{"clarity", "crisp", "fathom", "fbq", "gtag", "gtm", "hotjar", "hubspot", "intercom", "linkedin", "matomo", "piano", "pinterest", "plausible", "snap", "tiktok", "uet", "x", "zendesk"}

// BuildModule bundles and minifies one optional module.
func BuildModule(dir string, m Module) ([]byte, error) {
	return buildOpts(dir, m.Entry, m.CSS, m.CSSName, nil, m.Config)
}

// build bundles entry with the minified css file inlined as the string
// constant cssName, and the other defines.
func build(dir, entry, cssFile, cssName string, define map[string]string) ([]byte, error) {
	return buildOpts(dir, entry, cssFile, cssName, define, true)
}

// buildOpts is build, for a bundle with no stylesheet if cssFile is "",
// and without the config placeholder unless config.
func buildOpts(dir, entry, cssFile, cssName string, define map[string]string, config bool) ([]byte, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("build banner: %w", err)
	}
	defines := map[string]string{}
	if cssFile != "" {
		css, err := os.ReadFile(filepath.Join(dir, "src", cssFile))
		if err != nil {
			return nil, fmt.Errorf("build banner: %w", err)
		}
		styles := api.Transform(string(css), api.TransformOptions{
			Loader:           api.LoaderCSS,
			MinifyWhitespace: true,
			MinifySyntax:     true,
			LegalComments:    api.LegalCommentsNone,
			// No engines: browsers that adopt stylesheets need no prefixes.
		})
		if err := buildError(cssFile, styles.Errors); err != nil {
			return nil, err
		}
		quoted, err := json.Marshal(strings.TrimSpace(string(styles.Code)))
		if err != nil {
			return nil, fmt.Errorf("build banner: %w", err)
		}
		defines[cssName] = string(quoted)
	}
	for k, v := range define {
		defines[k] = v
	}
	res := api.Build(api.BuildOptions{
		AbsWorkingDir:     dir,
		EntryPoints:       []string{entry},
		Bundle:            true,
		Write:             false,
		Format:            api.FormatIIFE,
		Platform:          api.PlatformBrowser,
		Target:            api.ES2020,
		MinifyWhitespace:  true,
		MinifyIdentifiers: true,
		MinifySyntax:      true,
		Charset:           api.CharsetUTF8,
		LegalComments:     api.LegalCommentsNone,
		Sourcemap:         api.SourceMapNone,
		Define:            defines,
		LogLevel:          api.LogLevelSilent,
	})
	if err := buildError(entry, res.Errors); err != nil {
		return nil, err
	}
	if len(res.OutputFiles) != 1 {
		return nil, fmt.Errorf("build banner: esbuild wrote %d files, want 1", len(res.OutputFiles))
	}
	out := res.OutputFiles[0].Contents
	want := 0
	if config {
		want = 1
	}
	if n := strings.Count(string(out), configPlaceholder); n != want {
		return nil, fmt.Errorf("build banner: %s holds %s %d times, want %d", entry, configPlaceholder, n, want)
	}
	return out, nil
}

// configPlaceholder is banner.ConfigPlaceholder (bundle cannot import the
// package whose test imports it); the banner's tests check they agree.
const configPlaceholder = "__CHARTE_CONFIG__"

// buildError turns esbuild's messages into one error, or nil.
func buildError(what string, msgs []api.Message) error {
	if len(msgs) == 0 {
		return nil
	}
	var b strings.Builder
	for _, m := range msgs {
		if m.Location != nil {
			fmt.Fprintf(&b, "\n%s:%d:%d: %s", m.Location.File, m.Location.Line, m.Location.Column, m.Text)
		} else {
			fmt.Fprintf(&b, "\n%s", m.Text)
		}
	}
	return fmt.Errorf("build banner: %s:%s", what, b.String())
}
