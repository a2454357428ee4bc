package proxy

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/charte/charte/internal/services"
)

// TestBlockDefaultCatalog blocks with the built-in catalogue, where one host
// serves two services: www.google.com's /maps embeds are marketing, its
// /recaptcha script is necessary and must reach the page, or the site's
// forms break.
func TestBlockDefaultCatalog(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{
			name: "reCAPTCHA v2 passes",
			in:   `<script src="https://www.google.com/recaptcha/api.js" async defer></script>`,
		},
		{
			name: "reCAPTCHA v3 passes",
			in:   `<script src="https://www.google.com/recaptcha/api.js?render=6LcXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"></script>`,
		},
		{
			name: "a Maps embed is held",
			in:   `<iframe src="https://www.google.com/maps/embed?pb=1" width="600"></iframe>`,
			want: `<iframe data-category="marketing" data-charte-service="google-maps" data-src="https://www.google.com/maps/embed?pb=1" width="600"></iframe>`,
		},
		{
			name: "another page of www.google.com is no service",
			in:   `<img src="https://www.google.com/images/logo.png">`,
		},
		{
			name: "an inline loader of the Maps API is held",
			in:   `<script>s.src="https://maps.googleapis.com/maps/api/js?key=x"</script>`,
			want: `<script type="text/plain" data-category="marketing" data-charte-service="google-maps">s.src="https://maps.googleapis.com/maps/api/js?key=x"</script>`,
		},
	}
	cat := services.Default()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := tc.want
			if want == "" {
				want = tc.in
			}
			out, _, _ := blockInChunksWith(t, cat, []byte(tc.in), 7, DefaultMaxInject)
			if diff := cmp.Diff(want, string(out)); diff != "" {
				t.Errorf("block(%q) (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}
