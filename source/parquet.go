package source

import (
	"io"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// parquetReader reads a Parquet object with a flowlog.ParquetReader.
type parquetReader struct {
	name    string
	pr      *flowlog.ParquetReader
	c       io.Closer
	records int64
	bad     int64
	emptyOK bool
	err     error
}

func openParquet(name string, r io.ReaderAt, size int64, c io.Closer, o *Options) (RecordReader, error) {
	pr, err := flowlog.NewParquetReader(r, size)
	if err != nil {
		return nil, err
	}
	pr.Lenient = o.Lenient
	return &parquetReader{name: name, pr: pr, c: c, emptyOK: o.EmptyOK}, nil
}

func (p *parquetReader) ReadInto(r *flowlog.Record) error {
	if p.err != nil {
		return p.err
	}
	err := p.pr.ReadInto(r)
	switch err {
	case nil:
		p.records++
		return nil
	case io.EOF:
		if p.records == 0 && p.bad == 0 && !p.emptyOK {
			p.err = ending(p.name, ErrNoRecords)
			return p.err
		}
		p.err = io.EOF
		return io.EOF
	}
	err = wrap(p.name, err)
	if LineError(err) && p.pr.Lenient {
		p.bad++
		return err
	}
	p.err = ending(p.name, err)
	return p.err
}

func (p *parquetReader) Format() flowlog.Format { return p.pr.Format() }

func (p *parquetReader) Close() error {
	err := p.pr.Close()
	if cerr := p.c.Close(); err == nil {
		err = cerr
	}
	return err
}
