package main

import (
	"strings"
	"testing"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// TestParseTransitGatewayRecords: `flowlog parse` reads what a transit
// gateway flow log delivers: an S3 object whose header line names the
// transit gateway fields (plain or gzip), and headerless records with
// --format transit-gateway or a custom transit gateway format; JSON keys
// are the hyphenated field names.
func TestParseTransitGatewayRecords(t *testing.T) {
	f := flowlog.DefaultTransitGatewayFormat().Format()
	line := "6 TransitGateway 123456789012 tgw-0123456789abcdef0 tgw-attach-0123456789abcdef0 123456789012 210987654321 " +
		"vpc-0a1b2c3d4e5f67890 vpc-0f9e8d7c6b5a43210 subnet-0a0000000000000a2 subnet-0b0000000000000b2 eni-0a1b2c3d4e5f67890 " +
		"eni-0f9e8d7c6b5a43210 use1-az1 - tgw-attach-0fedcba9876543210 10.0.1.5 10.1.2.7 49152 443 6 20 4000 1700000000 1700000060 " +
		"OK IPv4 0 0 2 0 19 us-east-1 egress - -\n"
	want := `{"version":6,"resource-type":"TransitGateway","account-id":"123456789012","tgw-id":"tgw-0123456789abcdef0",` +
		`"tgw-attachment-id":"tgw-attach-0123456789abcdef0","tgw-src-vpc-account-id":"123456789012","tgw-dst-vpc-account-id":"210987654321",` +
		`"tgw-src-vpc-id":"vpc-0a1b2c3d4e5f67890","tgw-dst-vpc-id":"vpc-0f9e8d7c6b5a43210","tgw-src-subnet-id":"subnet-0a0000000000000a2",` +
		`"tgw-dst-subnet-id":"subnet-0b0000000000000b2","tgw-src-eni":"eni-0a1b2c3d4e5f67890","tgw-dst-eni":"eni-0f9e8d7c6b5a43210",` +
		`"tgw-src-az-id":"use1-az1","tgw-pair-attachment-id":"tgw-attach-0fedcba9876543210","srcaddr":"10.0.1.5","dstaddr":"10.1.2.7",` +
		`"srcport":49152,"dstport":443,"protocol":6,"packets":20,"bytes":4000,"start":1700000000,"end":1700000060,"log-status":"OK","type":"IPv4",` +
		`"packets-lost-no-route":0,"packets-lost-blackhole":0,"packets-lost-mtu-exceeded":2,"packets-lost-ttl-expired":0,"tcp-flags":19,` +
		`"region":"us-east-1","flow-direction":"egress"}` + "\n"
	dir := t.TempDir()
	s3 := writeFile(t, dir, "123456789012_vpcflowlogs_us-east-1_fl-0abc_20261125T1620Z_fe12.log.gz", gzipped(t, f.Header()+"\n"+line))
	for _, tt := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"", []string{s3}, want},
		{f.Header() + "\n" + line, []string{"-"}, want},
		{line, []string{"--format", "transit-gateway", "-"}, want},
		{"tgw-attach-0123456789abcdef0 7 TransitGatewayAttachment\n", []string{"--format", "${tgw-attachment-id} ${packets-lost-no-route} ${resource-type}", "-"},
			`{"tgw-attachment-id":"tgw-attach-0123456789abcdef0","packets-lost-no-route":7,"resource-type":"TransitGatewayAttachment"}` + "\n"},
	} {
		out, errs, code := runCmd(t, tt.stdin, append([]string{"parse"}, tt.args...)...)
		if code != 0 || errs != "" || out != tt.want {
			t.Errorf("parse %v: status %d, stderr %q\n got %s\nwant %s", tt.args, code, errs, out, tt.want)
		}
	}
	// A format that mixes VPC and transit gateway fields is a usage error naming both.
	_, errs, code := runCmd(t, "", "parse", "--format", "${action} ${tgw-id}", "-")
	if code == 0 || !strings.Contains(errs, "${tgw-id}") || !strings.Contains(errs, "VPC and transit gateway fields mixed") {
		t.Errorf("mixed format: status %d, stderr %q", code, errs)
	}
}
