package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/seed-e6b90e5a/vpc-flow-logs/source"
	"github.com/seed-e6b90e5a/vpc-flow-logs/summary"
	"golang.org/x/term"
)

// inputFlags are the flags every command that reads flow logs shares:
// where the records come from, how to read them, which to keep.
type inputFlags struct {
	format    string
	keepGoing bool
	workers   int
	maxBuffer int64
	since     string
	until     string
	action    listFlag
	port      listFlag
	protocol  listFlag
	src       listFlag
	dst       listFlag
	iface     listFlag
}

// listFlag is a repeatable flag whose values may also be comma-separated.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

func (f *inputFlags) register(fs *flag.FlagSet, filters bool) {
	fs.StringVar(&f.format, "format", "", "format of headerless input: a preset name (see 'flowlog fields -presets'), a LogFormat string, or field names (default: each input's header line, else the default format)")
	fs.BoolVar(&f.keepGoing, "keep-going", false, "report bad lines and inputs and go on; say at the end how many were skipped")
	fs.BoolVar(&f.keepGoing, "lenient", false, "same as --keep-going")
	fs.IntVar(&f.workers, "workers", 0, "inputs read in parallel (default: one per core, at least 8 for S3 and CloudWatch Logs)")
	fs.Int64Var(&f.maxBuffer, "max-buffer", source.DefaultMaxBuffer, "largest Parquet object (bytes) read from S3 or stdin, which is held in memory")
	fs.StringVar(&f.since, "since", "", "keep records that end at or after this time: RFC 3339, a date, or a duration before now (2h, 7d)")
	fs.StringVar(&f.until, "until", "", "keep records that start before this time (same forms as --since)")
	if !filters {
		return
	}
	fs.Var(&f.action, "action", "keep records with this action: ACCEPT or REJECT")
	fs.Var(&f.port, "port", "keep records with this source or destination port, or port range (22, 8000-8100; repeatable, comma-separated)")
	fs.Var(&f.protocol, "protocol", "keep records of this protocol: a number or tcp, udp, icmp, icmpv6, gre, esp, sctp")
	fs.Var(&f.src, "src", "keep records whose source address is in this CIDR prefix or is this address (IPv4 or IPv6)")
	fs.Var(&f.dst, "dst", "keep records whose destination address is in this CIDR prefix or is this address")
	fs.Var(&f.iface, "interface", "keep records of this network interface (eni-...)")
}

// filter compiles the filter flags.
func (f *inputFlags) filter(now time.Time) (summary.Filter, error) {
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

// newS3Client and newLogsClient make AWS clients from the default
// credential chain and configuration (environment, shared files, IAM
// roles: https://docs.aws.amazon.com/sdk-for-go/v2/developer-guide/configure-gosdk.html).
// Tests replace them.
var (
	newS3Client = func(ctx context.Context) (source.S3API, error) {
		cfg, err := awsConfig(ctx)
		if err != nil {
			return nil, err
		}
		return s3.NewFromConfig(cfg), nil
	}
	newLogsClient = func(ctx context.Context) (source.LogsAPI, error) {
		cfg, err := awsConfig(ctx)
		if err != nil {
			return nil, err
		}
		return cloudwatchlogs.NewFromConfig(cfg, func(o *cloudwatchlogs.Options) {
			// FilterLogEvents is throttled per account and region; the
			// standard retryer backs off exponentially with jitter on
			// throttling errors. Allow more attempts than its default 3
			// for long reads.
			o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
				so.MaxAttempts = 10
				so.MaxBackoff = 20 * time.Second
			})
		}), nil
	}
)

func awsConfig(ctx context.Context) (aws.Config, error) {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return cfg, fmt.Errorf("AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		return cfg, errors.New("no AWS region: set AWS_REGION (or a profile's region) to the bucket's or log group's region")
	}
	return cfg, nil
}

// env is what a command writes to and reads from.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	mu     sync.Mutex // serializes stderr between workers and progress
	prog   *progress
}

// note prints a notice or error line on stderr, above any progress bar.
func (e *env) note(msg string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.prog != nil {
		e.prog.clear()
	}
	_, _ = fmt.Fprintln(e.stderr, msg)
}

// parseArgs parses flags and positional arguments in any order, as gh and
// kubectl do; "--" ends the flags.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// isTerminal reports whether w is an interactive terminal.
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// parseCommand parses a command's flags and arguments. --help prints the
// help and the flags on standard output (status 0); a bad flag prints the
// error and a hint on standard error (status 2). ok is false when the
// command should return status.
func parseCommand(fs *flag.FlagSet, help string, args []string, e *env) (pos []string, status int, ok bool) {
	fs.SetOutput(io.Discard)
	pos, err := parseArgs(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(e.stdout)
		_, _ = fmt.Fprint(e.stdout, help)
		fs.PrintDefaults()
		return nil, exitOK, false
	}
	if err != nil {
		_, _ = fmt.Fprintf(e.stderr, "flowlog %s: %v (see flowlog %s --help)\n", fs.Name(), err, fs.Name())
		return nil, exitUsage, false
	}
	return pos, 0, true
}
