package flowlog

import (
	"errors"
	"strconv"
	"strings"
)

// Errors wrapped by [*ParseError].
var (
	// ErrFieldCount means a line has more or fewer fields than its format.
	ErrFieldCount = errors.New("wrong number of fields")
	// ErrSyntax means a value is not of its field's type: not a number,
	// not an address, not one of the documented words, or a control
	// character in a line.
	ErrSyntax = errors.New("invalid syntax")
	// ErrRange means a number does not fit its field, e.g. a port above 65535.
	ErrRange = errors.New("value out of range")
	// ErrHeader means an S3 object's header line is missing or invalid, or
	// disagrees with the format the caller gave.
	ErrHeader = errors.New("bad header")
	// ErrNoFormat means there is no format to parse records with: none was
	// given and the input has no header line.
	ErrNoFormat = errors.New("no format")
	// ErrTruncated means the input ended early: inside gzip data, or with
	// io.ErrUnexpectedEOF from the underlying reader (e.g. a cut-off HTTP
	// body). The line it ended in is not returned.
	ErrTruncated = errors.New("truncated")
	// ErrLineTooLong means a line is longer than the Reader's
	// MaxLineLength.
	ErrLineTooLong = errors.New("line too long")
	// ErrCorrupt means gzip data is not valid: it does not decompress, or
	// a member's data does not match the CRC-32 and size in its trailer.
	// No record of that member has been returned (see
	// [Reader.MaxUnverified]). The gzip package's own error (such as
	// gzip.ErrChecksum) is wrapped too.
	ErrCorrupt = errors.New("corrupt gzip data")
	// ErrMemberTooLarge means a gzip member decompresses to more than
	// [Reader.MaxUnverified] bytes and the input cannot be read twice, so
	// its records cannot be checked before they would be returned.
	ErrMemberTooLarge = errors.New("gzip member too large to check")
)

// ParseError is the error for a record that cannot be parsed, or for input
// that cannot be read. Its Err wraps one of ErrFieldCount, ErrSyntax,
// ErrRange, ErrLineTooLong, ErrHeader, ErrNoFormat, ErrTruncated,
// ErrCorrupt or ErrMemberTooLarge (test with [errors.Is]), or an I/O
// error.
type ParseError struct {
	Input string // the name of the input ([Reader.Name]), or ""
	Line  int    // 1-based line (or log event, or Parquet row) number; 0 if unknown
	Field int    // 1-based position of the field in the format; 0 for the whole line
	Name  string // the field's name, or ""
	Text  string // the offending text, shortened to 64 bytes; or ""
	Msg   string // more detail, or ""
	Err   error
}

func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString("flowlog: ")
	if e.Input != "" {
		b.WriteString(e.Input)
		b.WriteString(": ")
	}
	if e.Line > 0 {
		b.WriteString("line ")
		b.WriteString(strconv.Itoa(e.Line))
		b.WriteString(": ")
	}
	if e.Field > 0 {
		b.WriteString("field ")
		b.WriteString(strconv.Itoa(e.Field))
		if e.Name != "" {
			b.WriteString(" (")
			b.WriteString(e.Name)
			b.WriteString(")")
		}
		b.WriteString(": ")
	}
	// Err may itself be a flowlog error ("flowlog: format: ..."): the
	// message says "flowlog: " once.
	b.WriteString(strings.ReplaceAll(strings.TrimPrefix(e.Err.Error(), "flowlog: "), ": flowlog: ", ": "))
	if e.Text != "" {
		b.WriteString(" ")
		b.WriteString(strconv.Quote(e.Text))
	}
	if e.Msg != "" {
		b.WriteString(": ")
		b.WriteString(e.Msg)
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *ParseError) Unwrap() error { return e.Err }

// maxErrText bounds how much of the input an error quotes, so that a
// 5 MB line or header does not make a 5 MB error message.
const maxErrText = 64

// errText returns a copy of at most maxErrText bytes of s, for an error to
// keep without holding on to the input.
func errText(s string) string {
	if len(s) > maxErrText {
		s = s[:maxErrText]
	}
	return strings.Clone(s)
}

// quoteExcerpt quotes at most maxErrText bytes of s, marking a cut with "...".
func quoteExcerpt(s string) string {
	if len(s) > maxErrText {
		return strconv.Quote(s[:maxErrText]) + "..."
	}
	return strconv.Quote(s)
}
