// Package consent is charte's public API for Go applications: the codec of
// the cookies_preferences cookie that holds a visitor's decision, and (to
// come, issue 4) a net/http middleware that enforces a cookie charter on the
// server. It imports only the standard library.
package consent
