package vendortest

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// TestStubRoutes asks the stub, as a Go client, for what the fixture
// page loads: each answers, is recorded, and belongs to its service.
func TestStubRoutes(t *testing.T) {
	stub := Start(t)
	client := stub.Client()
	for _, tc := range []struct {
		url, service, contentType string
		status                    int
		cookie                    string
	}{
		{"https://www.googletagmanager.com/gtag/js?id=" + MeasurementID, "google-analytics-4", "text/javascript; charset=utf-8", 200, ""},
		{"https://www.googletagmanager.com/gtm.js?id=" + ContainerID, "google-tag-manager", "text/javascript; charset=utf-8", 200, ""},
		{"https://region1.google-analytics.com/g/collect?v=2", "google-analytics-4", "", 204, ""},
		{"https://stats.example.org/matomo.js", "matomo", "text/javascript; charset=utf-8", 200, ""},
		{"https://www.facebook.com/tr?id=" + PixelID, "meta-pixel", "image/gif", 200, "fr"},
		{"https://px.ads.linkedin.com/collect/?pid=" + PartnerID, "linkedin-insight", "image/gif", 200, "li_sugr"},
		{"https://www.youtube.com/embed/x", "youtube", "text/html; charset=utf-8", 200, "YSC"},
		{"https://www.google.com/maps/embed?pb=x", "google-maps", "text/html; charset=utf-8", 200, "NID"},
		{"https://www.google.com/search", "google-maps", "text/plain; charset=utf-8", 404, ""},
	} {
		t.Run(tc.url, func(t *testing.T) {
			resp, err := client.Get(tc.url)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status || resp.Header.Get("Content-Type") != tc.contentType {
				t.Errorf("GET %s = %d %q, want %d %q", tc.url, resp.StatusCode, resp.Header.Get("Content-Type"), tc.status, tc.contentType)
			}
			if tc.cookie != "" {
				c := resp.Cookies()
				if len(c) == 0 || c[0].Name != tc.cookie || !c[0].Secure || c[0].SameSite != http.SameSiteNoneMode {
					t.Errorf("GET %s set %v, want %s; Secure; SameSite=None", tc.url, resp.Header.Values("Set-Cookie"), tc.cookie)
				}
			}
			reqs := stub.Requests()
			if last := reqs[len(reqs)-1]; last.String() != tc.url || last.Service != tc.service {
				t.Errorf("recorded %s of %q, want %s of %q", last, last.Service, tc.url, tc.service)
			}
		})
	}
}

// TestServicesHosts checks that Services and the routes agree: every
// host answers for one of its services, every service's hosts are routed.
func TestServicesHosts(t *testing.T) {
	hosts := Hosts()
	var ofServices []string
	for _, svc := range Services() {
		for _, h := range svc.Hosts {
			if !slices.Contains(hosts, h) {
				t.Errorf("%s: host %s has no route", svc.ID, h)
			}
			ofServices = append(ofServices, h)
		}
	}
	for _, h := range hosts {
		if !slices.Contains(ofServices, h) {
			t.Errorf("host %s is of no service", h)
		}
	}
}

// TestFixtureInBrowser proves the fixture is real: without charte, in
// headless Chromium, the page with the official snippets requests every
// vendor host, stores every service's cookies (first and third party), and
// its own script runs.
func TestFixtureInBrowser(t *testing.T) {
	stub := Start(t)
	browser := stub.MustStartBrowser(t)
	site := httptest.NewServer(Site(""))
	t.Cleanup(site.Close)

	ctx, cancel := context.WithTimeout(browser, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(site.URL+"/")); err != nil {
		t.Fatal(err)
	}
	if err := Poll(ctx, SiteRan, 15*time.Second); err != nil {
		t.Fatalf("waiting for the site script: %v", err)
	}
	want := Hosts()
	deadline := time.Now().Add(15 * time.Second)
	for !slices.Equal(stub.Hosts(), want) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if got := stub.Hosts(); !slices.Equal(got, want) {
		t.Errorf("the page requested %v,\nwant every vendor host %v", got, want)
	}
	if err := Poll(ctx, `(window.vendortest || []).length >= 8`, 10*time.Second); err != nil {
		got, _ := Ran(ctx)
		t.Errorf("the vendors' scripts that ran: %v, want the 8 of the page (maps runs in its frame)", got)
	}
	var cookies []*network.Cookie
	for time.Now().Before(deadline.Add(5 * time.Second)) {
		if cookies, _ = Cookies(ctx); !slices.ContainsFunc(Services(), func(s Service) bool { return len(Missing(cookies, s)) > 0 }) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, svc := range Services() {
		if m := Missing(cookies, svc); len(m) > 0 {
			t.Errorf("%s: the browser stored %v, none of %v", svc.ID, Stored(cookies, svc), m)
		}
	}
}
