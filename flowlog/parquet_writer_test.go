package flowlog

import (
	"bytes"
	"io"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// TestParquetWriterRowGroups: a writer holds at most parquetRowGroup rows
// before writing a row group, string columns are dictionary-encoded, and
// every record reads back.
func TestParquetWriterRowGroups(t *testing.T) {
	f := DefaultFormat()
	var b bytes.Buffer
	w := NewParquetWriter(&b, f)
	g := NewGenerator(5, f)
	n := parquetRowGroup + 100
	var want []Record
	for i := range n {
		r := g.Record()
		if err := w.Write(&r); err != nil {
			t.Fatal(err)
		}
		if i%1000 == 0 {
			want = append(want, r)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	file, err := parquet.OpenFile(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if got := len(file.RowGroups()); got != 2 {
		t.Errorf("%d row groups, want 2", got)
	}
	dict := false
	for _, cc := range file.Metadata().RowGroups[0].Columns {
		if cc.MetaData.PathInSchema[0] == "interface_id" {
			for _, e := range cc.MetaData.Encoding {
				dict = dict || e.String() == "RLE_DICTIONARY"
			}
		}
	}
	if !dict {
		t.Error("interface_id is not dictionary-encoded")
	}
	pr, err := NewParquetReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var r Record
	for i := 0; ; i++ {
		err := pr.ReadInto(&r)
		if err == io.EOF {
			if i != n {
				t.Errorf("read %d rows, wrote %d", i, n)
			}
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if i%1000 == 0 && r != want[i/1000] {
			t.Fatalf("row %d: %v, want %v", i, r.Text(f), want[i/1000].Text(f))
		}
	}
}
