package main

import (
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/seed-e6b90e5a/vpc-flow-logs/source"
	"github.com/seed-e6b90e5a/vpc-flow-logs/summary"
)

// inputFlags are the flags every command that reads flow logs shares:
// where the records come from, how to read them, which to keep.
type inputFlags struct {
	format    string
	keepGoing bool
	workers   int
	maxBuffer int64
	recordFilterFlags
}

// recordFilterFlags are the record filter's flags, shared by every command
// that reads records (parse too), and compiled by one function, filter.
type recordFilterFlags struct {
	since    string
	until    string
	action   listFlag
	port     listFlag
	protocol listFlag
	src      listFlag
	dst      listFlag
	iface    listFlag
}

// listFlag is a repeatable flag whose values may also be comma-separated.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

func (f *inputFlags) register(fs *flag.FlagSet) {
	f.registerReading(fs)
	fs.IntVar(&f.workers, "workers", 0, "inputs read in parallel (default: one per core, at least 8 for S3 and CloudWatch Logs)")
}

// registerReading registers the flags but --workers: those of parse,
// which reads inputs in order.
func (f *inputFlags) registerReading(fs *flag.FlagSet) {
	fs.StringVar(&f.format, "format", "", "format of headerless input: a preset name (see 'flowlog fields -presets'), a LogFormat string, or field names (default: each input's header line, else the default format)")
	fs.BoolVar(&f.keepGoing, "keep-going", false, "report bad lines and inputs and go on; say at the end how many were skipped")
	fs.BoolVar(&f.keepGoing, "lenient", false, "same as --keep-going")
	fs.Int64Var(&f.maxBuffer, "max-buffer", source.DefaultMaxBuffer, "bytes held in memory for one input: a Parquet object read from S3 or stdin (or gzipped), a subscription payload (gzipped: its gzip member, until its checksum passes), or a gzip member's text from a stdin pipe until its checksum passes; more is an error (gzip text from a file or S3 object holds back 16 MiB and reads a larger member twice)")
	f.recordFilterFlags.register(fs)
}

// register registers the filter flags.
func (f *recordFilterFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.since, "since", "", "keep records that end at or after this time: RFC 3339, a date, or a duration before now (2h, 7d)")
	fs.StringVar(&f.until, "until", "", "keep records that start before this time (same forms as --since)")
	fs.Var(&f.action, "action", "keep records with this action: ACCEPT or REJECT")
	fs.Var(&f.port, "port", "keep records with this source or destination port, or port range (22, 8000-8100; repeatable, comma-separated)")
	fs.Var(&f.protocol, "protocol", "keep records of this protocol: a number or tcp, udp, icmp, icmpv6, gre, esp, sctp")
	fs.Var(&f.src, "src", "keep records whose source address is in this CIDR prefix or is this address (IPv4 or IPv6)")
	fs.Var(&f.dst, "dst", "keep records whose destination address is in this CIDR prefix or is this address")
	fs.Var(&f.iface, "interface", "keep records of this network interface (eni-...)")
}

// filter compiles the filter flags.
func (f *recordFilterFlags) filter(now time.Time) (summary.Filter, error) {
	var flt summary.Filter
	var err error
	each := func(l listFlag, parse func(string) error) {
		for _, v := range l {
			if err == nil {
				err = parse(v)
			}
		}
	}
	each(f.action, func(s string) error {
		v, e := summary.ParseActions(s)
		flt.Actions = append(flt.Actions, v...)
		return e
	})
	each(f.port, func(s string) error { v, e := summary.ParsePorts(s); flt.Ports = append(flt.Ports, v...); return e })
	each(f.protocol, func(s string) error {
		v, e := summary.ParseProtocols(s)
		flt.Protocols = append(flt.Protocols, v...)
		return e
	})
	each(f.src, func(s string) error { v, e := summary.ParsePrefixes(s); flt.Src = append(flt.Src, v...); return e })
	each(f.dst, func(s string) error { v, e := summary.ParsePrefixes(s); flt.Dst = append(flt.Dst, v...); return e })
	for _, v := range f.iface {
		for s := range strings.SplitSeq(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				if !isInterfaceID(s) {
					return flt, fmt.Errorf("--interface %q: want a network interface ID, eni- and hex digits (e.g. eni-0a1b2c3d4e5f67890)", s)
				}
				flt.Interfaces = append(flt.Interfaces, s)
			}
		}
	}
	if err != nil {
		return flt, err
	}
	if f.since != "" {
		if flt.Since, err = summary.ParseTime(f.since, now); err != nil {
			return flt, fmt.Errorf("--since: %w", err)
		}
	}
	if f.until != "" {
		if flt.Until, err = summary.ParseTime(f.until, now); err != nil {
			return flt, fmt.Errorf("--until: %w", err)
		}
	}
	if !flt.Since.IsZero() && !flt.Until.IsZero() && !flt.Since.Before(flt.Until) {
		return flt, fmt.Errorf("--since %s is not before --until %s", flt.Since.Format(time.RFC3339), flt.Until.Format(time.RFC3339))
	}
	return flt, nil
}

// options builds the input layer's options from the flags.
func (f *inputFlags) options(env *env, flt summary.Filter) (*source.Options, error) {
	if f.workers < 0 {
		return nil, fmt.Errorf("--workers %d: want a number of inputs read in parallel, at least 1 (0: the default)", f.workers)
	}
	if f.maxBuffer <= 0 {
		return nil, fmt.Errorf("--max-buffer %d: want a number of bytes, at least 1", f.maxBuffer)
	}
	o := &source.Options{
		Lenient:   f.keepGoing,
		Since:     flt.Since,
		Until:     flt.Until,
		Stdin:     env.stdin,
		MaxBuffer: f.maxBuffer,
		NewS3:     newS3Client,
		NewLogs:   newLogsClient,
		Notify:    func(msg string) { env.note(msg) },
	}
	if f.format != "" {
		var err error
		if o.Format, err = parseFormatFlag(f.format); err != nil {
			return nil, fmt.Errorf("--format: %w", err)
		}
	}
	return o, nil
}

// isInterfaceID reports whether s is spelled as an ENI ID (interface-id in
// a flow log record: "eni-" and lower-case hex digits), so that a typo is
// an error rather than a filter that silently matches nothing.
func isInterfaceID(s string) bool {
	hex, ok := strings.CutPrefix(s, "eni-")
	if !ok || hex == "" {
		return false
	}
	for _, c := range hex {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
