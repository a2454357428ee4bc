package web

import (
	"fmt"
	"github.com/chromedp/chromedp"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/charte/charte/internal/charterfile"
)

func TestZZAnchors(t *testing.T) {
	browser := MustBrowser(t)
	sites, err := NewSites(charterfile.Default())
	if err != nil {
		t.Fatal(err)
	}
	cs := httptest.NewServer(NewServer(Options{Sites: sites}))
	t.Cleanup(cs.Close)
	mux := http.NewServeMux()
	mux.Handle("/nm/", http.StripPrefix("/nm/", http.FileServer(http.Dir("/tmp/anchors/node_modules"))))
	mux.HandleFunc("/charte.html", func(w http.ResponseWriter, r *http.Request) {
		b, _ := os.ReadFile("/tmp/anchors/site/charte.html")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(strings.ReplaceAll(string(b), "CHARTE", cs.URL)))
	})
	mux.Handle("/", http.FileServer(http.Dir("/tmp/anchors/site")))
	l, err := net.Listen("tcp", "127.0.0.5:0")
	if err != nil {
		t.Fatal(err)
	}
	ps := httptest.NewUnstartedServer(mux)
	ps.Listener.Close()
	ps.Listener = l
	ps.Start()
	t.Cleanup(ps.Close)
	os.Setenv("CHARTE_TEST_SHOTS", "/tmp/shots-bannerui/anchors")
	for _, name := range []string{"vanilla", "orejime", "charte"} {
		for _, sc := range []struct{ w, h int64 }{{390, 844}, {1280, 800}} {
			for _, dark := range []bool{false, true} {
				b := newTab(t, browser)
				b.allow = func(string) bool { return true }
				b.view(sc.w, sc.h, dark)
				b.do("open", chromedp.Navigate(ps.URL+"/"+name+".html"))
				time.Sleep(1500 * time.Millisecond)
				suffix := ""
				if dark {
					suffix = "-dark"
				}
				b.shot(name + "-" + fmt.Sprint(sc.w) + suffix)
				switch name {
				case "vanilla":
					eval[any](b, `CookieConsent.showPreferences(), 1`)
				case "orejime":
					eval[any](b, `([...document.querySelectorAll('button')].find(b => /Personnaliser|choisir|En savoir/i.test(b.textContent))?.click(), 1)`)
				case "charte":
					eval[any](b, `charte.show(), 1`)
				}
				time.Sleep(1200 * time.Millisecond)
				b.shot(name + "-center-" + fmt.Sprint(sc.w) + suffix)
			}
		}
	}
}
