package flowlog_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// tgwHeader is the header line S3 delivery writes for a transit gateway flow
// log in the default format: the field names of the Transit Gateways
// guide's table, in its order
// (https://docs.aws.amazon.com/vpc/latest/tgw/tgw-flow-logs.html#flow-log-records).
const tgwHeader = "version resource-type account-id tgw-id tgw-attachment-id tgw-src-vpc-account-id tgw-dst-vpc-account-id " +
	"tgw-src-vpc-id tgw-dst-vpc-id tgw-src-subnet-id tgw-dst-subnet-id tgw-src-eni tgw-dst-eni tgw-src-az-id tgw-dst-az-id " +
	"tgw-pair-attachment-id srcaddr dstaddr srcport dstport protocol packets bytes start end log-status type " +
	"packets-lost-no-route packets-lost-blackhole packets-lost-mtu-exceeded packets-lost-ttl-expired tcp-flags region " +
	"flow-direction pkt-src-aws-service pkt-dst-aws-service"

// tgwRecord is a record in the default transit gateway format. The guide
// has no example record; this one gives each field a value of the kind its
// row of the table describes (and "-" where a field can be absent).
const tgwRecord = "6 TransitGatewayAttachment 123456789012 tgw-0123456789abcdef0 tgw-attach-0123456789abcdef0 " +
	"123456789012 210987654321 vpc-0a1b2c3d4e5f67890 vpc-0f9e8d7c6b5a43210 subnet-0a0000000000000a2 subnet-0b0000000000000b2 " +
	"eni-0a1b2c3d4e5f67890 eni-0f9e8d7c6b5a43210 use1-az1 use1-az2 tgw-attach-0fedcba9876543210 " +
	"10.0.1.5 2001:db8::7 49152 443 6 20 4000 1700000000 1700000060 OK IPv4 0 3 0 0 19 us-east-1 ingress - S3"

// TestTransitGatewayHeaderIsTheDefaultFormat: a transit gateway S3 object's
// header line gives the default transit gateway format.
func TestTransitGatewayHeaderIsTheDefaultFormat(t *testing.T) {
	h, err := flowlog.ParseHeader(tgwHeader + "\n")
	if err != nil {
		t.Fatal(err)
	}
	def := flowlog.DefaultTransitGatewayFormat().Format()
	if h != def || h.Header() != tgwHeader || h.Version() != 6 || h.Len() != 36 {
		t.Errorf("ParseHeader = %q (version %d)", h.Header(), h.Version())
	}
	if !h.InTransitGatewayFlowLogs() || h.InVPCFlowLogs() {
		t.Errorf("the default transit gateway format: TGW %v, VPC %v", h.InTransitGatewayFlowLogs(), h.InVPCFlowLogs())
	}
	if p, ok := flowlog.Preset("transit-gateway"); !ok || p != def {
		t.Errorf("preset transit-gateway = %q, %v", p, ok)
	}
}

// TestTransitGatewayRecordValues: each field of a transit gateway record has
// the value type of its kind, as in VPC records; "-" is absent.
func TestTransitGatewayRecordValues(t *testing.T) {
	f := flowlog.DefaultTransitGatewayFormat().Format()
	r, err := flowlog.ParseRecord(tgwRecord, f)
	if err != nil {
		t.Fatal(err)
	}
	str := map[flowlog.Field]string{
		flowlog.ResourceType: "TransitGatewayAttachment", flowlog.AccountID: "123456789012",
		flowlog.TGWID: "tgw-0123456789abcdef0", flowlog.TGWAttachmentID: "tgw-attach-0123456789abcdef0",
		flowlog.TGWSrcVpcAccountID: "123456789012", flowlog.TGWDstVpcAccountID: "210987654321",
		flowlog.TGWSrcVpcID: "vpc-0a1b2c3d4e5f67890", flowlog.TGWDstVpcID: "vpc-0f9e8d7c6b5a43210",
		flowlog.TGWSrcSubnetID: "subnet-0a0000000000000a2", flowlog.TGWDstSubnetID: "subnet-0b0000000000000b2",
		flowlog.TGWSrcENI: "eni-0a1b2c3d4e5f67890", flowlog.TGWDstENI: "eni-0f9e8d7c6b5a43210",
		flowlog.TGWSrcAZID: "use1-az1", flowlog.TGWDstAZID: "use1-az2",
		flowlog.TGWPairAttachmentID: "tgw-attach-0fedcba9876543210", flowlog.Region: "us-east-1",
		flowlog.PktDstAWSService: "S3",
	}
	for fld, want := range str {
		if got := r.Str(fld); got != want || !r.Has(fld) {
			t.Errorf("%s = %q, want %q", fld, got, want)
		}
	}
	if r.Version() != 6 || r.SrcAddr() != netip.MustParseAddr("10.0.1.5") || r.DstAddr() != netip.MustParseAddr("2001:db8::7") ||
		r.SrcPort() != 49152 || r.DstPort() != 443 || r.Protocol() != 6 || r.Packets() != 20 || r.Bytes() != 4000 ||
		!r.Start().Equal(time.Unix(1700000000, 0)) || r.EndUnix() != 1700000060 || r.LogStatus() != flowlog.StatusOK ||
		r.Type() != flowlog.TypeIPv4 || r.TCPFlags() != flowlog.FlagSYNACK|flowlog.FlagFIN || r.FlowDirection() != flowlog.Ingress {
		t.Errorf("shared fields: %s", r.Text(f))
	}
	lost := map[flowlog.Field]uint64{flowlog.PacketsLostNoRoute: 0, flowlog.PacketsLostBlackhole: 3, flowlog.PacketsLostMTUExceeded: 0, flowlog.PacketsLostTTLExpired: 0}
	for fld, want := range lost {
		if r.PacketsLost(fld) != want || r.Get(fld).Uint() != want || !r.Has(fld) || r.Get(fld).Kind() != flowlog.KindUint64 {
			t.Errorf("%s = %d (%v), want %d", fld, r.PacketsLost(fld), r.Get(fld), want)
		}
	}
	if r.Has(flowlog.PktSrcAWSService) || r.Has(flowlog.Action) || r.Present() != 35 {
		t.Errorf("present: %d fields, pkt-src-aws-service %v", r.Present(), r.Has(flowlog.PktSrcAWSService))
	}
	if got := r.Text(f); got != tgwRecord {
		t.Errorf("Text:\n got  %s\n want %s", got, tgwRecord)
	}
	json := string(r.AppendJSON(nil, f))
	for _, part := range []string{`{"version":6,"resource-type":"TransitGatewayAttachment",`, `"tgw-pair-attachment-id":"tgw-attach-0fedcba9876543210",`,
		`"dstaddr":"2001:db8::7",`, `"packets-lost-no-route":0,"packets-lost-blackhole":3,"packets-lost-mtu-exceeded":0,"packets-lost-ttl-expired":0,"tcp-flags":19,`,
		`"flow-direction":"ingress","pkt-dst-aws-service":"S3"}`} {
		if !strings.Contains(json, part) {
			t.Errorf("JSON lacks %s:\n%s", part, json)
		}
	}
	if strings.Contains(json, "pkt-src-aws-service") {
		t.Errorf("JSON has the absent pkt-src-aws-service: %s", json)
	}
	// A counter out of range, and a VPC-only value in a transit gateway field, are errors.
	bad := strings.Replace(tgwRecord, " 0 3 0 0 ", " 0 18446744073709551616 0 0 ", 1)
	if _, err := flowlog.ParseRecord(bad, f); !errors.Is(err, flowlog.ErrRange) || !strings.Contains(err.Error(), "packets-lost-blackhole") {
		t.Errorf("counter overflow: %v", err)
	}
}

// TestTransitGatewayRecordsRoundTrip: generated transit gateway records, in
// the default format and custom ones, with or without the header line and
// gzip, read back as written.
func TestTransitGatewayRecordsRoundTrip(t *testing.T) {
	custom, err := flowlog.ParseTransitGatewayFormat("${tgw-attachment-id} ${packets-lost-blackhole} ${srcaddr} ${dstaddr} " +
		"${tgw-pair-attachment-id} ${bytes} ${packets-lost-no-route} ${resource-type} ${log-status}")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []flowlog.Format{flowlog.DefaultTransitGatewayFormat().Format(), custom.Format()} {
		for mode := range 4 {
			header, gz := mode&1 != 0, mode&2 != 0
			g := flowlog.NewGenerator(uint64(mode+1), f)
			var buf bytes.Buffer
			var out io.Writer = &buf
			var zw *gzip.Writer
			if gz {
				zw = gzip.NewWriter(&buf)
				out = zw
			}
			w := flowlog.NewWriter(out, f)
			w.Header = header
			want := make([]flowlog.Record, 300)
			lost := 0
			for i := range want {
				g.Next(&want[i])
				if want[i].PacketsLost(flowlog.PacketsLostBlackhole) > 0 {
					lost++
				}
				if err := w.Write(&want[i]); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			if zw != nil {
				if err := zw.Close(); err != nil {
					t.Fatal(err)
				}
			}
			if header && !gz && !strings.HasPrefix(buf.String(), f.Header()+"\n") {
				t.Fatalf("header line: %q", strings.SplitN(buf.String(), "\n", 2)[0])
			}
			rd := flowlog.NewReader(bytes.NewReader(buf.Bytes()))
			if !header {
				rd.Format = f
			}
			for i := range want {
				got, err := rd.Read()
				if err != nil {
					t.Fatalf("%q mode %d record %d: %v", f.Header(), mode, i, err)
				}
				if got != want[i] {
					t.Fatalf("%q mode %d record %d:\n got  %s\n want %s", f.Header(), mode, i, got.Text(f), want[i].Text(f))
				}
			}
			if _, err := rd.Read(); err != io.EOF {
				t.Errorf("after the records: %v", err)
			}
			if rd.Format != f || rd.HasHeader() != header {
				t.Errorf("reader format %q, header %v", rd.Format.Header(), rd.HasHeader())
			}
			if lost == 0 {
				t.Errorf("%q mode %d: no record has a blackhole drop", f.Header(), mode)
			}
		}
	}
}

// TestFormatsDoNotMixVPCAndTransitGatewayFields: no flow log records both
// VPC-only and transit-gateway-only fields, so no format has both, whichever
// way it is given; fields both record go with either.
func TestFormatsDoNotMixVPCAndTransitGatewayFields(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    func() (flowlog.Format, error)
		err  error
		msg  string
	}{
		{"LogFormat", func() (flowlog.Format, error) { return flowlog.ParseFormat("${srcaddr} ${action} ${tgw-id}") },
			flowlog.ErrMixedFields, `"${tgw-id}" at offset 21: only transit gateway flow logs record it, and only VPC flow logs record a field before it`},
		{"header", func() (flowlog.Format, error) { return flowlog.ParseHeader("version tgw-id vpc-id") },
			flowlog.ErrMixedFields, `"vpc-id" at offset 15: only VPC flow logs record it, and only transit gateway flow logs record a field before it`},
		{"columns", func() (flowlog.Format, error) {
			return flowlog.ParseColumns([]string{"packets_lost_no_route", "interface_id"})
		},
			flowlog.ErrMixedFields, `"interface_id" at offset 1`},
		{"fields", func() (flowlog.Format, error) { return flowlog.NewFormat(flowlog.ECSTaskID, flowlog.TGWID) },
			flowlog.ErrMixedFields, `"tgw-id" at offset 1`},
		{"VPC format", func() (flowlog.Format, error) { return flowlog.ParseVPCFormat("${srcaddr} ${tgw-id}") },
			flowlog.ErrUnknownField, `"${tgw-id}" at offset 11: a transit gateway flow-log field that VPC flow logs do not record`},
		{"shared fields only", func() (flowlog.Format, error) { return flowlog.ParseFormat("${srcaddr} ${dstaddr} ${bytes}") }, nil, ""},
	} {
		f, err := tc.f()
		if tc.err == nil {
			if err != nil || !f.InVPCFlowLogs() || !f.InTransitGatewayFlowLogs() {
				t.Errorf("%s: %v, VPC %v, TGW %v", tc.name, err, f.InVPCFlowLogs(), f.InTransitGatewayFlowLogs())
			}
			continue
		}
		if !errors.Is(err, tc.err) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: %v, want %v containing %s", tc.name, err, tc.err, tc.msg)
		}
	}
}

// TestTransitGatewayViewsAreTheRegistry: what the constructs and gates check
// transit gateway formats with (TransitGatewayFormatOf,
// ParseTransitGatewayFormat, TransitGatewayFields) says of every field what
// the registry says.
func TestTransitGatewayViewsAreTheRegistry(t *testing.T) {
	inTGW := map[string]bool{}
	for _, tf := range flowlog.TransitGatewayFields() {
		inTGW[tf.Name] = true
		if tf.Field.Name() != tf.Name || tf.Description != tf.Field.Description() || tf.Shared.Valid() != tf.Field.InVPCFlowLogs() {
			t.Errorf("%s: %+v", tf.Name, tf)
		}
	}
	if len(inTGW) != 36 {
		t.Errorf("%d transit gateway fields, want 36", len(inTGW))
	}
	for _, f := range flowlog.Fields() {
		_, errOf := flowlog.TransitGatewayFormatOf(flowlog.MustFormat(f))
		_, errParse := flowlog.ParseTransitGatewayFormat(f.Token())
		_, errVPC := flowlog.ParseVPCFormat(f.Token())
		if want := f.InTransitGatewayFlowLogs(); want != inTGW[f.Name()] || (errOf == nil) != want || (errParse == nil) != want {
			t.Errorf("%s: registry says TGW %v; TransitGatewayFields %v, TransitGatewayFormatOf %v, ParseTransitGatewayFormat %v",
				f, want, inTGW[f.Name()], errOf, errParse)
		}
		if (errVPC == nil) != f.InVPCFlowLogs() {
			t.Errorf("%s: registry says VPC %v; ParseVPCFormat %v", f, f.InVPCFlowLogs(), errVPC)
		}
	}
}
