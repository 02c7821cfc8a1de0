package s3layout

import (
	"errors"
	"strings"
	"time"
)

// ErrNotFlowLogKey is returned by ParseKey for a key that is not a
// flow-log object's.
var ErrNotFlowLogKey = errors.New("s3layout: not a flow-log object key")

// Object is what a flow-log object's key says about it.
type Object struct {
	Layout    Layout    // the layout the key follows (Prefix, Hive, PerHour, Parquet)
	Account   string    // account ID
	Region    string    // Region code
	FlowLogID string    // e.g. "fl-1234abcd"
	Window    time.Time // start of the 5-minute window the object covers (UTC)
	Hash      string    // the random suffix
}

// ParseKey parses the key of a flow-log object written in any of the
// layouts (see Layout.Key), e.g. to skip objects outside a time range
// while listing a bucket. The folders must agree with the file name.
func ParseKey(key string) (Object, error) {
	i := strings.LastIndex(key, "AWSLogs/")
	if i < 0 || (i > 0 && key[i-1] != '/') {
		return Object{}, ErrNotFlowLogKey
	}
	var o Object
	o.Layout.Prefix = strings.TrimSuffix(key[:i], "/")
	parts := strings.Split(key[i+len("AWSLogs/"):], "/")
	name := parts[len(parts)-1]
	dirs := parts[:len(parts)-1]
	switch {
	case strings.HasSuffix(name, ".log.gz"):
		name = strings.TrimSuffix(name, ".log.gz")
	case strings.HasSuffix(name, ".log.parquet"):
		name = strings.TrimSuffix(name, ".log.parquet")
		o.Layout.Parquet = true
	default:
		return Object{}, ErrNotFlowLogKey
	}
	// account_vpcflowlogs_region_flow-log-id_YYYYMMDDTHHmmZ_hash
	f := strings.Split(name, "_")
	if len(f) != 6 || f[1] != Service {
		return Object{}, ErrNotFlowLogKey
	}
	t, err := time.Parse("20060102T1504Z", f[4])
	if err != nil {
		return Object{}, ErrNotFlowLogKey
	}
	o.Account, o.Region, o.FlowLogID, o.Window, o.Hash = f[0], f[2], f[3], t.UTC(), f[5]
	if len(dirs) > 0 && strings.HasPrefix(dirs[0], "aws-account-id=") {
		o.Layout.Hive = true
	}
	switch len(dirs) {
	case 6:
	case 7:
		o.Layout.PerHour = true
	default:
		return Object{}, ErrNotFlowLogKey
	}
	// The folders must be exactly those the layout gives the file's time
	// (which need not be on a 5-minute boundary).
	if o.Layout.Dir(o.Account, o.Region, o.Window)+parts[len(parts)-1] != key {
		return Object{}, ErrNotFlowLogKey
	}
	return o, nil
}
