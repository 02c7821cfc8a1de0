package flowlog_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// The transit gateway default format AWS documents: 36 fields in this order.
const tgwDefault = "${version} ${resource-type} ${account-id} ${tgw-id} ${tgw-attachment-id} ${tgw-src-vpc-account-id} " +
	"${tgw-dst-vpc-account-id} ${tgw-src-vpc-id} ${tgw-dst-vpc-id} ${tgw-src-subnet-id} ${tgw-dst-subnet-id} " +
	"${tgw-src-eni} ${tgw-dst-eni} ${tgw-src-az-id} ${tgw-dst-az-id} ${tgw-pair-attachment-id} ${srcaddr} ${dstaddr} " +
	"${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${log-status} ${type} " +
	"${packets-lost-no-route} ${packets-lost-blackhole} ${packets-lost-mtu-exceeded} ${packets-lost-ttl-expired} " +
	"${tcp-flags} ${region} ${flow-direction} ${pkt-src-aws-service} ${pkt-dst-aws-service}"

func TestTransitGatewayDefaultFormat(t *testing.T) {
	f := flowlog.DefaultTransitGatewayFormat()
	if f.String() != tgwDefault || f.Len() != 36 {
		t.Fatalf("default = %d fields %q", f.Len(), f.String())
	}
	shared := 0
	for _, fld := range f.Fields() {
		if fld.Shared.Valid() {
			shared++
			if fld.Shared.Name() != fld.Name || fld.Description != fld.Shared.Description() {
				t.Errorf("%s: shared field does not take its name and description from the registry", fld.Name)
			}
		} else if fld.Description == "" || !strings.HasPrefix(fld.Source, "https://docs.aws.amazon.com/") {
			t.Errorf("%s: no description or AWS source", fld.Name)
		}
	}
	if shared != 18 {
		t.Errorf("%d fields shared with VPC flow logs, want 18", shared)
	}
}

func TestParseTransitGatewayFormat(t *testing.T) {
	for _, tc := range []struct {
		in      string
		err     error
		wantMsg string
	}{
		{"${tgw-id} ${srcaddr} ${packets-lost-blackhole}", nil, ""},
		{tgwDefault, nil, ""},
		{"", flowlog.ErrEmptyFormat, "empty format"},
		{"${tgw-id} ${action}", flowlog.ErrUnknownField, `"${action}" at offset 10: a VPC flow-log field that transit gateway flow logs do not record`},
		{"${tgw-attachmnt-id}", flowlog.ErrUnknownField, `did you mean "${tgw-attachment-id}"`},
		{"${tgw-id} ${tgw-id}", flowlog.ErrDuplicateField, `"${tgw-id}"`},
		{"${tgw-id}  ${srcaddr}", flowlog.ErrFormatSyntax, "repeated space"},
		{"${tgw-id} srcaddr", flowlog.ErrFormatSyntax, "text outside"},
	} {
		f, err := flowlog.ParseTransitGatewayFormat(tc.in)
		if tc.err == nil {
			if err != nil || f.String() != tc.in {
				t.Errorf("%q: %v, %q", tc.in, err, f.String())
			}
			continue
		}
		if !errors.Is(err, tc.err) || !strings.Contains(err.Error(), tc.wantMsg) {
			t.Errorf("%q: error %v, want %v containing %q", tc.in, err, tc.err, tc.wantMsg)
		}
	}
}

func TestTransitGatewayFormatOf(t *testing.T) {
	f, err := flowlog.TransitGatewayFormatOf(flowlog.MustFormat(flowlog.SrcAddr, flowlog.DstAddr, flowlog.Bytes))
	if err != nil || f.String() != "${srcaddr} ${dstaddr} ${bytes}" {
		t.Errorf("shared fields: %q, %v", f.String(), err)
	}
	if _, err := flowlog.TransitGatewayFormatOf(flowlog.DefaultFormat()); err == nil || !strings.Contains(err.Error(), "${interface-id}") {
		t.Errorf("the VPC default format has interface-id and action, which transit gateways do not record: %v", err)
	}
}
