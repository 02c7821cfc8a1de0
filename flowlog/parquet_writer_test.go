package flowlog

import (
	"bytes"
	"io"
	"strings"
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

// TestParquetColumnsInFormatOrder: a writer stores the columns in the
// order of the format's fields, not of their names, and a reader gives
// back the same format (it finds columns by name).
func TestParquetColumnsInFormatOrder(t *testing.T) {
	v5, ok := Preset("v5")
	if !ok {
		t.Fatal("no preset v5")
	}
	custom, err := ParseFormat("${vpc-id} ${srcaddr} ${bytes} ${action} ${account-id}")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []Format{DefaultFormat(), v5, custom} {
		var b bytes.Buffer
		w := NewParquetWriter(&b, f)
		if s, first := w.w.Schema().String(), f.Fields()[0].Column(); !strings.Contains(s, first) {
			t.Errorf("schema %s does not name %s", s, first)
		}
		if s := (orderedGroup{parquet.Group{f.Fields()[0].Column(): parquet.Int(64)}, f}).String(); !strings.Contains(s, f.Fields()[0].Column()) {
			t.Errorf("group %s", s)
		}
		g := NewGenerator(1, f)
		for range 10 {
			r := g.Record()
			if err := w.Write(&r); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		file, err := parquet.OpenFile(bytes.NewReader(b.Bytes()), int64(b.Len()))
		if err != nil {
			t.Fatal(err)
		}
		var got, want []string
		for _, c := range file.Schema().Columns() {
			got = append(got, c[0])
		}
		for _, fld := range f.Fields() {
			want = append(want, fld.Column())
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("columns %v, want the format's order %v", got, want)
		}
		pr, err := NewParquetReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
		if err != nil {
			t.Fatal(err)
		}
		if pr.Format() != f {
			t.Errorf("read back as %q, want %q", pr.Format().Header(), f.Header())
		}
		g = NewGenerator(1, f)
		for range 10 {
			r, err := pr.Read()
			if err != nil {
				t.Fatal(err)
			}
			if want := g.Record(); r.Text(AllFields()) != want.Text(AllFields()) {
				t.Fatalf("read %s, want %s", r.Text(AllFields()), want.Text(AllFields()))
			}
		}
	}
}
