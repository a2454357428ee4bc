// Command screenshots makes the pictures of the README (docs/*.png) from a
// real charte, so that they show what charte looks like today and nobody
// draws them by hand:
//
//	go run ./docs/screenshots            # writes docs/banner-*.png, docs/dashboard-*.png
//	go run ./docs/screenshots -out /tmp  # elsewhere
//	go run ./docs/screenshots -out /tmp -dark -all  # and the home, policy and receipts pages
//
// It builds the charte command, creates a back-office user in a new SQLite
// database, starts `charte serve` on a free loopback port, records a few
// decisions through the public API as banners do, and photographs in
// headless Chromium, at 1280×800 and 390×844: the demo page with its
// consent banner, and the dashboard after signing in. It needs Debian's
// chromium (or -chromium PATH).
//
// It imports charte's chromium package and chromedp; charte itself it runs
// as a separate process, as a site owner does.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/charte/charte/internal/chromium"
)

// password is the throwaway back-office user's, in a database deleted at the end.
const password = "screenshots only, deleted after"

// viewport is one screen size a picture is taken at.
type viewport struct {
	name          string
	width, height int64
	mobile        bool
}

var viewports = []viewport{
	{"1280", 1280, 800, false},
	{"390", 390, 844, true},
}

func main() {
	out := flag.String("out", "docs", "the folder the PNG files go to")
	browser := flag.String("chromium", "", "the browser to run (default: chromium, chromium-browser, google-chrome… on PATH)")
	dark := flag.Bool("dark", false, "also photograph the dark scheme (…-dark.png)")
	all := flag.Bool("all", false, "also photograph the home page, the cookie policy and the back office's receipts (home-, cookies-, receipts-*.png), to look at after a change")
	flag.Parse()
	log.SetFlags(0)
	if err := run(*out, *browser, *dark, *all); err != nil {
		log.Fatalf("screenshots: %v", err)
	}
}

func run(out, browser string, dark, all bool) error {
	tmp, err := os.MkdirTemp("", "charte-screenshots-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "charte")
	if err := command("", "go", "build", "-o", bin, "./cmd/charte").Run(); err != nil {
		return fmt.Errorf("build charte: %w", err)
	}
	db := "sqlite:" + filepath.Join(tmp, "charte.db")
	add := command(password+"\n", bin, "user", "add", "admin", "--db", db)
	if err := add.Run(); err != nil {
		return fmt.Errorf("charte user add: %w", err)
	}
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	serve := command("", bin, "serve", "--addr", addr, "--db", db)
	if err := serve.Start(); err != nil {
		return fmt.Errorf("charte serve: %w", err)
	}
	defer func() {
		_ = serve.Process.Signal(os.Interrupt)
		_ = serve.Wait()
	}()
	base := "http://" + addr
	if err := waitReady(base); err != nil {
		return err
	}
	if err := recordDecisions(base); err != nil {
		return err
	}

	path, err := chromium.Find(browser)
	if err != nil {
		return fmt.Errorf("%w: apt-get install -y chromium, or give -chromium PATH", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, append(chromium.ExecAllocatorOptions(path, filepath.Join(tmp, "profile")),
		chromedp.Flag("lang", "fr-FR"), chromedp.Flag("accept-lang", "fr-FR,fr"))...)
	defer cancelAlloc()
	schemes := []string{"light"}
	if dark {
		schemes = append(schemes, "dark")
	}
	for _, scheme := range schemes {
		suffix := ""
		if scheme == "dark" {
			suffix = "-dark"
		}
		for _, vp := range viewports {
			if err := shoot(ctx, vp, scheme, filepath.Join(out, "banner-"+vp.name+suffix+".png"), bannerSteps(base)); err != nil {
				return err
			}
			if err := shoot(ctx, vp, scheme, filepath.Join(out, "dashboard-"+vp.name+suffix+".png"), dashboardSteps(base)); err != nil {
				return err
			}
			if !all {
				continue
			}
			for name, steps := range map[string][]chromedp.Action[chromedp.Void]{
				"home":     pageSteps(base + "/"),
				"cookies":  pageSteps(base + "/cookies"),
				"receipts": append(dashboardSteps(base), chromedp.Navigate(base+"/admin/receipts"), chromedp.WaitVisible(chromedp.CSS("main table"))),
			} {
				if err := shoot(ctx, vp, scheme, filepath.Join(out, name+"-"+vp.name+suffix+".png"), steps); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// command runs name with args from the module's root, stdin as its input,
// its output on this command's stderr.
func command(stdin, name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	return cmd
}

// freeAddr returns a loopback address with a port nobody listens on.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func waitReady(base string) error {
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("charte serve at %s is not ready after 20 s: %v", base, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// recordDecisions posts a mix of decisions for the built-in site, from its
// first origin, as its banner would, so that the dashboard has figures.
func recordDecisions(base string) error {
	resp, err := http.Get(base + "/api/v1/sites/charte/charter")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var ch struct {
		Version string `json:"version"`
		Site    struct {
			Origins []string `json:"origins"`
		} `json:"site"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&ch); err != nil {
		return fmt.Errorf("read the built-in charter: %w", err)
	}
	if len(ch.Site.Origins) == 0 {
		return fmt.Errorf("the built-in charter lists no origin")
	}
	mix := []struct {
		method  string
		choices map[string]bool
		n       int
	}{
		{"accept_all", nil, 23},
		{"reject_all", nil, 17},
		{"custom", map[string]bool{"statistics": true, "marketing": false}, 8},
		{"gpc", nil, 3},
	}
	for _, m := range mix {
		for range m.n {
			body, _ := json.Marshal(map[string]any{"site": "charte", "charter_version": ch.Version, "method": m.method, "choices": m.choices})
			req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/consents", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Origin", ch.Site.Origins[0])
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return err
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusCreated {
				return fmt.Errorf("record a %s decision: %s", m.method, resp.Status)
			}
		}
	}
	return nil
}

// bannerSteps opens the demo page and waits for the banner's first layer.
func bannerSteps(base string) []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(base + "/demo"),
		chromedp.Poll[chromedp.Void](`document.getElementById('charte-root')?.shadowRoot?.querySelector('[role=dialog], [role=region], section, div') ? true : null`, chromedp.WithPollingTimeout(15*time.Second)),
		chromedp.Sleep(400 * time.Millisecond), // the banner's entrance transition
	}
}

// pageSteps opens a public page and leaves the banner as a first visitor
// sees it.
func pageSteps(url string) []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(url),
		chromedp.WaitVisible(chromedp.CSS("main")),
		chromedp.Sleep(400 * time.Millisecond),
	}
}

// dashboardSteps signs in to the back office and opens the dashboard.
func dashboardSteps(base string) []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(base + "/admin/login"),
		chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SendKeys(chromedp.CSS("#username"), "admin"),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS("svg.chart, main table")),
	}
}

// shoot runs steps in a new tab of vp's size and scheme and writes what
// the viewport shows to file.
func shoot(ctx context.Context, vp viewport, scheme, file string, steps []chromedp.Action[chromedp.Void]) error {
	tab, cancel := chromedp.NewContext(ctx)
	defer cancel()
	setup := []chromedp.Action[chromedp.Void]{
		chromedp.EmulateViewport(vp.width, vp.height, chromedp.EmulateScale(1), emulateMobile(vp.mobile)),
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}})
			return err
		}),
	}
	if err := chromedp.Do(tab, append(setup, steps...)...); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	png, err := chromedp.Run(tab, chromedp.CaptureScreenshot())
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	if err := os.WriteFile(file, png, 0o644); err != nil {
		return err
	}
	log.Printf("wrote %s (%d×%d, %s, %d B)", file, vp.width, vp.height, scheme, len(png))
	return nil
}

func emulateMobile(mobile bool) chromedp.EmulateViewportOption {
	if mobile {
		return chromedp.EmulateMobile
	}
	return func(*emulation.SetDeviceMetricsOverrideParams, *emulation.SetTouchEmulationEnabledParams) {}
}
