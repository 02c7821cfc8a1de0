// Package flowlog reads and writes Amazon VPC flow logs, those of
// transit gateways included, and is the project's single source of truth
// for what a flow-log field is.
//
// # Fields and formats
//
// Every field AWS documents for VPC flow logs, versions 2 through 11, is a
// [Field] constant ([Version], [AccountID], [SrcAddr], ..., [NextHopInterfaceType]).
// A Field knows its ${name} token, its underscore column name, the version
// that introduced it, its Athena and Parquet types, its documented special
// values and a one-line description, each taken from the Amazon VPC User
// Guide (https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html).
// The 18 fields only transit gateway flow logs record ([ResourceType],
// [TGWID], ..., [PacketsLostTTLExpired], version 6) are Fields too, from the
// Transit Gateways guide (https://docs.aws.amazon.com/vpc/latest/tgw/tgw-flow-logs.html#flow-log-records);
// [Field.InVPCFlowLogs] and [Field.InTransitGatewayFlowLogs] say which flow
// logs record a field, and no Format mixes fields only one kind records
// with fields only the other records ([ErrMixedFields]).
//
// A [Format] is an ordered set of fields, as given to EC2 in a flow log's
// LogFormat. [ParseFormat] parses "${version} ${srcaddr} ..." strings with
// the same rules as EC2; [ParseHeader] parses the header line of an S3
// object; [ParseColumns] parses underscore column names. [DefaultFormat]
// and [Preset] give the default format and a few well-argued others;
// [DefaultTransitGatewayFormat] is that of transit gateway flow logs.
//
//	f, err := flowlog.ParseFormat("${srcaddr} ${dstaddr} ${bytes}")
//	fmt.Println(f.Version(), f.Header()) // 2 srcaddr dstaddr bytes
//
// # Records
//
// A [Record] is a value holding typed fields: addresses are
// [net/netip.Addr], ports uint16, counters uint64, times Unix seconds
// (with [time.Time] accessors), and the closed sets of words (action,
// log-status, type, flow-direction) small enums. A field that was "-" in
// the input, or that the format does not have, is absent: [Record.Has]
// reports false and its accessor returns the zero value, so absent and
// zero are distinguishable. [Record.Get] gives generic access to any field.
//
// String fields (IDs, ARNs, names, tags) are substrings of the parsed line;
// parsing a line therefore does not allocate. With [Reader.ReuseRecord]
// set, they point into the Reader's buffer and are valid only until the
// next call to Read, like [bufio.Scanner.Bytes]; use [Record.Clone] to keep
// a record.
//
// # Reading
//
// [NewReader] streams records from plain-text flow logs like
// [encoding/csv.Reader]: records are split on runs of spaces (AWS's own
// published examples contain a double space), gzip is detected by its
// magic bytes, and an S3 object's header line gives the format. Errors are
// [*ParseError] values with the line, field index and field name, wrapping
// sentinels such as [ErrFieldCount], [ErrSyntax] and [ErrRange]. In strict
// mode Read stops at the first error; with [Reader.Lenient] set it reports
// every bad line and goes on. An error that is not about one line (I/O, a
// truncated or corrupt gzip stream: [ErrTruncated], [ErrCorrupt]) ends
// reading in both modes, and [Reader.Err] tells the two kinds apart. Only
// complete lines become records: the line a truncation cuts off is never
// returned. Lines longer than [Reader.MaxLineLength] are [ErrLineTooLong].
//
// Nothing invented: gzip checks a member's data only at the member's end
// (CRC-32 and size), so a Reader holds each member's decompressed bytes
// back and returns its records only once the member has passed the check;
// a flipped bit or a cut gives an error and none of that member's records,
// after all the records of the members before it. What it holds is bounded
// by [Reader.MaxUnverified] ([DefaultMaxUnverified], 64 MiB): a larger
// member is read twice, checked then parsed, if the input can be (a file,
// in-memory data, or [Reader.InputAt]), and is [ErrMemberTooLarge] on a
// stream. The same holds with and without Concurrent.
// [ParseLine] parses one line into a caller-provided Record without
// allocating.
//
// With [Reader.Concurrent] set, gzip input is decompressed in a second
// goroutine so that decompression and parsing overlap.
//
// [DecodeSubscription] decodes a CloudWatch Logs subscription payload and
// [NewParquetReader] reads the Parquet objects S3 delivery writes
// ([ParquetWriter] writes them, for tests and conversions).
//
// # Speed
//
// Most flow logs use the default format, for which ParseLine and Reader
// have a straight-line path. On amd64 its common shapes (IPv4 addresses,
// "-" anywhere but in the strings, the usual lengths of numbers) are
// parsed by assembly that needs nothing beyond the amd64 baseline (SSE2;
// TZCNT, which older CPUs run as BSF with the same result here), and every
// other line by Go; the purego build tag leaves only Go. Tests and fuzz
// targets require the assembly and the Go path to agree on every line the
// assembly takes.
//
// The package's benchmarks measure its targets against their baselines
// within each iteration, so that a shared machine's drift cancels:
// BenchmarkDefaultVsNaive against a strings.Fields + strconv +
// netip.ParseAddr parser, and BenchmarkGzipVsGunzip against gzip
// decompression alone.
//
// # Writing
//
// [Writer] and [AppendRecord] write records in any format; parsing what
// they write gives back the same records. [NewGenerator] makes seeded
// random records for tests and benchmarks.
//
// The package never logs; callers decide what to do with errors.
package flowlog
