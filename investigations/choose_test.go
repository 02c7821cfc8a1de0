package investigations_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/investigations"
)

// TestFormatWithoutPacketsKeepsItsInvestigations: a custom format without
// ${packets} used to lose every investigation (each summed packets); now
// each needs only the fields it filters, groups and orders by, and loses
// only the packets column.
func TestFormatWithoutPacketsKeepsItsInvestigations(t *testing.T) {
	f, err := flowlog.ParseFormat("${version} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${bytes} ${start} ${end} ${action} ${log-status}")
	if err != nil {
		t.Fatal(err)
	}
	invs, err := investigations.Select(f)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, inv := range invs {
		names = append(names, inv.Name)
		if slices.Contains(inv.Columns(), "packets") {
			t.Errorf("%s keeps a packets column: %v", inv.Name, inv.Columns())
		}
		sql, err := inv.AthenaSQL("flows", f)
		if err != nil || strings.Contains(sql, `"packets"`) {
			t.Errorf("%s: %v\n%s", inv.Name, err, sql)
		}
		q, err := inv.InsightsQuery(f)
		if err != nil && !errors.Is(err, investigations.ErrUnboundParam) || strings.Contains(q, "packets") {
			t.Errorf("%s: %v\n%s", inv.Name, err, q)
		}
	}
	for _, want := range []string{"top-talkers", "rejected-traffic", "rejected-by-dst-port", "top-pairs-by-bytes", "bytes-per-hour", "nodata-skipdata-by-interface"} {
		if !slices.Contains(names, want) {
			t.Errorf("%s is not selected for a format without packets; got %v", want, names)
		}
	}
	tt, _ := investigations.Lookup("top-talkers")
	if got := fieldNames(tt.Needs()); got != "srcaddr,bytes" {
		t.Errorf("top-talkers needs %s, want srcaddr,bytes", got)
	}
	tt = tt.ForFormat(f)
	if got := strings.Join(tt.Columns(), ","); got != "srcaddr,records,bytes" {
		t.Errorf("top-talkers over the format has columns %s", got)
	}
	ev, err := tt.NewEvaluator(f)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(ev.Result().Columns, ","); got != "srcaddr,records,bytes" {
		t.Errorf("evaluator columns %s", got)
	}
	// A records count needs no counter field; ordering by packets does.
	nd, _ := investigations.Lookup("nodata-skipdata-by-interface")
	if got := fieldNames(nd.Needs()); got != "interface-id,log-status" {
		t.Errorf("nodata-skipdata-by-interface needs %s", got)
	}
	byPackets := investigations.TopN([]flowlog.Field{flowlog.SrcAddr}, investigations.Packets, 10, investigations.Cond{})
	if _, err := byPackets.AthenaSQL("flows", f); !errors.Is(err, investigations.ErrMissingFields) || !strings.Contains(err.Error(), "packets") {
		t.Errorf("ordering by packets over a format without them: %v", err)
	}
}

func fieldNames(fs []flowlog.Field) string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Name())
	}
	return strings.Join(out, ",")
}

// TestActionsFollowTheFilter: what actions an investigation or counter
// can count comes from its filter, and decides what a flow log of one
// traffic type gets.
func TestActionsFollowTheFilter(t *testing.T) {
	for name, want := range map[string]investigations.ActionSet{
		"accepted-tcp-traffic":         investigations.ActionAccept,
		"rejected-traffic":             investigations.ActionReject,
		"rejected-ssh-rdp":             investigations.ActionReject,
		"rejected-by-reason":           investigations.ActionReject,
		"top-talkers":                  investigations.AnyAction,
		"bytes-per-hour":               investigations.ActionAccept | investigations.ActionReject,
		"nodata-skipdata-by-interface": investigations.AnyAction,
	} {
		inv, _ := investigations.Lookup(name)
		if got := inv.Actions(); got != want {
			t.Errorf("%s: actions %s, want %s", name, got, want)
		}
	}
	for name, want := range map[string]investigations.ActionSet{
		"accepted-bytes": investigations.ActionAccept,
		"rejected":       investigations.ActionReject,
		"nodata":         investigations.AnyAction,
	} {
		c, _ := investigations.LookupCounter(name)
		if got := c.Actions(); got != want {
			t.Errorf("counter %s: actions %s, want %s", name, got, want)
		}
	}
	for _, tc := range []struct {
		c    investigations.Cond
		want investigations.ActionSet
	}{
		{investigations.Not(investigations.Equal(flowlog.Action, "ACCEPT")), investigations.ActionReject},
		{investigations.Not(investigations.Present(flowlog.Action)), investigations.ActionNone},
		{investigations.Or(investigations.Equal(flowlog.Action, "ACCEPT"), investigations.Equal(flowlog.DstPort, "22")), investigations.AnyAction},
		{investigations.Not(investigations.And(investigations.Equal(flowlog.Action, "ACCEPT"), investigations.Equal(flowlog.DstPort, "22"))), investigations.AnyAction},
	} {
		if got := tc.c.Actions(); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.c, got, tc.want)
		}
	}

	f := flowlog.AllFields()
	rej, dropped, err := investigations.Available(f, "REJECT")
	if err != nil {
		t.Fatal(err)
	}
	if slices.ContainsFunc(rej, func(i investigations.Investigation) bool { return i.Name == "accepted-tcp-traffic" }) ||
		len(dropped) != 1 || dropped[0].Name != "accepted-tcp-traffic" || !strings.Contains(dropped[0].String(), "trafficType is REJECT") {
		t.Errorf("REJECT: dropped %v", dropped)
	}
	acc, dropped, _ := investigations.Available(f, "ACCEPT")
	if len(acc)+len(dropped) != len(investigations.Catalogue()) || len(dropped) != 5 {
		t.Errorf("ACCEPT: dropped %v", dropped)
	}
	if _, err := investigations.SelectFor(f, "ACCEPT", "top-talkers", "rejected-traffic"); !errors.Is(err, investigations.ErrNotLogged) || !strings.Contains(err.Error(), "rejected-traffic counts only REJECT") {
		t.Errorf("rejected-traffic asked for on an ACCEPT flow log: %v", err)
	}
	cs, dropped, _ := investigations.AvailableCounters(f, "ACCEPT")
	if len(cs) != 3 || len(dropped) != 3 {
		t.Errorf("ACCEPT counters %d, dropped %v", len(cs), dropped)
	}
	_, dropped, _ = investigations.Available(flowlog.DefaultFormat(), "ALL", investigations.Featured()...)
	if len(dropped) != 0 {
		t.Errorf("the featured investigations need more than the default format: %v", dropped)
	}
	_, dropped, _ = investigations.Available(flowlog.DefaultFormat(), "ALL", "top-talkers-packet-level")
	if len(dropped) != 1 || dropped[0].String() != "top-talkers-packet-level (the format lacks pkt-srcaddr)" {
		t.Errorf("dropped %v", dropped)
	}
}

// TestEgressIsGroupedByLabelledPath: egress-by-traffic-path groups by the
// path (labelled), no longer by VPC, in every rendering, and
// egress-destinations-by-path splits path 1 by destination so that NAT
// gateway egress (public destinations) and transit gateway egress
// (private ones) are separate rows.
func TestEgressIsGroupedByLabelledPath(t *testing.T) {
	f, _ := flowlog.Preset("v5")
	line := func(dst, path string, bytes string) flowlog.Record {
		var r flowlog.Record
		for fld, v := range map[flowlog.Field]string{flowlog.SrcAddr: "10.0.0.5", flowlog.DstAddr: dst, flowlog.Bytes: bytes, flowlog.Packets: "1",
			flowlog.FlowDirection: "egress", flowlog.TrafficPath: path, flowlog.Action: "ACCEPT", flowlog.VpcID: "vpc-0a1b2c3d4e5f67890"} {
			if err := r.SetText(fld, v); err != nil {
				t.Fatal(err)
			}
		}
		return r
	}
	recs := []flowlog.Record{line("52.94.1.1", "1", "5000"), line("10.20.0.9", "1", "700"), line("52.94.1.1", "8", "300")}
	inv, _ := investigations.Lookup("egress-by-traffic-path")
	ev, err := inv.NewEvaluator(f)
	if err != nil {
		t.Fatal(err)
	}
	for i := range recs {
		ev.Add(&recs[i])
	}
	res := ev.Result()
	if strings.Join(res.Columns, ",") != "traffic_path,records,packets,bytes" || len(res.Rows) != 2 ||
		res.Rows[0][0] != "1 another resource in the same VPC (NAT gateway, transit gateway attachment, endpoint)" || res.Rows[1][0] != "8 internet gateway (Nitro)" {
		t.Errorf("egress-by-traffic-path: %v %v", res.Columns, res.Rows)
	}
	sql, _ := inv.AthenaSQL("flows", f)
	if !strings.Contains(sql, `WHEN 8 THEN '8 internet gateway (Nitro)' ELSE CAST("traffic_path" AS VARCHAR) END AS "traffic_path"`) || strings.Contains(sql, "vpc_id") {
		t.Errorf("SQL:\n%s", sql)
	}
	q, _ := inv.InsightsQuery(f)
	if !strings.Contains(q, "by trafficPath") || !strings.Contains(q, "\n# trafficPath: 1 another resource") {
		t.Errorf("Insights:\n%s", q)
	}
	dst, _ := investigations.Lookup("egress-destinations-by-path")
	ev, _ = dst.NewEvaluator(f)
	for i := range recs {
		ev.Add(&recs[i])
	}
	rows := ev.Result().Rows
	if len(rows) != 3 || rows[0][1] != "52.94.1.1" || rows[1][1] != "10.20.0.9" || rows[0][0] != rows[1][0] {
		t.Errorf("egress-destinations-by-path: %v", rows)
	}
	if _, ok, err := dst.ContributorRule(f, "/vpc/flow-logs"); !ok || err != nil {
		t.Errorf("egress-destinations-by-path should fit a Contributor Insights rule: %v", err)
	}
	// NAT gateway egress: path 1 to a public address only.
	nat, _ := investigations.Lookup("nat-gateway-egress-by-source")
	ev, _ = nat.NewEvaluator(f)
	for i := range recs {
		ev.Add(&recs[i])
	}
	if rows := ev.Result().Rows; len(rows) != 1 || rows[0][0] != "10.0.0.5" || rows[0][3] != int64(5000) {
		t.Errorf("nat-gateway-egress-by-source: %v", rows)
	}
	q, _ = nat.InsightsQuery(f)
	if !strings.Contains(q, `not ((isIpv4InSubnet(dstAddr, "10.0.0.0/8") or`) || !strings.Contains(q, `isIpv6InSubnet(dstAddr, "fc00::/7")`) {
		t.Errorf("Insights:\n%s", q)
	}
}
