package flowlog

import (
	"bufio"
	"io"
)

// Writer writes records as flow-log lines in a format, like
// [encoding/csv.Writer]. Writes are buffered: call Flush when done.
// Reading what a Writer wrote with a [Reader] gives back the same records.
type Writer struct {
	// Header makes the Writer start with the format's header line, as S3
	// delivery writes plain-text objects. Set it before the first Write.
	Header bool

	f     Format
	w     *bufio.Writer
	buf   []byte
	begun bool
}

// NewWriter returns a Writer of records in format f to w.
func NewWriter(w io.Writer, f Format) *Writer {
	return &Writer{f: f, w: bufio.NewWriterSize(w, 64<<10)}
}

// Write writes r as one line. Fields of r that f lacks are not written;
// absent fields are written as "-".
func (w *Writer) Write(r *Record) error {
	if !w.begun {
		w.begun = true
		if w.Header {
			if _, err := w.w.WriteString(w.f.Header() + "\n"); err != nil {
				return err
			}
		}
	}
	w.buf = r.AppendText(w.buf[:0], w.f)
	w.buf = append(w.buf, '\n')
	_, err := w.w.Write(w.buf)
	return err
}

// Flush writes any buffered data to the underlying io.Writer.
func (w *Writer) Flush() error { return w.w.Flush() }
