package source

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// Options say how to find and read inputs. The zero Options read local
// files and standard input in the format their headers give.
type Options struct {
	// Format is the format of headerless inputs. Inputs with a header
	// line use their header. If Format is zero, a headerless input whose
	// first record parses as the default format is read as the default
	// format; any other headerless input is an error (ErrUnknownFormat).
	Format flowlog.Format

	// Lenient makes readers go on after a bad line (see [LineError]).
	Lenient bool

	// EmptyOK makes an input without records (no bytes, blank lines, a
	// header line alone, a Parquet object without rows) read as no
	// records rather than fail with ErrEmpty or ErrNoRecords. An empty
	// file whose name says gzip or Parquet is truncated
	// (flowlog.ErrTruncated) either way.
	EmptyOK bool

	// Idle, when set, is called before each read of an input whose reads
	// may wait for data (standard input that is not a regular file, a
	// named pipe), on the goroutine that reads its records, so that a
	// caller writing records as they come can flush its output:
	// `tail -f x.log | flowlog parse -` shows each record when its line
	// arrives. Such inputs are then decompressed on that goroutine too.
	Idle func()

	// Since and Until, when not zero, narrow S3 listings to the date
	// folders and object names that can hold records of that time, and
	// CloudWatch Logs queries to those events. They do not filter
	// records: a listing keeps a margin around the range (see
	// [TimeMargin]), so callers filter records themselves.
	Since, Until time.Time

	// Stdin is read for the argument "-".
	Stdin io.Reader

	// S3 and Logs are the clients for s3:// and cwl:// inputs. When nil,
	// NewS3 and NewLogs are called on first use.
	S3    S3API
	Logs  LogsAPI
	NewS3 func(ctx context.Context) (S3API, error)
	// NewLogs makes the CloudWatch Logs client; see NewS3.
	NewLogs func(ctx context.Context) (LogsAPI, error)

	// MaxBuffer bounds the bytes held in memory for one Parquet object
	// read from S3 or standard input, or one whole-file-gzipped Parquet
	// object (Parquet is read by offset, so such an object is buffered
	// whole). Default: DefaultMaxBuffer. Larger objects are ErrTooLarge.
	// It is also the flowlog.Reader's MaxUnverified for text that cannot
	// be read twice (standard input from a pipe): the decompressed bytes
	// of a gzip member held back until the member's checksum passes; a
	// larger member there is flowlog.ErrMemberTooLarge. A file or an S3
	// object can be read twice, and holds back at most 16 MiB (or
	// MaxBuffer, if smaller): a larger member is checked first, then read
	// again (by ranged GET from S3) and parsed.
	MaxBuffer int64

	// Notify, when set, receives notices for people (e.g. that headerless
	// input is read as the default format). Each notice is sent once.
	Notify func(msg string)

	// BytesRead, when set, counts the raw (compressed) bytes read from
	// every input, for progress reports.
	BytesRead *atomic.Int64

	// BytesAgain, when set, counts the bytes an input will be read a
	// second time beyond its size: a gzip member too large to hold back
	// is read once to check it and again to parse it, so the work of a
	// read is the inputs' sizes plus BytesAgain, and BytesRead (which
	// counts the second reading too) reaches that sum at the end. It
	// grows when a second reading starts, for progress reports.
	BytesAgain *atomic.Int64

	// holdBackBytes, when set (by tests), replaces holdBack.
	holdBackBytes int

	notified sync.Map
	mu       sync.Mutex  // guards S3 and Logs on first use
	inline   atomic.Bool // set by Run: as many workers as cores, so decompress inline
}

// DefaultMaxBuffer is the default [Options.MaxBuffer]: 512 MiB.
const DefaultMaxBuffer = 512 << 20

// TimeMargin is how far outside [Options.Since, Options.Until] an S3
// object's or a log event's time may be and still hold records of the
// range. A record spans at most its aggregation interval (10 minutes by
// default), and "it takes additional time to process and publish the
// data" (https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html);
// S3 files are published every 5 minutes and named by a timestamp earlier
// than their upload
// (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html).
// One hour covers these with room to spare.
const TimeMargin = time.Hour

// notifyDefault says, once, that headerless input is read in the
// default format.
func (o *Options) notifyDefault(name string) {
	if o.Notify == nil {
		return
	}
	if _, seen := o.notified.LoadOrStore("default-format", true); !seen {
		o.Notify(name + ": no header line; reading headerless input in the default format (give --format for another)")
	}
}

// holdBack is the MaxUnverified of a text input that can be read twice.
func (o *Options) holdBack() int {
	if o.holdBackBytes > 0 {
		return o.holdBackBytes
	}
	return holdBack
}

func (o *Options) maxBuffer() int64 {
	if o.MaxBuffer > 0 {
		return o.MaxBuffer
	}
	return DefaultMaxBuffer
}

// RecordReader reads the records of one input.
type RecordReader interface {
	// ReadInto reads the next record into r and returns io.EOF at the
	// end. String fields of r may alias the reader's buffers until the
	// next call. Errors are [*Error] values naming the input.
	ReadInto(r *flowlog.Record) error
	// Format is the format of the records read so far.
	Format() flowlog.Format
	// Close releases the input.
	Close() error
}

// Input is one input: a file, standard input, an S3 object or a log group.
type Input struct {
	Name   string // a path, "-", s3://bucket/key or cwl://group
	Size   int64  // its size in bytes, or -1 if unknown
	Remote bool   // read over the network
	open   func(ctx context.Context, o *Options) (RecordReader, error)
}

// Open opens the input for reading.
func (in Input) Open(ctx context.Context, o *Options) (RecordReader, error) {
	if o == nil {
		o = &Options{}
	}
	rd, err := in.open(ctx, o)
	if err != nil {
		return nil, wrap(in.Name, err)
	}
	return rd, nil
}

// List turns arguments into inputs: paths (files or directories), "-",
// s3://bucket/prefix and cwl://log-group. It returns every input it
// found and one [*Error] per argument (or S3 listing) that failed; inputs
// found before a listing failed are kept.
func List(ctx context.Context, args []string, o *Options) ([]Input, []error) {
	if o == nil {
		o = &Options{}
	}
	var ins []Input
	var errs []error
	for _, arg := range args {
		var got []Input
		var err error
		switch {
		case arg == "-":
			got = []Input{stdinInput(o)}
		case strings.HasPrefix(arg, "s3://"):
			got, err = listS3(ctx, arg, o)
		case strings.HasPrefix(arg, "cwl://"):
			got, err = cwlInput(arg)
		case strings.Contains(arg, "://"):
			err = fmt.Errorf("%w: want a path, -, s3://bucket/prefix or cwl://log-group", ErrBadArg)
		default:
			var more []error
			got, more = listPath(arg)
			errs = append(errs, more...)
		}
		ins = append(ins, got...)
		if err != nil {
			errs = append(errs, wrap(arg, err))
		}
	}
	return ins, errs
}

// flowLogName reports whether a file or object name is one S3 delivery
// writes: .log (plain text), .log.gz, .log.parquet
// (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html).
func flowLogName(name string) bool {
	return strings.HasSuffix(name, ".log") || strings.HasSuffix(name, ".log.gz") || strings.HasSuffix(name, ".log.parquet")
}
