package flowlog

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"unsafe"

	"github.com/parquet-go/parquet-go"
	pqgzip "github.com/parquet-go/parquet-go/compress/gzip"
)

// ParquetReader reads records from a Parquet object as S3 delivery writes
// them with FileFormat "parquet": one column per field, named by its
// underscore column name (e.g. account_id), with the Parquet types of
// [Field.ParquetType], gzip compressed
// (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3.html).
// Null values are absent fields.
type ParquetReader struct {
	// Lenient makes Read go on after a bad row, as for [Reader].
	Lenient bool

	f    Format
	cols []Field // by leaf column index
	pr   *parquet.GenericReader[any]
	rows []parquet.Row
	n, i int
	row  int
	err  error
}

// NewParquetReader opens the Parquet object r of the given size. Its
// columns must all be flow-log fields; they give the format.
func NewParquetReader(r io.ReaderAt, size int64) (*ParquetReader, error) {
	file, err := parquet.OpenFile(r, size)
	if err != nil {
		// A Parquet file starts and ends with "PAR1" (its footer, after
		// the metadata): one that starts so but does not end so was cut
		// short, as a download or copy that stopped would leave it.
		var head, tail [4]byte
		hn, _ := r.ReadAt(head[:], 0)
		tn, _ := r.ReadAt(tail[:], max(size-4, 0))
		if hn == 4 && string(head[:]) == "PAR1" && (size < 8 || tn < 4 || string(tail[:]) != "PAR1") {
			return nil, &ParseError{Err: fmt.Errorf("%w (%w)", ErrTruncated, io.ErrUnexpectedEOF),
				Msg: "not a complete Parquet file: it does not end with Parquet's footer (PAR1); it was cut short"}
		}
		return nil, &ParseError{Err: fmt.Errorf("%w: parquet: %w", ErrHeader, err)}
	}
	var names []string
	for _, path := range file.Schema().Columns() {
		if len(path) != 1 {
			return nil, &ParseError{Err: ErrHeader, Msg: fmt.Sprintf("nested parquet column %q", path)}
		}
		names = append(names, path[0])
	}
	f, err := ParseColumns(names)
	if err != nil {
		return nil, &ParseError{Err: fmt.Errorf("%w: %w", ErrHeader, err)}
	}
	return &ParquetReader{f: f, cols: f.Fields(), pr: parquet.NewGenericReader[any](file), rows: make([]parquet.Row, 256)}, nil
}

// Format returns the format given by the object's columns.
func (p *ParquetReader) Format() Format { return p.f }

// Read reads the next record. At the end it returns io.EOF.
func (p *ParquetReader) Read() (Record, error) {
	var r Record
	err := p.ReadInto(&r)
	return r, err
}

// ReadInto reads the next record into r. String fields are copied.
func (p *ParquetReader) ReadInto(r *Record) error {
	if p.err != nil {
		return p.err
	}
	if p.i == p.n {
		n, err := p.pr.ReadRows(p.rows)
		p.n, p.i = n, 0
		if n == 0 {
			if err == nil || errors.Is(err, io.EOF) {
				err = io.EOF
			} else {
				err = &ParseError{Line: p.row + 1, Err: err}
			}
			p.err = err
			return err
		}
	}
	row := p.rows[p.i]
	p.i++
	p.row++
	*r = Record{}
	for _, v := range row {
		c := v.Column()
		if c < 0 || c >= len(p.cols) || v.IsNull() {
			continue
		}
		fld := p.cols[c]
		var err error
		switch v.Kind() {
		case parquet.Int32, parquet.Int64:
			n := v.Int64()
			if n < 0 {
				err = &ParseError{Err: ErrRange, Text: fmt.Sprint(n)}
			} else if fld.Kind() == KindString || fld.Kind() == KindAddr {
				err = r.SetText(fld, fmt.Sprint(n))
			} else {
				err = r.SetUint(fld, uint64(n))
			}
		case parquet.ByteArray, parquet.FixedLenByteArray:
			if b := v.ByteArray(); len(b) > 0 {
				if fld.Kind() == KindString {
					err = r.SetText(fld, string(b)) // kept: copy
				} else {
					// Parsed into a number, address or enum and not kept,
					// so a view of parquet's buffer is enough.
					err = r.SetText(fld, unsafe.String(unsafe.SliceData(b), len(b)))
				}
			}
		default:
			err = &ParseError{Err: ErrSyntax, Msg: "unexpected parquet type " + v.Kind().String()}
		}
		if err != nil {
			pe := err.(*ParseError)
			pe.Line, pe.Field, pe.Name = p.row, c+1, fld.Name()
			*r = Record{}
			if !p.Lenient {
				p.err = pe
			}
			return pe
		}
	}
	return nil
}

// Close releases the reader's resources.
func (p *ParquetReader) Close() error { return p.pr.Close() }

// ParquetWriter writes records to a Parquet object with the layout S3
// delivery uses (see [ParquetReader]), for tests and conversions. Columns
// are stored in the order of the format's fields.
type ParquetWriter struct {
	f     Format
	col   [numFields]int // leaf column index by field
	w     *parquet.GenericWriter[any]
	row   parquet.Row
	nCols int
}

// parquetRowGroup is the most rows a ParquetWriter keeps in memory before
// it writes them out as a row group.
const parquetRowGroup = 128 << 10

// NewParquetWriter returns a writer of records in format f to w. Call
// Close to finish the object.
func NewParquetWriter(w io.Writer, f Format) *ParquetWriter {
	g := parquet.Group{}
	for _, fld := range f.Fields() {
		var n parquet.Node
		switch fld.ParquetType() {
		case "INT_32":
			n = parquet.Int(32)
		case "INT_64":
			n = parquet.Int(64)
		default:
			// IDs, ARNs and words repeat across records: a dictionary
			// stores each once per column chunk.
			n = parquet.Encoded(parquet.String(), &parquet.RLEDictionary)
		}
		g[fld.Column()] = parquet.Optional(n)
	}
	schema := parquet.NewSchema("flowlog", orderedGroup{g, f})
	// Row groups of at most parquetRowGroup rows bound the memory a
	// writer holds, however many records it writes.
	pw := &ParquetWriter{f: f, w: parquet.NewGenericWriter[any](w, schema, parquet.Compression(&pqgzip.Codec{}),
		parquet.MaxRowsPerRowGroup(parquetRowGroup))}
	cols := schema.Columns()
	for i, c := range cols {
		fld, _ := FieldByColumn(c[0])
		if fld != f.fields[i] {
			panic("flowlog: unexpected parquet column order")
		}
		pw.col[fld] = i
	}
	pw.nCols = len(cols)
	return pw
}

// orderedGroup is a parquet.Group whose fields are in the order of a
// format, not of their names (a Group is a map, which parquet-go sorts by
// name): the columns of a converted object are in the order of the log
// format, the order of the header line of the same flow log in text. A
// reader finds columns by name either way.
type orderedGroup struct {
	parquet.Group
	f Format
}

func (g orderedGroup) Fields() []parquet.Field {
	byName := g.Group.Fields()
	fields := make([]parquet.Field, 0, len(byName))
	for _, fld := range g.f.Fields() {
		for _, pf := range byName {
			if pf.Name() == fld.Column() {
				fields = append(fields, pf)
				break
			}
		}
	}
	return fields
}

func (g orderedGroup) String() string { return parquet.NewSchema("", g).String() }

// GoType is a struct of the fields in order, as parquet-go builds for a
// Group in the order of names.
func (g orderedGroup) GoType() reflect.Type {
	var fields []reflect.StructField
	for i, pf := range g.Fields() {
		fields = append(fields, reflect.StructField{Name: "F" + strconv.Itoa(i), Type: pf.GoType(),
			Tag: reflect.StructTag(`parquet:` + strconv.Quote(pf.Name()))})
	}
	return reflect.StructOf(fields)
}

// Write writes one record.
func (w *ParquetWriter) Write(r *Record) error {
	w.row = w.row[:0]
	if cap(w.row) < w.nCols {
		w.row = make(parquet.Row, 0, w.nCols)
	}
	w.row = w.row[:w.nCols]
	for _, fld := range w.f.fields[:w.f.n] {
		c := w.col[fld]
		if !r.Has(fld) {
			w.row[c] = parquet.NullValue().Level(0, 0, c)
			continue
		}
		v := r.Get(fld)
		var pv parquet.Value
		switch fld.ParquetType() {
		case "INT_32":
			pv = parquet.Int32Value(int32(v.Uint()))
		case "INT_64":
			pv = parquet.Int64Value(v.Int())
		default:
			pv = parquet.ByteArrayValue([]byte(v.String()))
		}
		w.row[c] = pv.Level(0, 1, c)
	}
	_, err := w.w.WriteRows([]parquet.Row{w.row})
	return err
}

// Close flushes and finishes the Parquet object. It does not close the
// underlying writer.
func (w *ParquetWriter) Close() error { return w.w.Close() }
