// Package banner holds charte's consent banner: its TypeScript and CSS
// source in src/, and the bundles built from it, committed so that `go
// build` needs no build step. Regenerate them with
//
//	go generate ./internal/web/assets/banner
//
// which writes src/methods.ts from charte.Methods, the one list of decision
// methods, and then runs bundle.Build through esbuild's Go API: no Node.js
// is needed. A test fails when a committed bundle or src/methods.ts is
// stale; another runs tsc --strict on src/ when TypeScript is installed,
// since esbuild strips types without checking them.
//
// There are two bundles of the first script, charte.js, so that a site pays
// only for what it uses: [JS], and [GCM], which also sends Google Consent
// Mode signals; and [Center], the preference center, which charte.js loads
// when it is first needed (charte-center.js). Each holds
// [ConfigPlaceholder] exactly once, where the server puts a site's
// configuration as a JSON object (for [Center], its categories' details).
//
// Optional modules travel only with the charters that need them: the server
// puts [AutoBlockFile] before charte.js's main code when options.auto_block
// is on, and after it, for a charter that names services, [ServicesFile]
// with the loaders its services use ([LoaderFile]), in one closure where
// they share __charteLoaders ([Modules]).
//
// It imports only the standard library; esbuild is confined to the bundle
// subpackage, used by the generator and the tests.
package banner

import (
	"embed"
)

//go:generate go run ./build

// ConfigPlaceholder is the identifier in the bundles that the server
// replaces with a site's configuration, a JSON object.
const ConfigPlaceholder = "__CHARTE_CONFIG__"

// Files are the names of the committed bundles, without and with Google
// Consent Mode.
var Files = [2]string{"charte.min.js", "charte-gcm.min.js"}

// JS is the committed bundle without Google Consent Mode: minified ES2020
// in one IIFE.
//
//go:embed charte.min.js
var JS []byte

// GCM is the committed bundle with Google Consent Mode v2.
//
//go:embed charte-gcm.min.js
var GCM []byte

// CenterFile is the name of the committed preference center's bundle.
const CenterFile = "charte-center.min.js"

// Center is the committed bundle of the preference center.
//
//go:embed charte-center.min.js
var Center []byte

// AutoBlockFile and ServicesFile are the names of the committed optional
// modules of auto_block and of the services a charter names.
const (
	AutoBlockFile = "charte-autoblock.min.js"
	ServicesFile  = "charte-services.min.js"
)

// LoaderFile returns the name of the committed module of a built-in loader,
// such as gtag: the name a catalogue service's tag gives.
func LoaderFile(loader string) string { return "charte-loader-" + loader + ".min.js" }

// Modules holds the committed optional modules: [AutoBlockFile],
// [ServicesFile] and the loaders' ([LoaderFile]). The first two hold
// [ConfigPlaceholder] once; the loaders hold none.
//
//go:embed charte-autoblock.min.js charte-services.min.js charte-loader-*.min.js
var Modules embed.FS
