package report_test

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/investigations"
	"github.com/seed-e6b90e5a/vpc-flow-logs/report"
)

// A report over records read by one goroutine: a Plan (the filter and the
// rows per chart), a Collector fed every record, then Build and Write.
func Example() {
	f := flowlog.DefaultFormat()
	plan := report.NewPlan(investigations.Equal(flowlog.Action, "REJECT"), 5)
	c := plan.Collector()
	if err := c.Begin(f); err != nil {
		panic(err)
	}
	g := flowlog.NewGenerator(1, f)
	var r flowlog.Record
	for range 1000 {
		g.Next(&r)
		c.Add(&r)
	}
	page := report.Build(c, report.Meta{Inputs: []string{"generated"}, Filters: []string{"--action REJECT"}, Generated: time.Unix(0, 0)})
	for _, card := range page.Cards[:5] {
		fmt.Println(card.Key, card.Value)
	}
	for _, s := range page.Sections {
		fmt.Printf("%s: %d marks\n", s.ID, s.Chart.Marks())
	}
	var html bytes.Buffer
	if err := report.Write(&html, page); err != nil {
		panic(err)
	}
	fmt.Println(strings.Count(html.String(), "<script"), "scripts")
	// Output:
	// records 122
	// bytes 17627701
	// packets 12222
	// accepted 0
	// rejected 122
	// bytes-over-time: 2 marks
	// records-over-time: 2 marks
	// top-srcaddr-by-bytes: 6 marks
	// top-dstaddr-by-bytes: 6 marks
	// top-srcaddr-dstaddr-by-bytes: 6 marks
	// rejected-by-dst-port: 6 marks
	// rejected-by-source: 6 marks
	// nodata-skipdata-by-interface: 0 marks
	// 0 scripts
}
