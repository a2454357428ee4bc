// Package vendortest puts the vendors of the usual tags and embeds (Google
// Analytics, Tag Manager, Matomo, Meta, Hotjar, LinkedIn, YouTube, Vimeo,
// Google Maps) on loopback, so that browser tests can prove what charte
// blocks and releases without the network: one HTTPS server answers for
// every vendor host ([Hosts]), records each request, and serves a small
// script per tag that does what a test observes of the vendor's (it sets
// the vendor's cookies and tells the page it ran), and a page per embed.
// Chromium reaches it through --host-resolver-rules ([Stub.ResolverRules],
// [Stub.MustStartBrowser]). [Site] serves a page that pastes the vendors'
// official snippets (testdata/site.html), followed by a script of the site.
//
// Only _test.go files import it. It may import the standard library,
// testing and internal/browsertest.
package vendortest

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charte/charte/internal/browsertest"
)

// Request is one request the stub answered.
type Request struct {
	Host    string    // the vendor host asked, without port: "www.googletagmanager.com"
	Path    string    // "/gtag/js"
	Query   string    // "id=G-TEST12345", without "?"
	Service string    // the fixture's service it belongs to ([Services]): "google-analytics-4"
	Time    time.Time // when it arrived
}

// String returns the request as "https://host/path?query".
func (r Request) String() string {
	s := "https://" + r.Host + r.Path
	if r.Query != "" {
		s += "?" + r.Query
	}
	return s
}

// Stub is the vendors' server on loopback. Its methods are safe for
// concurrent use.
type Stub struct {
	srv *httptest.Server
	// Cert is the certificate the stub serves, for every host of [Hosts]
	// and 127.0.0.1: a Go client trusts it with [Stub.Client].
	Cert *x509.Certificate

	mu       sync.Mutex
	requests []Request
}

// Start starts the stub on a free port of 127.0.0.1, with a test
// certificate made for the vendor hosts, and stops it when the test ends.
func Start(tb testing.TB) *Stub {
	tb.Helper()
	cert, leaf, err := certificate(Hosts())
	if err != nil {
		tb.Fatalf("make the vendors' test certificate: %v", err)
	}
	s := &Stub{Cert: leaf}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	s.srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	s.srv.StartTLS()
	tb.Cleanup(s.srv.Close)
	return s
}

// Addr returns the stub's address: "127.0.0.1:PORT".
func (s *Stub) Addr() string { return s.srv.Listener.Addr().String() }

// ResolverRules returns the value of Chromium's --host-resolver-rules that
// sends every vendor host to the stub:
// "MAP www.googletagmanager.com 127.0.0.1:PORT, MAP …". The stub's
// certificate is its own: start Chromium with --ignore-certificate-errors
// too ([Stub.MustStartBrowser] does both).
func (s *Stub) ResolverRules() string {
	rules := make([]string, 0, len(routes))
	for _, h := range Hosts() {
		rules = append(rules, "MAP "+h+" "+s.Addr())
	}
	return strings.Join(rules, ", ")
}

// BrowserOptions returns the options of [browsertest.MustStart] that send
// the vendor hosts to the stub, accept its certificate and store
// third-party cookies as a lax browser does, so that a test sees every
// cookie a vendor would set.
func (s *Stub) BrowserOptions() []browsertest.Option {
	return []browsertest.Option{
		browsertest.WithFlag("host-resolver-rules", s.ResolverRules()),
		browsertest.WithFlag("ignore-certificate-errors", true),
		browsertest.WithThirdPartyCookies(),
	}
}

// MustStartBrowser starts headless Chromium with [Stub.BrowserOptions] and
// returns the context of its first tab ([browsertest.MustStart]).
func (s *Stub) MustStartBrowser(tb testing.TB) context.Context {
	tb.Helper()
	return browsertest.MustStart(tb, s.BrowserOptions()...)
}

// Client returns an HTTP client that reaches every vendor host at the
// stub and trusts its certificate.
func (s *Stub) Client() *http.Client {
	pool := x509.NewCertPool()
	pool.AddCert(s.Cert)
	dial := &net.Dialer{Timeout: 5 * time.Second}
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: pool},
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return dial.DialContext(ctx, network, s.Addr())
		},
	}}
}

// Requests returns the requests answered so far, in the order they came.
func (s *Stub) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Hosts returns the distinct vendor hosts asked so far, sorted.
func (s *Stub) Hosts() []string {
	var hosts []string
	for _, r := range s.Requests() {
		hosts = append(hosts, r.Host)
	}
	slices.Sort(hosts)
	return slices.Compact(hosts)
}

// Reset forgets the requests answered so far.
func (s *Stub) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

// serveHTTP records the request and answers it from routes.
func (s *Stub) serveHTTP(w http.ResponseWriter, r *http.Request) {
	host, _, err := net.SplitHostPort(r.Host)
	if err != nil {
		host = r.Host
	}
	rt, ok := route(host, r.URL.Path)
	s.mu.Lock()
	s.requests = append(s.requests, Request{Host: host, Path: r.URL.Path, Query: r.URL.RawQuery, Service: rt.service, Time: time.Now()})
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	rt.serve(w, r)
}

// certificate returns a self-signed certificate for hosts and 127.0.0.1,
// valid for a day.
func certificate(hosts []string) (tls.Certificate, *x509.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("generate key: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "charte vendortest"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              hosts,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("create certificate: %w", err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("parse certificate: %w", err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, leaf, nil
}
