package investigations_test

import (
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/investigations"
)

func ExampleInvestigation_AthenaSQL() {
	inv, _ := investigations.Lookup("rejected-ssh-rdp")
	q, err := inv.AthenaSQL("vpc_flow_logs.flows", flowlog.DefaultFormat())
	if err != nil {
		panic(err)
	}
	fmt.Println(q)
	// Output:
	// SELECT "srcaddr" AS "srcaddr", "dstport" AS "dstport", COUNT(*) AS "records", COALESCE(SUM("packets"), 0) AS "packets", COALESCE(SUM("bytes"), 0) AS "bytes"
	// FROM "vpc_flow_logs"."flows"
	// WHERE ("action" = 'REJECT' AND "dstport" IN (22, 3389))
	// GROUP BY 1, 2
	// ORDER BY 3 DESC, 1 ASC NULLS LAST, 2 ASC NULLS LAST
	// LIMIT 50
}

func ExampleInvestigation_InsightsQuery() {
	inv, _ := investigations.Lookup("top-talkers")
	f := flowlog.MustFormat(flowlog.SrcAddr, flowlog.DstAddr, flowlog.Packets, flowlog.Bytes, flowlog.Action)
	q, err := inv.InsightsQuery(f)
	if err != nil {
		panic(err)
	}
	fmt.Println(q)
	// Output:
	// parse @message "* * * * *" as srcAddr, dstAddr, packets, bytes, action
	// | stats count(*) as records, sum(packets) as packetsTotal, sum(bytes) as bytesTotal by srcAddr
	// | sort bytesTotal desc
	// | limit 50
}

func ExampleInvestigation_ContributorRule() {
	inv, _ := investigations.Lookup("top-pairs-by-bytes")
	body, ok, err := inv.ContributorRule(flowlog.DefaultFormat(), "/vpc/flow-logs")
	fmt.Println(ok, err)
	fmt.Println(body)
	// Output:
	// true <nil>
	// {"Schema":{"Name":"CloudWatchLogRule","Version":1},"LogGroupNames":["/vpc/flow-logs"],"LogFormat":"CLF","Fields":{"10":"bytes","4":"srcaddr","5":"dstaddr"},"Contribution":{"Keys":["srcaddr","dstaddr"],"ValueOf":"bytes"},"AggregateOn":"Sum"}
}

func ExampleCounter_MetricFilterPattern() {
	c, _ := investigations.LookupCounter("nodata")
	f := flowlog.MustFormat(flowlog.InterfaceID, flowlog.Start, flowlog.End, flowlog.LogStatus)
	p, err := c.MetricFilterPattern(f)
	if err != nil {
		panic(err)
	}
	fmt.Println(p, c.MetricValue())
	// Output:
	// [interface_id, start, end, log_status="NODATA"] 1
}

func ExampleInvestigation_NewEvaluator() {
	inv, _ := investigations.Lookup("rejected-by-dst-port")
	f := flowlog.DefaultFormat()
	ev, err := inv.NewEvaluator(f)
	if err != nil {
		panic(err)
	}
	for _, line := range []string{
		"2 123456789012 eni-1 198.51.100.7 10.0.0.5 50000 22 6 3 180 1700000000 1700000030 REJECT OK",
		"2 123456789012 eni-1 198.51.100.8 10.0.0.5 50001 22 6 1 60 1700000040 1700000050 REJECT OK",
		"2 123456789012 eni-1 198.51.100.9 10.0.0.5 50002 3389 6 2 120 1700000060 1700000070 REJECT OK",
		"2 123456789012 eni-1 10.0.0.5 198.51.100.9 443 50002 6 9 900 1700000060 1700000070 ACCEPT OK",
	} {
		r, err := flowlog.ParseRecord(line, f)
		if err != nil {
			panic(err)
		}
		ev.Add(&r)
	}
	res := ev.Result()
	fmt.Println(strings.Join(res.Columns, " "))
	for _, row := range res.Rows {
		fmt.Println(row...)
	}
	// Output:
	// dstport protocol records packets bytes
	// 22 6 2 4 240
	// 3389 6 1 2 120
}

func ExampleNewSet() {
	// The report's top sources, destinations and pairs: the first two are
	// summed from the pair table's groups, counted once per record.
	by := func(fs ...flowlog.Field) investigations.Investigation {
		var present []investigations.Cond
		for _, f := range fs {
			present = append(present, investigations.Present(f))
		}
		return investigations.TopN(fs, investigations.Bytes, 2, investigations.And(present...))
	}
	f := flowlog.DefaultFormat()
	set, err := investigations.NewSet(f, []investigations.Investigation{
		by(flowlog.SrcAddr), by(flowlog.DstAddr), by(flowlog.SrcAddr, flowlog.DstAddr),
	}, nil)
	if err != nil {
		panic(err)
	}
	for _, line := range []string{
		"2 123456789012 eni-1 10.0.0.5 198.51.100.9 443 50002 6 9 900 1700000060 1700000070 ACCEPT OK",
		"2 123456789012 eni-1 10.0.0.5 198.51.100.7 443 50003 6 2 200 1700000060 1700000070 ACCEPT OK",
		"2 123456789012 eni-1 10.0.0.6 198.51.100.7 443 50004 6 3 300 1700000060 1700000070 ACCEPT OK",
		"2 123456789012 eni-1 - - - - - - - 1700000000 1700000060 - NODATA",
	} {
		r, err := flowlog.ParseRecord(line, f)
		if err != nil {
			panic(err)
		}
		set.Add(&r)
	}
	for i := range set.Len() {
		res := set.Result(i)
		fmt.Println(strings.Join(res.Columns, " "))
		for _, row := range res.Rows {
			fmt.Println(row...)
		}
	}
	// Output:
	// srcaddr records packets bytes
	// 10.0.0.5 2 11 1100
	// 10.0.0.6 1 3 300
	// dstaddr records packets bytes
	// 198.51.100.9 1 9 900
	// 198.51.100.7 2 5 500
	// srcaddr dstaddr records packets bytes
	// 10.0.0.5 198.51.100.9 1 9 900
	// 10.0.0.6 198.51.100.7 1 3 300
}

func ExampleTopN() {
	// The CLI's "summarize --by dst --measure packets --src 10.0.0.0/8 --action REJECT".
	inv := investigations.TopN([]flowlog.Field{flowlog.DstAddr}, investigations.Packets, 10,
		investigations.And(
			investigations.InPrefix(flowlog.SrcAddr, netip.MustParsePrefix("10.0.0.0/8")),
			investigations.Equal(flowlog.Action, "REJECT")))
	fmt.Println(inv.Name, inv.Where)
	q, _ := inv.InsightsQuery(flowlog.DefaultFormat())
	fmt.Println(q)
	// Output:
	// top-dstaddr-by-packets (srcaddr in 10.0.0.0/8 AND action = REJECT)
	// filter (isIpv4InSubnet(srcAddr, "10.0.0.0/8") and action = "REJECT")
	// | stats count(*) as records, sum(packets) as packetsTotal, sum(bytes) as bytesTotal by dstAddr
	// | sort packetsTotal desc
	// | limit 10
}

func ExampleSelect() {
	_, err := investigations.Select(flowlog.DefaultFormat(), "top-talking-subnets")
	fmt.Println(err)
	invs, _ := investigations.Select(flowlog.DefaultFormat())
	fmt.Println(len(invs) > 0)
	// Output:
	// investigations: top-talking-subnets needs field(s) the format lacks: subnet-id
	// true
}

func ExampleCond_Match() {
	// The CLI's "--action REJECT --dst 10.0.0.0/16 --port 22,3389 --since 2023-11-14T22:00:00Z".
	c := investigations.And(
		investigations.Equal(flowlog.Action, "REJECT"),
		investigations.InPrefix(flowlog.DstAddr, netip.MustParsePrefix("10.0.0.0/16")),
		investigations.OneOf(flowlog.DstPort, "22", "3389"),
		investigations.TimeRange(flowlog.Start, time.Date(2023, 11, 14, 22, 0, 0, 0, time.UTC), time.Time{}),
	)
	for _, line := range []string{
		"2 123456789012 eni-1 198.51.100.7 10.0.3.5 50000 22 6 3 180 1700000000 1700000030 REJECT OK",
		"2 123456789012 eni-1 198.51.100.7 10.1.3.5 50000 22 6 3 180 1700000000 1700000030 REJECT OK",
		"2 123456789012 eni-1 - - - - - - - 1700000000 1700000060 - NODATA",
	} {
		r, _ := flowlog.ParseRecord(line, flowlog.DefaultFormat())
		fmt.Println(c.Match(&r))
	}
	// Output:
	// true
	// false
	// false
}
