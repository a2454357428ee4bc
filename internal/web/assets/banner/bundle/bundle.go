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

// build bundles entry with the minified css file inlined as the string
// constant cssName, and the other defines.
func build(dir, entry, cssFile, cssName string, define map[string]string) ([]byte, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("build banner: %w", err)
	}
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
	defines := map[string]string{cssName: string(quoted)}
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
	if n := strings.Count(string(out), configPlaceholder); n != 1 {
		return nil, fmt.Errorf("build banner: %s holds %s %d times, want once", entry, configPlaceholder, n)
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
