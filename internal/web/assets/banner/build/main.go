// Command build writes the banner's generated source (src/methods.ts, from
// charte.Methods) and then its bundles from src/. Run it with
// `go generate ./internal/web/assets/banner`.
//
// It may import only the banner package and its bundle subpackage.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/charte/charte/internal/web/assets/banner"
	"github.com/charte/charte/internal/web/assets/banner/bundle"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run() error {
	dir, err := os.Getwd()
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(bundle.MethodsFile)), bundle.Methods(), 0o644); err != nil {
		return err
	}
	for i, name := range banner.Files {
		js, err := bundle.Build(dir, i == 1)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, name), js, 0o644); err != nil {
			return err
		}
	}
	js, err := bundle.BuildCenter(dir)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, banner.CenterFile), js, 0o644); err != nil {
		return err
	}
	for _, m := range bundle.Modules() {
		js, err := bundle.BuildModule(dir, m)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, m.File), js, 0o644); err != nil {
			return err
		}
	}
	return nil
}
