// Command attack replays, from outside, the attacks of issue 9 on a running
// charte: bench/attack.sh builds charte, starts it and runs each one, then
// reads the peak memory of the charte process from /proc.
//
//	attack signin -base URL -pid PID      sign-in flood, lock-out, forged CSRF pair
//	attack upstream -addr HOST:PORT       an application with hostile pages
//	attack pages -url URL -n N            N concurrent requests for one page
//
// It imports the standard library only.
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"time"
)

func main() {
	log.SetFlags(0)
	if len(os.Args) < 2 {
		log.Fatal("usage: attack signin|upstream|pages [flags]")
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	switch os.Args[1] {
	case "signin":
		base := fs.String("base", "http://127.0.0.1:8080", "charte serve's address")
		pid := fs.Int("pid", 0, "charte's process id, for its peak memory")
		n := fs.Int("n", 200, "concurrent wrong sign-ins")
		user := fs.String("user", "admin", "an existing user")
		pw := fs.String("password", "correct horse battery staple", "that user's password")
		_ = fs.Parse(os.Args[2:]) // ExitOnError
		signin(*base, *pid, *n, *user, *pw)
	case "upstream":
		addr := fs.String("addr", "127.0.0.1:19090", "address to listen on")
		_ = fs.Parse(os.Args[2:]) // ExitOnError
		upstream(*addr)
	case "pages":
		u := fs.String("url", "", "page to ask for")
		n := fs.Int("n", 200, "concurrent requests")
		pid := fs.Int("pid", 0, "charte's process id, for its peak memory")
		_ = fs.Parse(os.Args[2:]) // ExitOnError
		pages(*u, *n, *pid)
	default:
		log.Fatalf("attack: unknown command %q", os.Args[1])
	}
}

// peak returns the peak and current resident memory of a process.
func peak(pid int) string {
	if pid == 0 {
		return ""
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return err.Error()
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM") || strings.HasPrefix(l, "VmRSS") {
			out = append(out, strings.Join(strings.Fields(l), " "))
		}
	}
	return strings.Join(out, ", ")
}

// client returns a browser-like client with its own cookie jar that
// connects from the loopback address src, so that charte sees it as
// another visitor.
func client(src string) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		log.Fatal(err)
	}
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}, Timeout: 5 * time.Second}
	return &http.Client{
		Jar:           jar,
		Transport:     &http.Transport{DialContext: d.DialContext, MaxIdleConnsPerHost: 1000},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       2 * time.Minute,
	}
}

var tokenField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// formToken loads the sign-in page, which sets the csrftoken cookie, and
// returns the token of its form.
func formToken(c *http.Client, base string) string {
	resp, err := c.Get(base + "/admin/login")
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		log.Fatal(err)
	}
	m := tokenField.FindSubmatch(b)
	if m == nil {
		log.Fatalf("GET /admin/login = %d: no csrf_token in the form", resp.StatusCode)
	}
	return string(m[1])
}

// login posts the sign-in form and returns the status.
func login(c *http.Client, base, token, user, pw string) int {
	form := url.Values{"username": {user}, "password": {pw}, "csrf_token": {token}}
	req, err := http.NewRequest(http.MethodPost, base+"/admin/login", strings.NewReader(form.Encode()))
	if err != nil {
		log.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	resp, err := c.Do(req)
	if err != nil {
		return -1
	}
	_, _ = io.Copy(io.Discard, resp.Body) // only the status matters
	resp.Body.Close()
	return resp.StatusCode
}

func signin(base string, pid, n int, user, pw string) {
	fmt.Printf("before: %s\n", peak(pid))
	c := client("127.0.0.1")
	tok := formToken(c, base)
	codes := map[int]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code := login(c, base, tok, user, "a wrong password")
			mu.Lock()
			codes[code]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	fmt.Printf("%d concurrent wrong sign-ins from 127.0.0.1 in %v: statuses %v (401: a password checked)\n", n, time.Since(start).Round(time.Millisecond), codes)
	fmt.Printf("after the flood: %s\n", peak(pid))

	// Lock-out: six failures for the user from each of five other addresses.
	for i := 3; i <= 7; i++ {
		src := fmt.Sprintf("127.0.0.%d", i)
		ci := client(src)
		t := formToken(ci, base)
		var got []int
		for range 6 {
			got = append(got, login(ci, base, t, user, "another wrong password"))
		}
		fmt.Printf("six wrong sign-ins for %s from %s: %v\n", user, src, got)
	}
	real := client("127.0.0.2")
	t := formToken(real, base)
	start = time.Now()
	fmt.Printf("%s from 127.0.0.2 with the right password: %d after %v (303: signed in)\n", user, login(real, base, t, user, pw), time.Since(start).Round(time.Millisecond))

	// A planted double-submit pair: the same made-up value in the cookie
	// and the form.
	f := client("127.0.0.9")
	u, err := url.Parse(base + "/admin/")
	if err != nil {
		log.Fatal(err)
	}
	forged := strings.Repeat("A", 43)
	f.Jar.SetCookies(u, []*http.Cookie{{Name: "csrftoken", Value: forged, Path: "/admin"}})
	fmt.Printf("planted CSRF pair: %d (403: refused)\n", login(f, base, forged, user, pw))
	fmt.Printf("at the end: %s\n", peak(pid))
}

// upstream serves the pages of issue 9: a 20 MB page with neither </head>
// nor <body>, a 20 KB gzip body that inflates to 20 MiB, and one that never
// answers.
func upstream(addr string) {
	big := []byte("<!doctype html><html><title>x</title>" + strings.Repeat("<p>no marker here, only text</p>\n", 20<<20/34))
	var zb bytes.Buffer
	zw, err := gzip.NewWriterLevel(&zb, gzip.BestCompression)
	if err != nil {
		log.Fatal(err)
	}
	_, _ = zw.Write([]byte("<!doctype html><html>")) // a bytes.Buffer does not fail
	_, _ = zw.Write(make([]byte, 20<<20))
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	bomb := zb.Bytes()
	mux := http.NewServeMux()
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write(big) // the client went away
	})
	mux.HandleFunc("/bomb", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(bomb) // the client went away
	})
	mux.HandleFunc("/silent", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	})
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("upstream on %s: /big %d B, /bomb %d B (%d B inflated), /silent", addr, len(big), len(bomb), 20<<20+21)
	log.Fatal(http.Serve(ln, mux))
}

// pages asks for one page n times at once and prints the statuses and
// sizes received.
func pages(u string, n, pid int) {
	c := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1000, DisableCompression: true}, Timeout: 2 * time.Minute}
	var wg sync.WaitGroup
	var mu sync.Mutex
	got := map[string]int{}
	start := time.Now()
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, err := http.NewRequest(http.MethodGet, u, nil)
			if err != nil {
				log.Fatal(err)
			}
			req.Header.Set("Accept-Encoding", "gzip")
			k := "error"
			if resp, err := c.Do(req); err == nil {
				nb, _ := io.Copy(io.Discard, resp.Body) // a short body shows in the size
				resp.Body.Close()
				k = fmt.Sprintf("%d, %d B", resp.StatusCode, nb)
			}
			mu.Lock()
			got[k]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	fmt.Printf("%d concurrent GET %s in %v: %v; charte: %s\n", n, u, time.Since(start).Round(time.Millisecond), got, peak(pid))
}
