// Command build writes the banner's bundles from src/. Run it with
// `go generate ./internal/web/assets/banner`.
//
// It may import only the banner package and its bundle subpackage.
package main

import (
	"fmt"
	"os"

	"github.com/charte/charte/internal/web/assets/banner"
	"github.com/charte/charte/internal/web/assets/banner/bundle"
)

func main() {
	dir, err := os.Getwd()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for i, name := range banner.Files {
		js, err := bundle.Build(dir, i == 1)
		if err == nil {
			err = os.WriteFile(name, js, 0o644)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}
