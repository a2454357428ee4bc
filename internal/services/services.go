// Package services is charte's built-in catalogue of the services that
// European sites use most — audience measurement, advertising tags, video
// and map embeds, captchas, chat and form widgets — with the facts charte
// needs to declare, load and block each: its provider, category, cookies,
// hosts, parameters and official tag. A charter names services under its
// services key; charterfile expands them into cookies with
// [charte.Charter.ApplyServices].
//
// The data (data.go) is written for charte from public sources, each
// service's Sources: facts only, and purposes in charte's own words.
//
// It may import only the charte domain package and the standard library.
package services

import (
	"slices"
	"strings"
	"sync"

	"github.com/charte/charte/internal/charte"
)

// Catalog is a set of services, looked up by id and by host. It implements
// [charte.ServiceCatalog]. Its defs are shared: callers must not change
// them.
type Catalog struct {
	defs  []*charte.ServiceDef
	byID  map[string]*charte.ServiceDef
	exact map[string]*charte.ServiceDef
	// wild holds the "*.suffix" entries, longest suffix first, then in
	// catalogue order.
	wild []wildHost
	// paths holds the "host/path" entries by host, longest path first.
	paths map[string][]pathEntry
}

type pathEntry struct {
	prefix string // "/maps"
	def    *charte.ServiceDef
}

type wildHost struct {
	suffix string // "hotjar.com"
	def    *charte.ServiceDef
}

// New returns the catalogue of defs. When two defs list the same host, the
// first one wins ([Catalog.ServiceByHost]).
func New(defs []*charte.ServiceDef) *Catalog {
	c := &Catalog{defs: defs, byID: make(map[string]*charte.ServiceDef, len(defs)), exact: make(map[string]*charte.ServiceDef), paths: make(map[string][]pathEntry)}
	for _, d := range defs {
		c.byID[d.ID] = d
		for _, h := range d.Hosts {
			if host, path, ok := strings.Cut(h, "/"); ok {
				c.paths[host] = append(c.paths[host], pathEntry{prefix: "/" + path, def: d})
			} else if s, ok := strings.CutPrefix(h, "*."); ok {
				c.wild = append(c.wild, wildHost{suffix: s, def: d})
			} else if _, dup := c.exact[h]; !dup {
				c.exact[h] = d
			}
		}
	}
	slices.SortStableFunc(c.wild, func(a, b wildHost) int { return len(b.suffix) - len(a.suffix) })
	for _, entries := range c.paths {
		slices.SortStableFunc(entries, func(a, b pathEntry) int { return len(b.prefix) - len(a.prefix) })
	}
	return c
}

var defaultCatalog = sync.OnceValue(func() *Catalog { return New(filled(data())) })

// filled gives each def's cookies the def's category and provider.
func filled(defs []*charte.ServiceDef) []*charte.ServiceDef {
	for _, d := range defs {
		for i := range d.Cookies {
			d.Cookies[i].Category = d.Category
			if d.Cookies[i].Provider == "" {
				d.Cookies[i].Provider = d.Provider
			}
		}
	}
	return defs
}

// Default returns the built-in catalogue.
func Default() *Catalog { return defaultCatalog() }

// Service returns the service with the given id.
func (c *Catalog) Service(id string) (*charte.ServiceDef, bool) {
	d, ok := c.byID[id]
	return d, ok
}

// ServiceIDs returns the ids of every service, sorted.
func (c *Catalog) ServiceIDs() []string {
	ids := make([]string, len(c.defs))
	for i, d := range c.defs {
		ids[i] = d.ID
	}
	slices.Sort(ids)
	return ids
}

// Services returns every service, sorted by id.
func (c *Catalog) Services() []*charte.ServiceDef {
	out := slices.Clone(c.defs)
	slices.SortFunc(out, func(a, b *charte.ServiceDef) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// ServiceByHost returns the service that a request to host comes from: the
// one that lists host exactly, else the one with the longest "*.suffix"
// entry that host is or ends in (*.hotjar.com holds hotjar.com and
// static.hotjar.com). host is compared without case, a port or a final dot.
func (c *Catalog) ServiceByHost(host string) (*charte.ServiceDef, bool) {
	host = normalHost(host)
	if host == "" {
		return nil, false
	}
	if d, ok := c.exact[host]; ok {
		return d, true
	}
	for _, w := range c.wild {
		if host == w.suffix || strings.HasSuffix(host, "."+w.suffix) {
			return w.def, true
		}
	}
	return nil, false
}

// ServiceByURL returns the service that a request to host and path comes
// from: the one with the longest "host/path" entry whose path path starts
// with (a whole segment: /maps holds /maps and /maps/embed, not /mapsx),
// else [Catalog.ServiceByHost].
func (c *Catalog) ServiceByURL(host, path string) (*charte.ServiceDef, bool) {
	host = normalHost(host)
	for _, e := range c.paths[host] {
		if rest, ok := strings.CutPrefix(path, e.prefix); ok && (rest == "" || strings.ContainsAny(rest[:1], "/?#")) {
			return e.def, true
		}
	}
	return c.ServiceByHost(host)
}

// normalHost lowercases host and removes a port and a final dot.
func normalHost(host string) string {
	host = strings.ToLower(strings.TrimSpace(host))
	if strings.HasPrefix(host, "[") {
		return host // an IPv6 literal names no service
	}
	if i := strings.LastIndexByte(host, ':'); i >= 0 {
		host = host[:i]
	}
	return strings.TrimSuffix(host, ".")
}
