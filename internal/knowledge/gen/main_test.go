package main

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// sourceCSV is the Open Cookie Database copy the table is generated from,
// relative to this directory.
const sourceCSV = "../../../../shared/data/open-cookie-database.csv"

func TestTableIsFresh(t *testing.T) {
	data, err := os.ReadFile(sourceCSV)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s is not here: cannot check that cookies.tsv is fresh", sourceCSV)
	}
	if err != nil {
		t.Fatal(err)
	}
	want, err := Generate(data, defaultCommit)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../cookies.tsv")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("cookies.tsv is stale: run go generate ./internal/knowledge")
	}
}

func TestLifetime(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1 year", "1y"},
		{"1 Year", "1y"},
		{"1 year ", "1y"},
		{"session", "session"},
		{"Session", "session"},
		{"Sessions", "session"},
		{"Seesion", "session"},
		{"session cookie", "session"},
		{"End of session (browser)", "session"},
		{"13 months", "13mo"},
		{"400 days", "400d"},
		{"3 weeks", "3w"},
		{"24 hours", "24h"},
		{"30 minutes", "1h"},
		{"1440 Minutes", "24h"},
		{"90 sec", "1h"},
		{"Session to 30 days", "30d"},
		{"1 week to 1 year", "1y"},
		{"14 days if you select “Remember Me” when logging in. Otherwise, Session.", "14d"},
		{"180 days after last activity or 10 years when opting out", "10y"},
		{"1 year (in some countries, the period may be longer)", "1y"},
		{"forever", ""},
		{"Unknown", ""},
		{"Varies", ""},
		{"10 Nov 2030", ""},
		{"0 days", ""},
		{"Local Storage", ""},
		{"", ""},
	}
	for _, tc := range tests {
		if got := Lifetime(tc.in); got != tc.want {
			t.Errorf("Lifetime(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestDomains(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"doubleclick.net (3rd party)", []string{"doubleclick.net"}},
		{".zendesk.com", []string{"zendesk.com"}},
		{"Inspectlet.com (3rd party)", []string{"inspectlet.com"}},
		{".bing.com (3rd party) or .microsoft.com (3rd party)", []string{"bing.com", "microsoft.com"}},
		{"google-analytics.com (3rd party) or ", []string{"google-analytics.com"}},
		{" or 207.net (3rd party)", []string{"207.net"}},
		{"ads-[account].adhese.com", []string{"adhese.com"}},
		{".commander1.com\u200b", []string{"commander1.com"}},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, Domains(tc.in)); diff != "" {
			t.Errorf("Domains(%q) mismatch (-want +got):\n%s", tc.in, diff)
		}
	}
}

func TestName(t *testing.T) {
	tests := []struct {
		in     string
		name   string
		prefix bool
	}{
		{"_ga", "_ga", false},
		{"ce_need_secure_cookie\t", "ce_need_secure_cookie", false},
		{" spaced ", "spaced", false},
		{"SSPR_*", "SSPR_", true},
		{"pagead/conv/%INTEGER%", "pagead/conv/", true},
		{"*", "", true},
	}
	for _, tc := range tests {
		name, prefix := Name(tc.in)
		if name != tc.name || prefix != tc.prefix {
			t.Errorf("Name(%q) = %q, %v, want %q, %v", tc.in, name, prefix, tc.name, tc.prefix)
		}
	}
}

func TestGenerate(t *testing.T) {
	csv := "ID,Platform,Category,Cookie / Data Key name,Domain,Description,Retention period,Data Controller,User Privacy & GDPR Rights Portals,Wildcard match\n" +
		"1,Zeta,Marketing,b,zeta.example (3rd party),Secret description,2 years,Zeta Inc,https://z.example,0\n" +
		"2,Alpha,Analytics,a_,,\"Another, quoted\",Session,Alpha,https://a.example,1\n" +
		"3,Beta,Security,\" c\t\",,x,Unknown,Beta,https://b.example,0\n"
	got, err := Generate([]byte(csv), "abc")
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, l := range strings.Split(string(got), "\n") {
		if l != "" && !strings.HasPrefix(l, "#") {
			rows = append(rows, l)
		}
	}
	want := []string{
		"a_\tprefix\tstatistics\tsession\tAlpha\tAlpha\t",
		"b\texact\tmarketing\t2y\tZeta\tZeta Inc\tzeta.example",
		"c\texact\tnecessary\t\tBeta\tBeta\t",
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("Generate rows mismatch (-want +got):\n%s", diff)
	}
	if strings.Contains(string(got), "Secret description") || strings.Contains(string(got), "https://z.example") {
		t.Errorf("Generate kept descriptions or links:\n%s", got)
	}
	if !strings.Contains(string(got), "commit abc") || !strings.Contains(string(got), "Apache License 2.0") {
		t.Errorf("Generate header does not name the commit and the licence:\n%s", got)
	}
	if _, err := Generate([]byte("a,b\n1,2\n"), "abc"); err == nil {
		t.Errorf("Generate(other header) = nil error, want one")
	}
}
