package flowlog

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/golden files")

const (
	pageExamples = "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-records-examples.html"
)

// awsExamples are the example records published in the Amazon VPC User
// Guide, verbatim (including the double space of the TCP-flag example).
// The NAT gateway example's trailing "#Traffic from ..." annotations are
// the page's commentary, not record text, and are left out.
var awsExamples = []struct {
	name   string
	source string // page#anchor
	format string // as header line
	lines  []string
}{
	{"accepted", pageExamples + "#flow-log-example-accepted-rejected", "",
		[]string{"2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK"}},
	{"rejected", pageExamples + "#flow-log-example-accepted-rejected", "",
		[]string{"2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK"}},
	{"nodata", pageExamples + "#flow-log-example-no-data", "",
		[]string{"2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA"}},
	{"skipdata", pageExamples + "#flow-log-example-no-data", "",
		[]string{"2 123456789010 eni-11111111aaaaaaaaa - - - - - - - 1431280876 1431280934 - SKIPDATA"}},
	{"icmp-sg-nacl", pageExamples + "#flow-log-example-security-groups", "",
		[]string{
			"2 123456789010 eni-1235b8ca123456789 203.0.113.12 172.31.16.139 0 0 1 4 336 1432917027 1432917142 ACCEPT OK",
			"2 123456789010 eni-1235b8ca123456789 172.31.16.139 203.0.113.12 0 0 1 4 336 1432917094 1432917142 REJECT OK",
		}},
	{"ipv6", pageExamples + "#flow-log-example-ipv6", "",
		[]string{"2 123456789010 eni-1235b8ca123456789 2001:db8:1234:a100:8d6e:3477:df66:f105 2001:db8:1234:a102:3304:8879:34cf:4071 34892 22 6 54 8855 1477913708 1477913820 ACCEPT OK"}},
	{"tcp-flags", pageExamples + "#flow-log-example-tcp-flag",
		"version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status",
		[]string{
			"3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 123456789010 IPv4 52.213.180.42 10.0.0.62 43416 5001 52.213.180.42 10.0.0.62 6 568 8 1566848875 1566848933 ACCEPT 2 OK",
			"3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 123456789010 IPv4 10.0.0.62 52.213.180.42 5001 43416 10.0.0.62 52.213.180.42 6 376 7 1566848875 1566848933 ACCEPT 18 OK",
			"3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 123456789010 IPv4 52.213.180.42 10.0.0.62 43418 5001 52.213.180.42 10.0.0.62 6 100701 70 1566848875 1566848933 ACCEPT 2 OK",
			"3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 123456789010 IPv4 10.0.0.62 52.213.180.42 5001 43418 10.0.0.62 52.213.180.42 6 632 12 1566848875 1566848933 ACCEPT 18 OK",
			"3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 123456789010 IPv4 10.0.0.62 52.213.180.42 5001 43418 10.0.0.62 52.213.180.42 6 63388 1219 1566848933 1566849113 ACCEPT 1 OK",
			"3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 123456789010 IPv4 52.213.180.42 10.0.0.62 43418 5001 52.213.180.42 10.0.0.62 6 23294588 15774 1566848933 1566849113 ACCEPT 1 OK",
			"3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 123456789010 IPv4 52.213.180.42 10.0.0.62 43638 5001 52.213.180.42 10.0.0.62 6 1260 17 1566933133 1566933193 ACCEPT 3 OK",
			"3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 123456789010 IPv4 10.0.0.62 52.213.180.42 5001 43638  10.0.0.62 52.213.180.42 6 967 14 1566933133 1566933193 ACCEPT 19 OK",
		}},
	{"nat-gateway", pageExamples + "#flow-log-example-nat",
		"instance-id interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr",
		[]string{
			"- eni-1235b8ca123456789 10.0.1.5 10.0.0.220 10.0.1.5 203.0.113.5",
			"- eni-1235b8ca123456789 10.0.0.220 203.0.113.5 10.0.0.220 203.0.113.5",
			"- eni-1235b8ca123456789 203.0.113.5 10.0.0.220 203.0.113.5 10.0.0.220",
			"- eni-1235b8ca123456789 10.0.0.220 10.0.1.5 203.0.113.5 10.0.1.5",
			"i-01234567890123456 eni-1111aaaa2222bbbb3 10.0.1.5 203.0.113.5 10.0.1.5 203.0.113.5",
			"i-01234567890123456 eni-1111aaaa2222bbbb3 203.0.113.5 10.0.1.5 203.0.113.5 10.0.1.5",
		}},
	{"transit-gateway", pageExamples + "#flow-log-example-tgw",
		"version interface-id account-id vpc-id subnet-id instance-id srcaddr dstaddr srcport dstport protocol tcp-flags type pkt-srcaddr pkt-dstaddr action log-status",
		[]string{
			"3 eni-33333333333333333 123456789010 vpc-abcdefab012345678 subnet-22222222bbbbbbbbb i-01234567890123456 10.20.33.164 10.40.2.236 39812 80 6 3 IPv4 10.20.33.164 10.40.2.236 ACCEPT OK",
			"3 eni-33333333333333333 123456789010 vpc-abcdefab012345678 subnet-22222222bbbbbbbbb i-01234567890123456 10.40.2.236 10.20.33.164 80 39812 6 19 IPv4 10.40.2.236 10.20.33.164 ACCEPT OK",
			"3 eni-11111111111111111 123456789010 vpc-abcdefab012345678 subnet-11111111aaaaaaaaa - 10.40.1.175 10.40.2.236 39812 80 6 3 IPv4 10.20.33.164 10.40.2.236 ACCEPT OK",
			"3 eni-22222222222222222 123456789010 vpc-abcdefab012345678 subnet-22222222bbbbbbbbb - 10.40.2.236 10.40.2.31 80 39812 6 19 IPv4 10.40.2.236 10.20.33.164 ACCEPT OK",
		}},
	{"service-path-direction", pageExamples + "#flow-log-example-traffic-path",
		"version srcaddr dstaddr srcport dstport protocol start end type packets bytes account-id vpc-id subnet-id instance-id interface-id region az-id sublocation-type sublocation-id action tcp-flags pkt-srcaddr pkt-dstaddr pkt-src-aws-service pkt-dst-aws-service traffic-path flow-direction log-status",
		[]string{
			"5 52.95.128.179 10.0.0.71 80 34210 6 1616729292 1616729349 IPv4 14 15044 123456789012 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-0c50d5961bcb2d47b eni-1235b8ca123456789 ap-southeast-2 apse2-az3 - - ACCEPT 19 52.95.128.179 10.0.0.71 S3 - - ingress OK",
			"5 10.0.0.71 52.95.128.179 34210 80 6 1616729292 1616729349 IPv4 7 471 123456789012 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-0c50d5961bcb2d47b eni-1235b8ca123456789 ap-southeast-2 apse2-az3 - - ACCEPT 3 10.0.0.71 52.95.128.179 - S3 8 egress OK",
		}},
}

func TestAWSExamples(t *testing.T) {
	for _, ex := range awsExamples {
		t.Run(ex.name, func(t *testing.T) {
			f := DefaultFormat()
			if ex.format != "" {
				var err error
				if f, err = ParseHeader(ex.format); err != nil {
					t.Fatal(err)
				}
			}
			var out bytes.Buffer
			for i, line := range ex.lines {
				r, err := ParseRecord(line, f)
				if err != nil {
					t.Fatalf("%s line %d: %v", ex.source, i+1, err)
				}
				out.Write(r.AppendJSON(nil, f))
				out.WriteByte('\n')
				// Round trip through the writer: the same record, and the
				// same text up to runs of spaces.
				text := r.Text(f)
				if text != strings.Join(strings.Fields(line), " ") {
					t.Errorf("line %d: Text() = %q", i+1, text)
				}
				r2, err := ParseRecord(text, f)
				if err != nil || r2 != r {
					t.Errorf("line %d: round trip: %v", i+1, err)
				}
			}
			golden := filepath.Join("testdata", "golden", ex.name+".jsonl")
			if *update {
				if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if !bytes.Equal(out.Bytes(), want) {
				t.Errorf("%s: got\n%s\nwant\n%s", golden, out.Bytes(), want)
			}
		})
	}
}

func TestAWSExampleValues(t *testing.T) {
	// NODATA: https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-records-examples.html#flow-log-example-no-data
	r, err := ParseRecord("2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA", DefaultFormat())
	if err != nil {
		t.Fatal(err)
	}
	if r.LogStatus() != StatusNoData || r.Has(SrcAddr) || r.Has(Packets) || r.Has(Action) || !r.Has(Start) || r.Present() != 6 {
		t.Errorf("NODATA record: %+v", r)
	}
	if r.Start().Unix() != 1431280876 || r.End().UTC().Year() != 2015 {
		t.Errorf("times %v %v", r.Start(), r.End())
	}
	// "0" is present and distinguishable from "-".
	r, _ = ParseRecord("2 123456789010 eni-1235b8ca123456789 203.0.113.12 172.31.16.139 0 0 1 4 336 1432917027 1432917142 ACCEPT OK", DefaultFormat())
	if !r.Has(SrcPort) || r.SrcPort() != 0 || r.Protocol() != 1 || r.Action() != Accept {
		t.Errorf("ICMP record: %+v", r)
	}
	if v := r.Get(SrcPort); !v.Valid() || v.Uint() != 0 || v.String() != "0" {
		t.Errorf("Get(SrcPort) = %v", v)
	}
	if v := r.Get(VpcID); v.Valid() || v.String() != "-" {
		t.Errorf("Get(VpcID) = %v", v)
	}
	if r.AccountID() != "123456789010" || r.InterfaceID() != "eni-1235b8ca123456789" {
		t.Errorf("strings %q %q", r.AccountID(), r.InterfaceID())
	}
}

func TestParseLineErrors(t *testing.T) {
	f := DefaultFormat()
	good := "2 123456789010 eni-1 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK"
	tests := []struct {
		line  string
		err   error
		field int
		name  string
	}{
		{"", ErrFieldCount, 1, "version"},
		{"2 123", ErrFieldCount, 3, "interface-id"},
		{good + " extra", ErrFieldCount, 15, ""},
		{strings.Replace(good, "172.31.16.139", "172.31.16.256", 1), ErrSyntax, 4, "srcaddr"},
		{strings.Replace(good, "172.31.16.139", "fe80::1%eth0", 1), ErrSyntax, 4, "srcaddr"},
		{strings.Replace(good, "172.31.16.139", "172.031.16.1", 1), ErrSyntax, 4, "srcaddr"},
		{strings.Replace(good, " 20641 ", " 70000 ", 1), ErrRange, 6, "srcport"},
		{strings.Replace(good, " 20641 ", " +1 ", 1), ErrSyntax, 6, "srcport"},
		{strings.Replace(good, " 6 ", " 256 ", 1), ErrRange, 8, "protocol"},
		{strings.Replace(good, " 4249 ", " 99999999999999999999999 ", 1), ErrRange, 10, "bytes"},
		{strings.Replace(good, " 4249 ", " 18446744073709551616 ", 1), ErrRange, 10, "bytes"},
		{strings.Replace(good, " 1418530010 ", " 9223372036854775808 ", 1), ErrRange, 11, "start"},
		{strings.Replace(good, "ACCEPT", "accept", 1), ErrSyntax, 13, "action"},
		{strings.Replace(good, "OK", "FINE", 1), ErrSyntax, 14, "log-status"},
		{strings.Replace(good, "eni-1", "eni\t1", 1), ErrSyntax, 3, "interface-id"},
	}
	for _, tt := range tests {
		var r Record
		err := ParseLine(tt.line, f, &r)
		var pe *ParseError
		if !errors.As(err, &pe) || !errors.Is(err, tt.err) || pe.Field != tt.field || pe.Name != tt.name {
			t.Errorf("ParseLine(%q) = %v (%+v), want %v at field %d %q", tt.line, err, pe, tt.err, tt.field, tt.name)
		}
		if r != (Record{}) {
			t.Errorf("ParseLine(%q): record not reset on error", tt.line)
		}
	}
	// Runs of spaces, leading/trailing spaces and CRLF are fine.
	r, err := ParseRecord("  "+strings.ReplaceAll(good, " ", "   ")+"  \r\n", f)
	if err != nil || r.SrcPort() != 20641 {
		t.Errorf("spaces: %v", err)
	}
	// Reusing a record across formats leaves no stale fields.
	var rec Record
	all := AllFields()
	if err := ParseLine(strings.Repeat("- ", all.Len()-1)+"OK", all, &rec); err != nil {
		t.Fatal(err)
	}
	_ = ParseLine("vpc-1 subnet-1", MustFormat(VpcID, SubnetID), &rec)
	if rec.LogStatus() != 0 || rec.VpcID() != "vpc-1" || rec.Present() != 2 {
		t.Errorf("stale fields: %+v", rec)
	}
	if _, err := ParseRecord("2", Format{}); !errors.Is(err, ErrNoFormat) {
		t.Errorf("zero format: %v", err)
	}
}

func TestParseLineNoAllocs(t *testing.T) {
	lines := []string{
		"2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK",
		"2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA",
		"2 123456789010 eni-1235b8ca123456789 2001:db8:1234:a100:8d6e:3477:df66:f105 2001:db8:1234:a102:3304:8879:34cf:4071 34892 22 6 54 8855 1477913708 1477913820 ACCEPT OK",
	}
	f := DefaultFormat()
	var r Record
	for _, line := range lines {
		n := testing.AllocsPerRun(1000, func() {
			if err := ParseLine(line, f, &r); err != nil {
				t.Fatal(err)
			}
		})
		if n != 0 {
			t.Errorf("ParseLine(%q): %v allocs, want 0", line, n)
		}
	}
}
