// Package charte holds charte's domain: the cookie charter (site, categories,
// cookies), consent decisions and their proof, the domain error, and the
// service interfaces that the storage packages implement.
//
// It may import only the standard library and the public consent package, so
// that every other package can depend on it without pulling anything else.
package charte
