package flowlog_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

func ExampleReader() {
	// An S3 object: a header line, then records. NewReader also accepts
	// the gzip-compressed object as is.
	in := `version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status
2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK
2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA
`
	rd := flowlog.NewReader(strings.NewReader(in))
	for {
		r, err := rd.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		if r.LogStatus() != flowlog.StatusOK {
			fmt.Println(r.InterfaceID(), r.LogStatus(), r.Has(flowlog.SrcAddr))
			continue
		}
		fmt.Println(r.SrcAddr(), "->", r.DstAddr(), r.DstPort(), r.Action(), r.Bytes(), r.Start().Format("2006-01-02T15:04:05Z"))
	}
	// Output:
	// 172.31.16.139 -> 172.31.16.21 22 ACCEPT 4249 2014-12-14T04:06:50Z
	// eni-1235b8ca123456789 NODATA false
}

func ExampleReader_lenient() {
	in := "2 123456789010 eni-1 10.0.0.1 10.0.0.2 443 50000 6 10 840 1700000000 1700000060 ACCEPT OK\n" +
		"2 123456789010 eni-1 10.0.0.1 10.0.0.999 443 50000 6 10 840 1700000000 1700000060 ACCEPT OK\n" +
		"2 123456789010 eni-1 10.0.0.1 10.0.0.2 443 50000 6 10 840 1700000000 1700000060 ACCEPT OK\n"
	rd := flowlog.NewReader(strings.NewReader(in))
	rd.Format = flowlog.DefaultFormat() // CloudWatch Logs events have no header
	rd.Lenient = true
	good := 0
	for {
		_, err := rd.Read()
		if err == io.EOF {
			break
		}
		if err != nil && rd.Err() != nil {
			fmt.Println("stopped:", err) // not about one line: every later Read returns it again
			break
		}
		var pe *flowlog.ParseError
		if errors.As(err, &pe) { // a bad line, skipped
			fmt.Println(pe.Line, pe.Name, errors.Is(err, flowlog.ErrSyntax))
			continue
		}
		good++
	}
	fmt.Println(good, "good records")
	// Output:
	// 2 dstaddr true
	// 2 good records
}

func ExampleParseLine() {
	f := flowlog.MustFormat(flowlog.InstanceID, flowlog.InterfaceID, flowlog.SrcAddr, flowlog.DstAddr, flowlog.PktSrcAddr, flowlog.PktDstAddr)
	var r flowlog.Record // reuse one record: ParseLine does not allocate
	for _, line := range []string{
		"- eni-1235b8ca123456789 10.0.1.5 10.0.0.220 10.0.1.5 203.0.113.5",
		"i-01234567890123456 eni-1111aaaa2222bbbb3 10.0.1.5 203.0.113.5 10.0.1.5 203.0.113.5",
	} {
		if err := flowlog.ParseLine(line, f, &r); err != nil {
			panic(err)
		}
		fmt.Println(r.Has(flowlog.InstanceID), r.InstanceID(), r.DstAddr() != r.PktDstAddr())
	}
	// Output:
	// false  true
	// true i-01234567890123456 false
}

func ExampleRecord_Get() {
	f := flowlog.DefaultFormat()
	r, _ := flowlog.ParseRecord("2 123456789010 eni-1 203.0.113.12 172.31.16.139 0 0 1 4 336 1432917027 1432917142 ACCEPT OK", f)
	for _, fld := range []flowlog.Field{flowlog.Protocol, flowlog.SrcPort, flowlog.VpcID, flowlog.Action} {
		v := r.Get(fld)
		fmt.Println(fld, v.Valid(), v)
	}
	// Output:
	// protocol true 1
	// srcport true 0
	// vpc-id false -
	// action true ACCEPT
}

func ExampleWriter() {
	f := flowlog.MustFormat(flowlog.Version, flowlog.SrcAddr, flowlog.DstAddr, flowlog.Bytes, flowlog.LogStatus)
	g := flowlog.NewGenerator(1, f)
	w := flowlog.NewWriter(os.Stdout, f)
	w.Header = true
	r := g.Record()
	_ = w.Write(&r)
	_ = w.Flush()
	parsed, _ := flowlog.ParseRecord(r.Text(f), f)
	fmt.Println(parsed == r)
	// Output:
	// version srcaddr dstaddr bytes log-status
	// 2 10.1.145.27 10.0.166.182 47107 OK
	// true
}

func ExampleNewGenerator() {
	f := flowlog.DefaultFormat()
	a, b := flowlog.NewGenerator(42, f), flowlog.NewGenerator(42, f)
	ra, rb := a.Record(), b.Record()
	fmt.Println(ra == rb, ra.Version(), ra.Has(flowlog.LogStatus))
	// Output:
	// true 2 true
}

func ExampleDecodeSubscription() {
	// A CloudWatch Logs subscription payload, here already decoded from
	// base64 and gzip (DecodeSubscription accepts all three forms).
	payload := `{"messageType":"DATA_MESSAGE","owner":"123456789010","logGroup":"vpc-flow-logs",
	"logStream":"eni-1235b8ca123456789","subscriptionFilters":["all"],"logEvents":[
	{"id":"1","timestamp":1418530010000,"message":"2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK"}]}`
	s, err := flowlog.DecodeSubscription([]byte(payload))
	if err != nil {
		panic(err)
	}
	for r, err := range s.Records(flowlog.DefaultFormat()) {
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(s.LogStream, r.DstPort(), r.Action())
	}
	// Output:
	// eni-1235b8ca123456789 3389 REJECT
}

func ExampleFlags() {
	fmt.Println(flowlog.Flags(19), flowlog.Flags(19).Has(flowlog.FlagFIN), flowlog.Flags(3), flowlog.Flags(0))
	// Output:
	// SYN-ACK|FIN true SYN|FIN 0
}

// Two objects in a row, the second truncated: the records of the first
// come back, then an error that ends reading even in lenient mode; Err
// tells it from a bad line, which lenient mode skips. No record of the
// truncated object comes back: gzip could not check its data.
func ExampleReader_Err() {
	object := func(lines string) []byte {
		var obj bytes.Buffer
		zw := gzip.NewWriter(&obj)
		_, _ = zw.Write([]byte("version srcaddr bytes\n" + lines))
		_ = zw.Close()
		return obj.Bytes()
	}
	first := object("2 10.0.0.1 840\n" +
		"2 10.0.0.1 x\n") // a bad line
	second := object("2 10.0.0.2 123456\n2 10.0.0.3 7\n")
	cut := second[:len(second)-12] // lose the end: part of the last line and the trailer

	rd := flowlog.NewReader(bytes.NewReader(append(first, cut...)))
	rd.Name = "fl-0abc.log.gz"
	rd.Lenient = true
	for {
		r, err := rd.Read()
		if err == io.EOF {
			break
		}
		if err != nil && rd.Err() == nil {
			fmt.Println("skipped:", err)
			continue
		}
		if err != nil {
			fmt.Println("stopped:", errors.Is(err, flowlog.ErrTruncated), err)
			break
		}
		fmt.Println(r.SrcAddr(), r.Bytes())
	}
	// Output:
	// 10.0.0.1 840
	// skipped: flowlog: fl-0abc.log.gz: line 3: field 3 (bytes): invalid syntax "x"
	// stopped: true flowlog: fl-0abc.log.gz: line 4: truncated (unexpected EOF): the input ends inside gzip data; this line and the rest of the member are not returned
}

// A gzip member's records are returned only once the member has passed
// gzip's check, so the Reader holds the member back, up to MaxUnverified
// bytes of text. A larger member is read twice when the input can be (a
// file, in-memory data); from a stream it is an error, and no record.
func ExampleReader_MaxUnverified() {
	var text strings.Builder
	g := flowlog.NewGenerator(1, flowlog.DefaultFormat())
	text.WriteString(flowlog.DefaultFormat().Header() + "\n")
	for range 100 {
		r := g.Record()
		text.WriteString(r.Text(flowlog.DefaultFormat()) + "\n")
	}
	var obj bytes.Buffer
	zw := gzip.NewWriter(&obj)
	_, _ = zw.Write([]byte(text.String()))
	_ = zw.Close()

	for name, in := range map[string]io.Reader{
		"in-memory": bytes.NewReader(obj.Bytes()),
		"stream":    io.MultiReader(bytes.NewReader(obj.Bytes())), // cannot be read twice
	} {
		rd := flowlog.NewReader(in)
		rd.MaxUnverified = 4096 // bytes of text; the object has ~12 KB
		n := 0
		var err error
		for err == nil {
			if _, err = rd.Read(); err == nil {
				n++
			}
		}
		fmt.Println(name, n, err == io.EOF, errors.Is(err, flowlog.ErrMemberTooLarge))
	}
	// Unordered output:
	// in-memory 100 true false
	// stream 0 false true
}

// Read a transit gateway flow log from S3: its header line gives the
// format, and the record's values are typed like a VPC record's.
func ExampleReader_transitGateway() {
	in := "version resource-type tgw-id tgw-attachment-id srcaddr dstaddr packets-lost-blackhole log-status\n" +
		"6 TransitGatewayAttachment tgw-0123456789abcdef0 tgw-attach-0123456789abcdef0 10.0.1.5 10.1.2.7 3 OK\n"
	r := flowlog.NewReader(strings.NewReader(in))
	rec, err := r.Read()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Format.InTransitGatewayFlowLogs(), r.Format.Version())
	fmt.Println(rec.Str(flowlog.TGWAttachmentID), rec.DstAddr(), rec.PacketsLost(flowlog.PacketsLostBlackhole))
	fmt.Println(string(rec.AppendJSON(nil, r.Format)))
	// Output:
	// true 6
	// tgw-attach-0123456789abcdef0 10.1.2.7 3
	// {"version":6,"resource-type":"TransitGatewayAttachment","tgw-id":"tgw-0123456789abcdef0","tgw-attachment-id":"tgw-attach-0123456789abcdef0","srcaddr":"10.0.1.5","dstaddr":"10.1.2.7","packets-lost-blackhole":3,"log-status":"OK"}
}
