// Command bare is the baseline of charte's load benchmark (bench/load.sh): a
// bare net/http server that reads each request's body and answers 201 with a
// small JSON body, as POST /api/v1/consents does, and nothing else. The
// ratio of charte's throughput to this one's is the figure issue 3 sets a
// goal for; see docs/benchmarks.md.
//
// It imports the standard library only.
package main

import (
	"flag"
	"io"
	"log"
	"net/http"
	"strconv"
	"time"
)

// body is about the size of the start of charte's answer; charte's whole
// answer is larger (about 400 B), which is part of what is measured.
var body = []byte(`{"id":"AAAAAAAAAAAAAAAAAAAAAA","site":"charte","method":"reject_all"}` + "\n")

func main() {
	addr := flag.String("addr", "127.0.0.1:8081", "address to listen on")
	flag.Parse()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			// Readiness probes: load.sh checks that it reached this server.
			w.Header().Set("X-Charte-Bench", "bare")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if _, err := io.Copy(io.Discard, io.LimitReader(r.Body, 16<<10)); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write(body) // the client went away; nothing to do
	})
	srv := &http.Server{Addr: *addr, Handler: h, ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(srv.ListenAndServe())
}
