package s3layout_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/seed-e6b90e5a/vpc-flow-logs/s3layout"
)

// The expected keys are written by hand from the layouts and the file name
// example of https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html
// (123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20180620T1620Z_fe123456.log.gz),
// and one real Hive/Parquet key (AWSLogs/aws-account-id=111111111111/...
// 111111111111_vpcflowlogs_eu-west-3_fl-..._20220831T1255Z_2ad4bef5.log.parquet).
func TestKey(t *testing.T) {
	at := time.Date(2018, 6, 20, 16, 22, 41, 0, time.UTC) // in the 16:20 window
	for _, tc := range []struct {
		l    s3layout.Layout
		want string
	}{
		{s3layout.Layout{},
			"AWSLogs/123456789012/vpcflowlogs/us-east-1/2018/06/20/123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20180620T1620Z_fe123456.log.gz"},
		{s3layout.Layout{Prefix: "my-logs"},
			"my-logs/AWSLogs/123456789012/vpcflowlogs/us-east-1/2018/06/20/123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20180620T1620Z_fe123456.log.gz"},
		{s3layout.Layout{PerHour: true},
			"AWSLogs/123456789012/vpcflowlogs/us-east-1/2018/06/20/16/123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20180620T1620Z_fe123456.log.gz"},
		{s3layout.Layout{Prefix: "org/flows", PerHour: true},
			"org/flows/AWSLogs/123456789012/vpcflowlogs/us-east-1/2018/06/20/16/123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20180620T1620Z_fe123456.log.gz"},
		{s3layout.Layout{Hive: true},
			"AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2018/month=06/day=20/123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20180620T1620Z_fe123456.log.gz"},
		{s3layout.Layout{Prefix: "my-logs", Hive: true},
			"my-logs/AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2018/month=06/day=20/123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20180620T1620Z_fe123456.log.gz"},
		{s3layout.Layout{Hive: true, PerHour: true},
			"AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2018/month=06/day=20/hour=16/123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20180620T1620Z_fe123456.log.gz"},
		{s3layout.Layout{Prefix: "my-logs", Hive: true, PerHour: true, Parquet: true},
			"my-logs/AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2018/month=06/day=20/hour=16/123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20180620T1620Z_fe123456.log.parquet"},
	} {
		t.Run(fmt.Sprintf("%+v", tc.l), func(t *testing.T) {
			if got := tc.l.Key("123456789012", "us-east-1", "fl-1234abcd", at, "fe123456"); got != tc.want {
				t.Errorf("Key:\n got %s\nwant %s", got, tc.want)
			}
		})
	}
	real := s3layout.Layout{Hive: true, Parquet: true}.Key("111111111111", "eu-west-3", "fl-0123", time.Date(2022, 8, 31, 12, 55, 0, 0, time.UTC), "2ad4bef5")
	if want := "AWSLogs/aws-account-id=111111111111/aws-service=vpcflowlogs/aws-region=eu-west-3/year=2022/month=08/day=31/111111111111_vpcflowlogs_eu-west-3_fl-0123_20220831T1255Z_2ad4bef5.log.parquet"; real != want {
		t.Errorf("real key:\n got %s\nwant %s", real, want)
	}
}

func TestKeyUsesUTC(t *testing.T) {
	tz := time.FixedZone("UTC+10", 10*3600)
	at := time.Date(2024, 1, 1, 5, 3, 0, 0, tz) // 2023-12-31T19:03Z
	got := s3layout.Layout{PerHour: true}.Key("1", "r", "fl", at, "h")
	if want := "AWSLogs/1/vpcflowlogs/r/2023/12/31/19/1_vpcflowlogs_r_fl_20231231T1900Z_h.log.gz"; got != want {
		t.Errorf("got %s want %s", got, want)
	}
}

func TestDirs(t *testing.T) {
	since := time.Date(2024, 2, 28, 22, 30, 0, 0, time.UTC)
	until := time.Date(2024, 3, 1, 1, 0, 0, 0, time.UTC)
	days := s3layout.Layout{}.Dirs("1", "r", since, until)
	wantDays := []string{
		"AWSLogs/1/vpcflowlogs/r/2024/02/28/",
		"AWSLogs/1/vpcflowlogs/r/2024/02/29/",
		"AWSLogs/1/vpcflowlogs/r/2024/03/01/",
	}
	if !slices.Equal(days, wantDays) {
		t.Errorf("days: %q", days)
	}
	hours := s3layout.Layout{Hive: true, PerHour: true}.Dirs("1", "r", since, until)
	if len(hours) != 28 || hours[0] != "AWSLogs/aws-account-id=1/aws-service=vpcflowlogs/aws-region=r/year=2024/month=02/day=28/hour=22/" ||
		hours[27] != "AWSLogs/aws-account-id=1/aws-service=vpcflowlogs/aws-region=r/year=2024/month=03/day=01/hour=01/" {
		t.Errorf("hours: %q", hours)
	}
	if d := (s3layout.Layout{}).Dirs("1", "r", until, since); d != nil {
		t.Errorf("reversed range: %q", d)
	}
}

func TestRootAndAccountDir(t *testing.T) {
	for _, tc := range []struct {
		l          s3layout.Layout
		root, acct string
	}{
		{s3layout.Layout{}, "AWSLogs/", "AWSLogs/123/"},
		{s3layout.Layout{Prefix: "p/q"}, "p/q/AWSLogs/", "p/q/AWSLogs/123/"},
		{s3layout.Layout{Hive: true}, "AWSLogs/", "AWSLogs/aws-account-id=123/"},
	} {
		if got := tc.l.Root(); got != tc.root {
			t.Errorf("%+v Root = %q", tc.l, got)
		}
		if got := tc.l.AccountDir("123"); got != tc.acct {
			t.Errorf("%+v AccountDir = %q", tc.l, got)
		}
	}
}

func ExampleLayout_Key() {
	l := s3layout.Layout{Prefix: "flows", Hive: true, PerHour: true}
	fmt.Println(l.Key("123456789012", "us-east-1", "fl-1234abcd", time.Date(2018, 6, 20, 16, 22, 0, 0, time.UTC), "fe123456"))
	// Output:
	// flows/AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2018/month=06/day=20/hour=16/123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20180620T1620Z_fe123456.log.gz
}

func TestParseKey(t *testing.T) {
	at := time.Date(2018, 6, 20, 16, 20, 0, 0, time.UTC)
	for _, l := range []s3layout.Layout{{}, {Prefix: "a/b"}, {Hive: true}, {PerHour: true}, {Prefix: "x", Hive: true, PerHour: true, Parquet: true}} {
		key := l.Key("123456789012", "us-east-1", "fl-1234abcd", at, "fe123456")
		o, err := s3layout.ParseKey(key)
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		want := s3layout.Object{Layout: l, Account: "123456789012", Region: "us-east-1", FlowLogID: "fl-1234abcd", Window: at, Hash: "fe123456"}
		if o != want {
			t.Errorf("%s:\n got %+v\nwant %+v", key, o, want)
		}
	}
	for _, bad := range []string{
		"AWSLogs/123456789012/vpcflowlogs/us-east-1/2018/06/21/123456789012_vpcflowlogs_us-east-1_fl-1_20180620T1620Z_fe.log.gz", // folder disagrees
		"AWSLogs/123456789012/vpcflowlogs/us-east-1/2018/06/20/notes.txt",
		"AWSLogs/123456789012/elasticloadbalancing/us-east-1/2018/06/20/123456789012_elasticloadbalancing_us-east-1_x_20180620T1620Z_fe.log.gz",
		"myAWSLogs/123456789012/vpcflowlogs/us-east-1/2018/06/20/123456789012_vpcflowlogs_us-east-1_fl-1_20180620T1620Z_fe.log.gz",
	} {
		if _, err := s3layout.ParseKey(bad); err == nil {
			t.Errorf("parsed %s", bad)
		}
	}
}

func TestParseKeyUnalignedTime(t *testing.T) {
	key := "AWSLogs/aws-account-id=111111111111/aws-service=vpcflowlogs/aws-region=eu-west-3/year=2022/month=08/day=31/111111111111_vpcflowlogs_eu-west-3_fl-0123_20220831T1257Z_2ad4bef5.log.parquet"
	o, err := s3layout.ParseKey(key)
	if err != nil || o.Window != time.Date(2022, 8, 31, 12, 57, 0, 0, time.UTC) || !o.Layout.Hive || !o.Layout.Parquet {
		t.Errorf("%+v %v", o, err)
	}
}

func ExampleParseKey() {
	o, err := s3layout.ParseKey("logs/AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=eu-west-1/year=2026/month=11/day=25/hour=16/123456789012_vpcflowlogs_eu-west-1_fl-0abc_20261125T1620Z_fe12.log.parquet")
	if err != nil {
		panic(err)
	}
	fmt.Printf("%+v %s %s %s\n", o.Layout, o.Account, o.Region, o.Window.Format(time.RFC3339))
	// Output:
	// {Prefix:logs Hive:true PerHour:true Parquet:true} 123456789012 eu-west-1 2026-11-25T16:20:00Z
}
