package summary_test

import (
	"fmt"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/investigations"
	"github.com/seed-e6b90e5a/vpc-flow-logs/summary"
)

// The totals and the top sources by bytes of the rejected records.
func Example() {
	lines := []string{
		"2 123456789012 eni-1 203.0.113.5 10.0.1.7 40000 22 6 3 180 1700000000 1700000060 REJECT OK",
		"2 123456789012 eni-1 203.0.113.5 10.0.1.8 40001 3389 6 2 120 1700000000 1700000060 REJECT OK",
		"2 123456789012 eni-1 198.51.100.9 10.0.1.7 40002 22 6 1 60 1700000000 1700000060 REJECT OK",
		"2 123456789012 eni-1 10.0.1.7 10.0.1.8 443 50000 6 10 9000 1700000000 1700000060 ACCEPT OK",
	}
	flt := summary.Filter{Actions: []string{"REJECT"}}
	s, err := summary.New(&summary.Spec{
		Where:  flt.Cond(),
		Tables: []investigations.Investigation{summary.TopN([]flowlog.Field{flowlog.SrcAddr}, investigations.Bytes, 10)},
	})
	if err != nil {
		panic(err)
	}
	if err := s.Begin(flowlog.DefaultFormat()); err != nil {
		panic(err)
	}
	for _, line := range lines {
		r, err := flowlog.ParseRecord(line, flowlog.DefaultFormat())
		if err != nil {
			panic(err)
		}
		s.Add(&r)
	}
	sum := s.Summary()
	fmt.Println("records", sum.Totals.Records, "bytes", sum.Totals.Bytes, "rejected", sum.Totals.Rejected)
	fmt.Println(sum.Tables[0].Result.Columns)
	for _, row := range sum.Tables[0].Result.Rows {
		fmt.Println(row)
	}
	// Output:
	// records 3 bytes 360 rejected 3
	// [srcaddr records packets bytes]
	// [203.0.113.5 2 5 300]
	// [198.51.100.9 1 1 60]
}

// Top sources and top destinations over two inputs, one of whose format
// has no dstaddr: the destinations table leaves that input out, the
// totals and the sources count both.
func ExampleSummarizer_BeginPartial() {
	src, dst := flowlog.SrcAddr, flowlog.DstAddr
	s, err := summary.New(&summary.Spec{Tables: []investigations.Investigation{
		summary.TopN([]flowlog.Field{src}, investigations.Records, 10),
		summary.TopN([]flowlog.Field{dst}, investigations.Records, 10),
	}})
	if err != nil {
		panic(err)
	}
	noDst := flowlog.MustFormat(flowlog.SrcAddr, flowlog.Packets, flowlog.Bytes)
	inputs := []struct {
		f     flowlog.Format
		lines []string
	}{
		{flowlog.DefaultFormat(), []string{"2 123456789012 eni-1 203.0.113.5 10.0.1.7 40000 22 6 3 180 1700000000 1700000060 ACCEPT OK"}},
		{noDst, []string{"203.0.113.5 2 120", "198.51.100.9 1 60"}},
	}
	for _, in := range inputs {
		lacking, err := s.BeginPartial(in.f)
		if err != nil {
			panic(err) // the filter's fields: skip the input
		}
		fmt.Println("lacking", lacking)
		for _, line := range in.lines {
			r, err := flowlog.ParseRecord(line, in.f)
			if err != nil {
				panic(err)
			}
			s.Add(&r)
		}
	}
	sum := s.Summary()
	fmt.Println("records", sum.Totals.Records)
	for _, t := range sum.Tables {
		fmt.Println(t.Result.Rows)
	}
	// Output:
	// lacking [[] []]
	// lacking [[] [dstaddr]]
	// records 3
	// [[203.0.113.5 2 5 300] [198.51.100.9 1 1 60]]
	// [[10.0.1.7 1 3 180]]
}
