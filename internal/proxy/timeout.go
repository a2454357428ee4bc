package proxy

import (
	"context"
	"io"
	"net/http"
	"sync/atomic"
	"time"
)

// timeoutError is a timeout on the upstream; errorHandler answers it 504.
type timeoutError struct{ what string }

func (e *timeoutError) Error() string   { return "proxy: upstream " + e.what }
func (e *timeoutError) Timeout() bool   { return true }
func (e *timeoutError) Temporary() bool { return true }

var (
	errHeaderTimeout = &timeoutError{"sent no response headers in time"}
	errIdleTimeout   = &timeoutError{"body sent nothing for longer than the idle timeout"}
)

// timeoutTransport bounds the wait for the upstream, whatever next is: the
// response headers must come within header, and then every read of the
// body must bring a byte within idle. Only the time spent waiting for the
// upstream counts, not the time a slow client takes to read: the idle
// clock runs during a read only. A switched protocol (websocket) is the
// application's business and is not timed after its 101.
type timeoutTransport struct {
	next         http.RoundTripper
	header, idle time.Duration
	idled        *atomic.Uint64
}

func (t *timeoutTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.header <= 0 && t.idle <= 0 {
		return t.next.RoundTrip(req)
	}
	ctx, cancel := context.WithCancelCause(req.Context())
	var timer *time.Timer
	if t.header > 0 {
		timer = time.AfterFunc(t.header, func() { cancel(errHeaderTimeout) })
	}
	resp, err := t.next.RoundTrip(req.WithContext(ctx))
	if timer != nil && !timer.Stop() {
		if err == nil {
			resp.Body.Close() // the headers came too late; nobody reads them
		}
		cancel(nil)
		return nil, errHeaderTimeout
	}
	if err != nil {
		cancel(nil)
		return nil, err
	}
	if resp.StatusCode == http.StatusSwitchingProtocols {
		// ReverseProxy needs the body's io.ReadWriteCloser, and the
		// connection lives as long as the request's context: the cancel
		// function goes when the request ends.
		context.AfterFunc(req.Context(), func() { cancel(nil) })
		return resp, nil
	}
	b := &idleBody{rc: resp.Body, idle: t.idle, cancel: cancel, idled: t.idled}
	if t.idle > 0 {
		b.timer = time.AfterFunc(time.Hour, func() {
			b.fired.Store(true)
			cancel(errIdleTimeout)
		})
		b.timer.Stop()
	}
	resp.Body = b
	return resp, nil
}

// idleBody is an upstream body whose reads fail with [errIdleTimeout] when
// nothing comes for idle; closing it ends the request's context.
type idleBody struct {
	rc     io.ReadCloser
	idle   time.Duration
	timer  *time.Timer
	fired  atomic.Bool
	cancel context.CancelCauseFunc
	idled  *atomic.Uint64
}

func (b *idleBody) Read(p []byte) (int, error) {
	if b.timer == nil {
		return b.rc.Read(p)
	}
	b.timer.Reset(b.idle)
	n, err := b.rc.Read(p)
	b.timer.Stop()
	if err != nil && b.fired.CompareAndSwap(true, false) {
		b.idled.Add(1)
		err = errIdleTimeout
	}
	return n, err
}

func (b *idleBody) Close() error {
	if b.timer != nil {
		b.timer.Stop()
	}
	err := b.rc.Close()
	b.cancel(nil)
	return err
}
