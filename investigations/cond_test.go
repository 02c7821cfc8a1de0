package investigations_test

import (
	"net/netip"
	"testing"
	"time"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/investigations"
)

func mustPrefix(s string) netip.Prefix { return netip.MustParsePrefix(s) }

func rec(t *testing.T, line string) flowlog.Record {
	t.Helper()
	r, err := flowlog.ParseRecord(line, flowlog.DefaultFormat())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestCondMatch(t *testing.T) {
	ssh := rec(t, "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 REJECT OK")
	v6 := rec(t, "2 123456789010 eni-1235b8ca123456789 2001:db8::1 2001:db8:1::2 443 50000 6 20 4249 1418530010 1418530070 ACCEPT OK")
	nodata := rec(t, "2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA")
	I := investigations.Equal
	for _, tc := range []struct {
		name              string
		c                 investigations.Cond
		ssh, v6, nodataOK bool
	}{
		{"empty", investigations.Cond{}, true, true, true},
		{"reject", I(flowlog.Action, "REJECT"), true, false, false},
		{"not reject (NULL stays unknown)", investigations.Not(I(flowlog.Action, "REJECT")), false, true, false},
		{"port set", investigations.OneOf(flowlog.DstPort, "22", "3389"), true, false, false},
		{"port range", investigations.Between(flowlog.DstPort, 1, 1023), true, false, false},
		{"v4 prefix", investigations.InPrefix(flowlog.SrcAddr, mustPrefix("172.31.0.0/16")), true, false, false},
		{"v6 prefix", investigations.InPrefix(flowlog.SrcAddr, mustPrefix("2001:db8::/48")), false, true, false},
		{"v6 spelling", I(flowlog.DstAddr, "2001:0db8:0001::0002"), false, true, false},
		{"time range", investigations.TimeRange(flowlog.Start, time.Unix(1418530000, 0), time.Unix(1418530011, 0)), true, true, false},
		{"open range", investigations.TimeRange(flowlog.Start, time.Unix(1431280000, 0), time.Time{}), false, false, true},
		{"absent", I(flowlog.SrcAddr, "-"), false, false, true},
		{"nodata", I(flowlog.LogStatus, "NODATA"), false, false, true},
		{"or with unknown", investigations.Or(I(flowlog.Action, "REJECT"), I(flowlog.LogStatus, "NODATA")), true, false, true},
		{"bytes", investigations.Compare(flowlog.Bytes, investigations.Ge, 4249), true, true, false},
		{"eni", I(flowlog.InterfaceID, "eni-1235b8ca123456789"), true, true, true},
	} {
		if err := tc.c.Err(); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		for _, x := range []struct {
			r    *flowlog.Record
			want bool
			what string
		}{{&ssh, tc.ssh, "ssh"}, {&v6, tc.v6, "v6"}, {&nodata, tc.nodataOK, "nodata"}} {
			if got := tc.c.Match(x.r); got != x.want {
				t.Errorf("%s (%s) on %s: %v, want %v", tc.name, tc.c, x.what, got, x.want)
			}
		}
	}
}

func TestCondErrors(t *testing.T) {
	for name, c := range map[string]investigations.Cond{
		"bad enum":      investigations.Equal(flowlog.Action, "DENY"),
		"bad port":      investigations.Equal(flowlog.DstPort, "70000"),
		"compare addr":  investigations.Compare(flowlog.SrcAddr, investigations.Gt, 1),
		"prefix port":   investigations.InPrefix(flowlog.DstPort, mustPrefix("10.0.0.0/8")),
		"time on bytes": investigations.TimeRange(flowlog.Bytes, time.Now(), time.Time{}),
		"no values":     investigations.OneOf(flowlog.DstPort),
		"nested":        investigations.And(investigations.Present(flowlog.Bytes), investigations.Equal(flowlog.Type, "IPv5")),
	} {
		if c.Err() == nil {
			t.Errorf("%s: no error", name)
		}
		if c.Match(&flowlog.Record{}) {
			t.Errorf("%s: an invalid condition matched", name)
		}
	}
	inv := investigations.TopN([]flowlog.Field{flowlog.SrcAddr}, investigations.Bytes, 5, investigations.Equal(flowlog.Action, "DENY"))
	if _, err := inv.AthenaSQL("t", flowlog.DefaultFormat()); err == nil {
		t.Error("SQL of an invalid condition")
	}
}
