package vendortest

import "strings"

// Charter returns a charter of the fixture site that names, under
// services:, every service its page uses ([Services]) with the ids of its
// tags, and declares no cookie by hand: the catalogue declares them. The
// lines of options (indented by two spaces, such as "  auto_block: true")
// go under options:; with none the charter has no options. origin is
// the site's URL and the origin its pages load the banner from ("" for
// https://fixture.example, a site behind charte proxy).
func Charter(origin string, options ...string) string {
	var b strings.Builder
	url := origin
	if url == "" {
		url = "https://fixture.example"
	}
	b.WriteString(`site:
  id: fixture
  name: Vendor fixture
  url: ` + url + "\n")
	if origin != "" {
		b.WriteString(`  origins: ["` + origin + `"]` + "\n")
	}
	b.WriteString(`  languages: [en, fr]
  contact: dpo@fixture.example
categories:
  - id: necessary
cookies: []
`)
	if len(options) > 0 {
		b.WriteString("options:\n" + strings.Join(options, "\n") + "\n")
	}
	b.WriteString(`services:
  - id: google-analytics-4
    measurement_id: ` + MeasurementID + `
  - id: google-tag-manager
    container_id: ` + ContainerID + `
  - id: matomo
    url: https://` + MatomoHost + `/
    site_id: ` + MatomoSiteID + `
  - id: meta-pixel
    pixel_id: "` + PixelID + `"
  - id: hotjar
    site_id: "` + HotjarID + `"
  - id: linkedin-insight
    partner_id: "` + PartnerID + `"
  - id: youtube
  - id: vimeo
  - id: google-maps
`)
	return b.String()
}
