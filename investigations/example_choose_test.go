package investigations_test

import (
	"fmt"
	"strings"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/investigations"
)

// A format without ${packets}: top-talkers needs only srcaddr and bytes, and loses its
// packets column.
func ExampleInvestigation_ForFormat() {
	f, _ := flowlog.ParseFormat("${interface-id} ${srcaddr} ${dstaddr} ${bytes} ${action} ${log-status}")
	inv, _ := investigations.Lookup("top-talkers")
	var needs []string
	for _, fld := range inv.Needs() {
		needs = append(needs, fld.Name())
	}
	fmt.Println("needs:", strings.Join(needs, ", "))
	fmt.Println("columns:", strings.Join(inv.ForFormat(f).Columns(), ", "))
	// Output:
	// needs: srcaddr, bytes
	// columns: srcaddr, records, bytes
}

// What a flow log of REJECT traffic gets of the featured investigations, and what it does not.
func ExampleAvailable() {
	invs, dropped, err := investigations.Available(flowlog.DefaultFormat(), "REJECT", "top-talkers", "accepted-tcp-traffic", "rejected-traffic")
	if err != nil {
		panic(err)
	}
	for _, inv := range invs {
		fmt.Println("kept:", inv.Name, inv.Actions())
	}
	for _, d := range dropped {
		fmt.Println("left out:", d)
	}
	// Output:
	// kept: top-talkers ACCEPT,REJECT,-
	// kept: rejected-traffic REJECT
	// left out: accepted-tcp-traffic (counts only ACCEPT records; trafficType is REJECT)
}
