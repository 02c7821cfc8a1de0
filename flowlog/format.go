package flowlog

import (
	"errors"
	"strconv"
	"strings"
)

// Format is an ordered set of distinct fields: the LogFormat of a flow log.
// Records are lines of the format's fields in the format's order.
//
// A Format is an immutable value; it is comparable with ==, and two formats
// are equal exactly when they have the same fields in the same order.
// The zero Format has no fields and is not valid for parsing.
type Format struct {
	n       uint8
	version uint8
	on      uint8 // onVPC, onTGW: the flow logs that record every field
	mask    fieldSet
	fields  [NumFields]Field
	pos     [numFields]int8
	def     bool // the default format, which ParseLine has a fast path for
}

// Errors wrapped by [*FormatError].
var (
	ErrEmptyFormat    = errors.New("empty format")
	ErrUnknownField   = errors.New("unknown field")
	ErrDuplicateField = errors.New("duplicate field")
	ErrFormatSyntax   = errors.New("format syntax error")
	// ErrMixedFields: a format has a field only VPC flow logs record and one
	// only transit gateway flow logs record; no flow log has both.
	ErrMixedFields = errors.New("VPC and transit gateway fields mixed")
)

// FormatError describes a problem with a LogFormat string, an S3 header line
// or a list of columns. It wraps one of ErrEmptyFormat, ErrUnknownField,
// ErrDuplicateField, ErrMixedFields or ErrFormatSyntax.
type FormatError struct {
	Offset  int    // byte offset of Token in the input, or the index of the column for ParseColumns
	Token   string // the offending text (from a header line, at most its first 64 bytes)
	Msg     string // what is wrong with Token, if more than Err says
	Suggest string // a suggested replacement for Token, or ""
	Err     error  // the sentinel
}

func (e *FormatError) Error() string {
	var b strings.Builder
	b.WriteString("flowlog: format: ")
	b.WriteString(e.Err.Error())
	if e.Token != "" || e.Err != ErrEmptyFormat {
		b.WriteString(" ")
		b.WriteString(quoteExcerpt(e.Token))
		b.WriteString(" at offset ")
		b.WriteString(strconv.Itoa(e.Offset))
	}
	if e.Msg != "" {
		b.WriteString(": ")
		b.WriteString(e.Msg)
	}
	if e.Suggest != "" {
		b.WriteString(" (did you mean ")
		b.WriteString(strconv.Quote(e.Suggest))
		b.WriteString("?)")
	}
	return b.String()
}

// Unwrap returns the sentinel error.
func (e *FormatError) Unwrap() error { return e.Err }

// ParseFormat parses a LogFormat string such as
// "${version} ${account-id} ${srcaddr}".
//
// The syntax is what EC2 accepts (https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html,
// "Custom format"): one or more ${field} tokens separated by single spaces,
// each field at most once. ParseFormat rejects, with a *FormatError naming
// the offending token: an empty format; an unknown field (suggesting the
// nearest known one); a duplicate; text outside ${...}; and leading,
// trailing or repeated spaces (EC2 rejects a trailing space as
// "has an invalid format"; a format built by joining tokens with single
// spaces, as the CDK's LogFormat does, never contains them). Fields of
// VPC and of transit gateway flow logs may not be mixed (ErrMixedFields):
// a format is one of a VPC, subnet or network interface, or one of a
// transit gateway or attachment, or has only fields both record.
func ParseFormat(s string) (Format, error) { return parseFormat(s, onVPC|onTGW) }

// ParseVPCFormat is [ParseFormat] for a flow log of a VPC, subnet or network
// interface: a field only transit gateway flow logs record is
// ErrUnknownField. [ParseTransitGatewayFormat] is its transit gateway twin.
func ParseVPCFormat(s string) (Format, error) { return parseFormat(s, onVPC) }

// parseFormat is ParseFormat for the flow logs in want: a field none of
// them records is ErrUnknownField.
func parseFormat(s string, want uint8) (Format, error) {
	if s == "" {
		return Format{}, &FormatError{Err: ErrEmptyFormat}
	}
	var fields [NumFields]Field
	n := 0
	var seen fieldSet
	on := want
	i := 0
	for i < len(s) {
		if s[i] == ' ' {
			// Only at the start, or after a consumed separator: report the
			// whole run of spaces, separator included.
			start := max(i-1, 0)
			msg := "repeated space"
			switch {
			case i == 0:
				msg = "leading space"
			case strings.TrimRight(s[i:], " ") == "":
				msg = "trailing space"
			}
			j := i
			for j < len(s) && s[j] == ' ' {
				j++
			}
			return Format{}, &FormatError{Offset: start, Token: s[start:j], Msg: msg, Err: ErrFormatSyntax}
		}
		// A token runs to the next space.
		j := strings.IndexByte(s[i:], ' ')
		if j < 0 {
			j = len(s)
		} else {
			j += i
		}
		tok := s[i:j]
		if !strings.HasPrefix(tok, "${") || !strings.HasSuffix(tok, "}") || strings.Count(tok, "${") != 1 || strings.Count(tok, "}") != 1 {
			e := &FormatError{Offset: i, Token: tok, Msg: "text outside ${...}", Err: ErrFormatSyntax}
			if sug, ok := suggest(strings.Trim(tok, "${}")); ok {
				e.Suggest = sug.Token()
			}
			return Format{}, e
		}
		name := tok[2 : len(tok)-1]
		f, ok := FieldByName(name)
		if !ok {
			e := &FormatError{Offset: i, Token: tok, Err: ErrUnknownField}
			if sug, ok := suggest(name); ok {
				e.Suggest = sug.Token()
			}
			return Format{}, e
		}
		if fieldOn[f]&want == 0 {
			msg := errNotTGW
			if want == onVPC {
				msg = errNotVPC
			}
			return Format{}, &FormatError{Offset: i, Token: tok, Msg: msg, Err: ErrUnknownField}
		}
		if seen.has(f) {
			return Format{}, &FormatError{Offset: i, Token: tok, Err: ErrDuplicateField}
		}
		if msg := mixed(&on, f); msg != "" {
			return Format{}, &FormatError{Offset: i, Token: tok, Msg: msg, Err: ErrMixedFields}
		}
		seen.add(f)
		fields[n] = f
		n++
		i = j
		if i < len(s) {
			i++ // the single separating space
			if i == len(s) {
				return Format{}, &FormatError{Offset: i - 1, Token: " ", Msg: "trailing space", Err: ErrFormatSyntax}
			}
		}
	}
	return makeFormat(fields[:n]), nil
}

// NewFormat returns the format of the given fields in the given order.
// It fails with a *FormatError if there are no fields, a field is invalid,
// or a field repeats.
func NewFormat(fields ...Field) (Format, error) {
	if len(fields) == 0 {
		return Format{}, &FormatError{Err: ErrEmptyFormat}
	}
	var seen fieldSet
	on := onVPC | onTGW
	for i, f := range fields {
		if !f.Valid() {
			return Format{}, &FormatError{Offset: i, Token: f.String(), Err: ErrUnknownField}
		}
		if seen.has(f) {
			return Format{}, &FormatError{Offset: i, Token: f.Name(), Err: ErrDuplicateField}
		}
		if msg := mixed(&on, f); msg != "" {
			return Format{}, &FormatError{Offset: i, Token: f.Name(), Msg: msg, Err: ErrMixedFields}
		}
		seen.add(f)
	}
	return makeFormat(fields), nil
}

// MustFormat is like [NewFormat] but panics on error. It is intended for
// package-level variables and tests.
func MustFormat(fields ...Field) Format {
	f, err := NewFormat(fields...)
	if err != nil {
		panic(err)
	}
	return f
}

// ParseHeader parses the first line of a plain-text flow-log object that S3
// delivery writes: the format's hyphenated field names separated by spaces,
// e.g. "version account-id interface-id", or, for a transit gateway flow
// log, "version resource-type account-id tgw-id ...". Runs of spaces and a
// trailing "\r" or "\n" are tolerated, as in records.
func ParseHeader(line string) (Format, error) {
	line = strings.TrimRight(line, "\r\n")
	var fields [NumFields]Field
	n := 0
	var seen fieldSet
	on := onVPC | onTGW
	i := 0
	for {
		for i < len(line) && line[i] == ' ' {
			i++
		}
		if i == len(line) {
			break
		}
		j := strings.IndexByte(line[i:], ' ')
		if j < 0 {
			j = len(line)
		} else {
			j += i
		}
		name := line[i:j]
		f, ok := FieldByName(name)
		if !ok {
			e := &FormatError{Offset: i, Token: errText(name), Err: ErrUnknownField}
			if sug, ok := suggest(name); ok {
				e.Suggest = sug.Name()
			}
			return Format{}, e
		}
		if seen.has(f) {
			return Format{}, &FormatError{Offset: i, Token: errText(name), Err: ErrDuplicateField}
		}
		if msg := mixed(&on, f); msg != "" {
			return Format{}, &FormatError{Offset: i, Token: errText(name), Msg: msg, Err: ErrMixedFields}
		}
		seen.add(f)
		fields[n] = f
		n++
		i = j
	}
	if n == 0 {
		return Format{}, &FormatError{Err: ErrEmptyFormat}
	}
	return makeFormat(fields[:n]), nil
}

// ParseColumns returns the format of the given underscore column names, as
// used by Athena, Glue and Parquet objects, e.g. []string{"version",
// "account_id"}. FormatError.Offset is the index of the offending column.
func ParseColumns(cols []string) (Format, error) {
	if len(cols) == 0 {
		return Format{}, &FormatError{Err: ErrEmptyFormat}
	}
	fields := make([]Field, 0, len(cols))
	var seen fieldSet
	on := onVPC | onTGW
	for i, c := range cols {
		f, ok := FieldByColumn(c)
		if !ok {
			e := &FormatError{Offset: i, Token: c, Err: ErrUnknownField}
			if sug, ok := suggest(c); ok {
				e.Suggest = sug.Column()
			}
			return Format{}, e
		}
		if seen.has(f) {
			return Format{}, &FormatError{Offset: i, Token: c, Err: ErrDuplicateField}
		}
		if msg := mixed(&on, f); msg != "" {
			return Format{}, &FormatError{Offset: i, Token: c, Msg: msg, Err: ErrMixedFields}
		}
		seen.add(f)
		fields = append(fields, f)
	}
	return makeFormat(fields), nil
}

// mixed narrows on, the flow logs that record the fields so far, to those
// that record f too, and returns why none does, or "".
func mixed(on *uint8, f Field) string {
	if *on&fieldOn[f] != 0 {
		*on &= fieldOn[f]
		return ""
	}
	if f.InTransitGatewayFlowLogs() {
		return "only transit gateway flow logs record it, and only VPC flow logs record a field before it"
	}
	return "only VPC flow logs record it, and only transit gateway flow logs record a field before it"
}

func makeFormat(fields []Field) Format {
	var f Format
	f.on = onVPC | onTGW
	f.n = uint8(len(fields))
	for i := range f.pos {
		f.pos[i] = -1
	}
	for i, fld := range fields {
		f.fields[i] = fld
		f.pos[fld] = int8(i)
		f.mask.add(fld)
		f.on &= fieldOn[fld]
		if v := fld.info().version; v > f.version {
			f.version = v
		}
	}
	f.def = f.n == 14 && [14]Field(f.fields[:14]) == defaultFields
	return f
}

// String returns the LogFormat string of f: its ${field} tokens separated
// by single spaces. ParseFormat(f.String()) returns f.
func (f Format) String() string {
	var b strings.Builder
	for i, fld := range f.fields[:f.n] {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(fld.Token())
	}
	return b.String()
}

// Header returns the header line S3 delivery writes for f: the hyphenated
// field names separated by single spaces, without a line terminator.
func (f Format) Header() string {
	var b strings.Builder
	for i, fld := range f.fields[:f.n] {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(fld.Name())
	}
	return b.String()
}

// Columns returns the underscore column names of f's fields, in order.
func (f Format) Columns() []string {
	out := make([]string, f.n)
	for i, fld := range f.fields[:f.n] {
		out[i] = fld.Column()
	}
	return out
}

// Fields returns f's fields in order. The slice is a copy.
func (f Format) Fields() []Field { return append([]Field(nil), f.fields[:f.n]...) }

// Field returns the i'th field of f. It panics if i is out of range.
func (f Format) Field(i int) Field {
	if i < 0 || i >= int(f.n) {
		panic("flowlog: Format.Field index out of range")
	}
	return f.fields[i]
}

// Len returns the number of fields in f.
func (f Format) Len() int { return int(f.n) }

// Version returns the flow-log version of records in f: the highest version
// of its fields (0 for the zero Format).
func (f Format) Version() int { return int(f.version) }

// Index returns the position of fld in f, or -1 if f does not have it.
func (f Format) Index(fld Field) int {
	if !fld.Valid() || !f.mask.has(fld) {
		return -1
	}
	return int(f.pos[fld])
}

// Has reports whether f includes fld.
func (f Format) Has(fld Field) bool { return f.Index(fld) >= 0 }

// InVPCFlowLogs reports whether flow logs of VPCs, subnets and network
// interfaces can have format f: it has no field only transit gateway flow
// logs record.
func (f Format) InVPCFlowLogs() bool { return f.n > 0 && f.on&onVPC != 0 }

// InTransitGatewayFlowLogs reports whether flow logs of transit gateways
// and their attachments can have format f: every field is one they record
// (see [TransitGatewayFormatOf]).
func (f Format) InTransitGatewayFlowLogs() bool { return f.n > 0 && f.on&onTGW != 0 }

// IsZero reports whether f is the zero Format.
func (f Format) IsZero() bool { return f.n == 0 }

// suggest returns the known field nearest to s, accepting hyphenated,
// underscore and ${} spellings, if one is close enough to be a plausible typo.
func suggest(s string) (Field, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "${")
	s = strings.TrimPrefix(s, "$")
	s = strings.TrimPrefix(s, "{")
	s = strings.TrimSuffix(s, "}")
	s = strings.ReplaceAll(s, "_", "-")
	if f, ok := FieldByName(s); ok {
		return f, true
	}
	best, bestD := Field(0), 1<<30
	for f := Field(1); f < numFields; f++ {
		if d := editDistance(s, f.Name()); d < bestD {
			best, bestD = f, d
		}
	}
	// Accept up to a third of the name's length in edits, at least 2.
	limit := max(2, len(best.Name())/3)
	if best.Valid() && bestD <= limit {
		return best, true
	}
	return 0, false
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	if len(a) > 64 {
		return len(a) // not a typo of a field name
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			c = min(c, prev[j]+1, cur[j-1]+1)
			cur[j] = c
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
