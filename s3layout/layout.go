// Package s3layout is the key layout of VPC flow-log objects in an S3
// destination: the one source for the Athena table's partition projection,
// the CLI's S3 listing and tests that write objects "as AWS would".
//
// The layout is described in the Amazon VPC User Guide, "Flow log files"
// (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html):
//
//	default:        bucket-and-optional-prefix/AWSLogs/account_id/vpcflowlogs/region/year/month/day/
//	per hour:       .../year/month/day/hour/
//	Hive:           bucket-and-optional-prefix/AWSLogs/aws-account-id=account_id/aws-service=vpcflowlogs/aws-region=region/year=year/month=month/day=day/
//	Hive, per hour: .../day=day/hour=hour/
//
// and object names are
// account_id_vpcflowlogs_region_flow-log-id_YYYYMMDDTHHmmZ_hash.log.gz
// (".log.parquet" for Parquet), the time being the start of the 5-minute
// window the file covers.
package s3layout

import (
	"strconv"
	"strings"
	"time"
)

// Service is the service folder of flow-log keys ("vpcflowlogs").
const Service = "vpcflowlogs"

// Layout is how an S3 destination names its objects: the
// DestinationOptions of the flow log and the bucket's optional folder.
// The zero Layout is the default (plain-text, no prefix, daily folders).
type Layout struct {
	Prefix  string // optional key prefix (folder) before AWSLogs/, without slashes at the ends
	Hive    bool   // DestinationOptions.HiveCompatiblePartitions
	PerHour bool   // DestinationOptions.PerHourPartition
	Parquet bool   // DestinationOptions.FileFormat == parquet (changes only the file extension)
}

// Root returns the folder every key starts with: "prefix/AWSLogs/", or
// "AWSLogs/" without a prefix.
func (l Layout) Root() string {
	if l.Prefix == "" {
		return "AWSLogs/"
	}
	return l.Prefix + "/AWSLogs/"
}

// AccountDir returns the folder of one account's objects under Root:
// "prefix/AWSLogs/123456789012/" or, for Hive,
// "prefix/AWSLogs/aws-account-id=123456789012/". It is the resource of the
// bucket policy statement that lets the log delivery service write
// (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-permissions.html).
func (l Layout) AccountDir(account string) string {
	if l.Hive {
		return l.Root() + "aws-account-id=" + account + "/"
	}
	return l.Root() + account + "/"
}

// RegionDir returns the folder of one account's and region's objects:
// ".../AWSLogs/123456789012/vpcflowlogs/us-east-1/" or, for Hive,
// ".../AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/".
func (l Layout) RegionDir(account, region string) string {
	if l.Hive {
		return l.AccountDir(account) + "aws-service=" + Service + "/aws-region=" + region + "/"
	}
	return l.AccountDir(account) + Service + "/" + region + "/"
}

// Dir returns the folder of the objects of the day (or, PerHour, the hour)
// of t in UTC. It ends in "/".
func (l Layout) Dir(account, region string, t time.Time) string {
	t = t.UTC()
	var b strings.Builder
	b.WriteString(l.RegionDir(account, region))
	y, m, d := t.Date()
	part := func(name string, v, width int) {
		if l.Hive {
			b.WriteString(name)
			b.WriteByte('=')
		}
		b.WriteString(pad(v, width))
		b.WriteByte('/')
	}
	part("year", y, 4)
	part("month", int(m), 2)
	part("day", d, 2)
	if l.PerHour {
		part("hour", t.Hour(), 2)
	}
	return b.String()
}

// Ext returns the object name's extension: ".log.gz" or ".log.parquet".
func (l Layout) Ext() string {
	if l.Parquet {
		return ".log.parquet"
	}
	return ".log.gz"
}

// Key returns the full key of an object of the flow log flowLogID holding
// records of the 5-minute window that contains t (the name carries the
// window's start, t truncated to 5 minutes, in UTC), e.g.
// "AWSLogs/123456789012/vpcflowlogs/us-east-1/2018/06/20/123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20180620T1620Z_fe123456.log.gz".
func (l Layout) Key(account, region, flowLogID string, t time.Time, hash string) string {
	t = t.UTC().Truncate(5 * time.Minute)
	return l.Dir(account, region, t) + account + "_" + Service + "_" + region + "_" + flowLogID + "_" +
		t.Format("20060102T1504Z") + "_" + hash + l.Ext()
}

// Dirs returns every Dir from since to until (both included, UTC), in
// time order, for narrowing S3 listings to a time range. It returns nil if
// until is before since.
func (l Layout) Dirs(account, region string, since, until time.Time) []string {
	step := 24 * time.Hour
	t := since.UTC()
	if l.PerHour {
		step = time.Hour
		t = t.Truncate(time.Hour)
	} else {
		y, m, d := t.Date()
		t = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	var out []string
	for ; !t.After(until); t = t.Add(step) {
		out = append(out, l.Dir(account, region, t))
	}
	return out
}

func pad(v, width int) string {
	s := strconv.Itoa(v)
	for len(s) < width {
		s = "0" + s
	}
	return s
}
