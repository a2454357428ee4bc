// Package consent is charte's public API for Go applications: it enforces a
// site's cookie charter on the server, where cookies are born.
//
// A banner in the browser cannot delete HttpOnly cookies, nor stop a server
// from setting cookies before the visitor decides. [Middleware] can: it reads
// the visitor's decision from the cookies_preferences cookie that charte's
// banner writes ([ParseCookie]), puts it in the request's context
// ([FromContext], [Allowed]), and filters the response's Set-Cookie headers
// against the charter:
//
//   - a cookie the charter declares in "necessary", or in a category the
//     visitor granted, passes; before any decision, so does one of an exempt
//     category (anonymous audience measurement, on until the visitor objects);
//   - a declared cookie of any other category is dropped;
//   - a cookie the charter does not declare is dropped and reported (see
//     [Options]), or only reported in report-only mode;
//   - a Set-Cookie that deletes a cookie always passes, and so does
//     cookies_preferences, the decision itself;
//   - when the visitor withdrew a category, the response expires that
//     category's first-party cookies the browser still sent, HttpOnly ones
//     included.
//
// A missing, malformed, expired or stale (other charter version) cookie means
// "no decision", never an error page. The charter comes from its JSON form,
// as charte serves it at /api/v1/sites/{site}/charter or prints it with
// `charte render --format json` ([ParseCharter], [LoadCharter]), or as a
// [Charter] value.
//
// The package imports only the standard library.
package consent
