// Package source finds flow-log inputs and reads their records, wherever
// they are: files and directories, standard input, S3 buckets and
// CloudWatch Logs log groups.
//
// [List] turns command-line arguments into [Input] values:
//
//   - a file, read whatever its name;
//   - a directory, walked recursively for the objects S3 delivery writes
//     (names ending .log, .log.gz or .log.parquet);
//   - "-", standard input;
//   - s3://bucket/prefix, every flow-log object under the prefix, listed
//     page by page; with a time range, only the date folders of the S3
//     key layout (plain or Hive-compatible, daily or hourly, see package
//     s3layout) and the objects whose file-name time is near the range.
//     Objects are streamed, never written to disk, and a download cut part
//     way resumes with a ranged GET;
//   - cwl://log-group, the group's events, read with FilterLogEvents over
//     the time range.
//
// [Run] reads inputs on several goroutines into one [Sink] per goroutine,
// whose results the caller merges. [Input.Open] returns a [RecordReader]
// for reading one input directly. Plain text, gzip, Parquet and
// CloudWatch Logs subscription payloads (JSON, gzip, base64 or Lambda
// events, several in a row) are told apart by content, from as few first
// bytes as tell them (a text input's first line), so that a slow pipe's
// first record is read when its line arrives. A text input takes its format from its header
// line, as S3 objects have one; a headerless input (CloudWatch Logs events,
// a Firehose or console export) is read in [Options.Format], or, when none
// is given and its first line parses as the default format, in the default
// format (reported once through [Options.Notify]).
//
// Every error names its input: it is an [*Error], whose message is
// INPUT[:LINE[:FIELD]]: message. [LineError] tells an error about one line,
// after which a lenient reader goes on, from one that ends its input.
//
// The package never logs and never writes temporary files.
package source
