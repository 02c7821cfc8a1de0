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
)

// ParseError is the error for a record that cannot be parsed. Its Err
// wraps one of ErrFieldCount, ErrSyntax, ErrRange, ErrHeader or ErrNoFormat
// (test with [errors.Is]), or an I/O or decoding error.
type ParseError struct {
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
	b.WriteString(e.Err.Error())
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

func errText(s string) string {
	if len(s) > 64 {
		s = s[:64]
	}
	return strings.Clone(s)
}
