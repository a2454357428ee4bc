// Package charterfile reads charter files (YAML, or JSON, which is YAML),
// checks them against the charter format, reporting every problem at once
// with its line and column, and computes a charter's version hash.
//
// The problems of the file itself (syntax, kinds, unknown or missing keys,
// durations and dates that do not parse, the size budgets) are found here;
// the rules of the charter are [charte.Charter.Check]'s, run on what the
// file holds, and each of its problems is reported at the node its path was
// read from.
//
// It may import only the charte domain package, the service catalogue
// (internal/services, data on the domain) and the YAML parser, whose node
// tree it walks by hand so that each problem points at the node at fault.
//
// A charter file has six top-level keys; their names are a public contract:
//
//	site:
//	  id: data-aveyron              # required slug: a-z, 0-9 and -, 1 to 63 characters
//	  name: Data Aveyron Occitanie  # required
//	  url: https://example.org      # required absolute http(s) URL
//	  origins: ["https://example.org"]  # optional; default: the origin of url
//	  languages: [fr, en]           # required; the first is the default
//	  contact: dpo@example.org      # required email address or http(s) URL
//	  consent_lifetime: 6mo         # optional, at most 13mo; default 6mo
//	  updated: 2026-11-28           # optional date
//	options:                        # optional
//	  google_consent_mode: false    # default false
//	  persistent_control: true      # default true
//	  layout: box                   # box (default), bar or cloud
//	  position: bottom-right        # bottom, bottom-left, bottom-right, top or middle;
//	                                # default bottom-right for box, bottom for bar and cloud;
//	                                # a bar sits at the bottom or the top only
//	  auto_block: false             # default false: the banner holds known services' late scripts
//	theme:                          # optional: the banner's look
//	  preset: default               # default or dsfr (the French State's design system)
//	  accent: "#000091"             # buttons, switch on, focus ring, links; #rgb or #rrggbb, quoted
//	  accent_text: "#ffffff"        # text on accent buttons
//	  background: "#ffffff"
//	  text: "#161616"
//	  radius: 8                     # corners, in pixels, 0 to 24
//	  font: "Marianne, system-ui, sans-serif"  # letters, digits, spaces, commas, hyphens, quotes
//	  dark: {accent: "#8585f6", accent_text: "#000091", background: "#1e1e1e", text: "#cecece"}
//	categories:                     # required list
//	  - id: necessary               # built-in: necessary, preferences, statistics, marketing
//	  - id: statistics
//	    exempt: true                # statistics only
//	  - id: video                   # other ids need a name and a description
//	    name: {fr: Vidéos, en: Videos}
//	    description: {fr: …, en: …}
//	cookies:                        # required list, possibly empty
//	  - name: _ga_*                 # exact name, or a pattern where * matches anything
//	    provider: Google            # required
//	    service: Google Analytics   # required text
//	    purpose: {fr: …, en: …}     # required text
//	    category: statistics        # required, a declared category
//	    lifetime: 13mo              # required: session or a duration (30d, 6mo, 1y)
//	    party: first                # required: first or third
//	    domain: .example.org        # optional
//	services:                       # optional list of services of the catalogue
//	  - id: google-analytics-4      # required, a service of internal/services
//	    measurement_id: G-XXXXXXX   # the service's own parameters
//	  - id: matomo
//	    url: https://stats.example.org/
//	    site_id: 3
//	    exempt: true                # only for a service with a CNIL-exempt configuration
//
// Each service's cookies are declared in the charter as if written under
// cookies ([charte.Charter.ApplyServices]); a cookie the file declares by
// hand wins. The problems of a service's entry, and of the cookies and
// categories it brings, are reported at the entry.
//
// A text is a plain string, used for every site language, or a mapping from
// each site language to a string.
//
// A theme's colours replace its preset's light ones; dark replaces the
// preset's dark ones. A theme that gives a light colour and no dark uses
// its light colours in dark mode too. Every pair of resolved colours must
// reach WCAG 2.2 AA contrast, in light and dark mode: 4.5:1 for text on
// background, accent_text on accent and accent on background (links), or
// at the very least 3:1 for accent on background (the switch and the focus
// ring); a pair under it is an error at the key that set it, with the ratio.
//
// A charter file may have at most [MaxSize] bytes (1 MB), its aliases may
// stand for at most 4 MB of YAML and its texts, as given to each language,
// for at most 8 MB, so that no file costs more than a few times its size to
// check, however it was written.
package charterfile
