package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// TestParseJSONMatchesEncodingJSON: `flowlog parse` over generated
// inputs of several formats, whose output spans many of parse's write
// blocks, writes for every record exactly what encoding/json makes of the
// record's values read back with Record.Get: absent fields left out,
// numbers as numbers, the rest as strings.
func TestParseJSONMatchesEncodingJSON(t *testing.T) {
	dir := t.TempDir()
	custom, err := flowlog.ParseHeader("log-status dstport pkt-srcaddr start tcp-flags account-id srcaddr ecs-cluster-name end bytes flow-direction")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		f    flowlog.Format
		n    int
	}{{"default", flowlog.DefaultFormat(), 3000}, {"all", flowlog.AllFields(), 800}, {"custom", custom, 2000}} {
		var in bytes.Buffer
		w := flowlog.NewWriter(&in, c.f)
		w.Header = true
		g := flowlog.NewGenerator(5, c.f)
		var recs []flowlog.Record
		for range c.n {
			r := g.Record()
			recs = append(recs, r)
			if err := w.Write(&r); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		path := writeFile(t, dir, c.name+".log", in.Bytes())
		var out, errb bytes.Buffer
		if code := runTo(t, "", &out, &errb, "parse", path); code != 0 {
			t.Fatalf("%s: status %d: %s", c.name, code, errb.String())
		}
		if out.Len() < 2*emitBlock && c.name == "default" {
			t.Fatalf("%s: %d bytes of output, want several blocks", c.name, out.Len())
		}
		sc := bufio.NewScanner(&out)
		sc.Buffer(nil, 1<<20)
		i := 0
		for ; sc.Scan(); i++ {
			if i >= len(recs) {
				t.Fatalf("%s: more lines than %d records", c.name, len(recs))
			}
			if got, want := sc.Text(), getJSON(t, &recs[i], c.f); got != want {
				t.Fatalf("%s: record %d:\n got %s\nwant %s", c.name, i, got, want)
			}
		}
		if i != len(recs) {
			t.Fatalf("%s: %d lines for %d records", c.name, i, len(recs))
		}
	}
}

// getJSON encodes r the obvious way: Record.Get per field of f and
// encoding/json (without HTML escaping, as parse has always written).
func getJSON(t *testing.T, r *flowlog.Record, f flowlog.Format) string {
	var b strings.Builder
	b.WriteByte('{')
	quote := func(s string) {
		var q bytes.Buffer
		e := json.NewEncoder(&q)
		e.SetEscapeHTML(false)
		if err := e.Encode(s); err != nil {
			t.Fatal(err)
		}
		b.Write(bytes.TrimSuffix(q.Bytes(), []byte{'\n'}))
	}
	for _, fld := range f.Fields() {
		v := r.Get(fld)
		if !v.Valid() {
			continue
		}
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		quote(fld.Name())
		b.WriteByte(':')
		switch fld.Kind() {
		case flowlog.KindUint8, flowlog.KindUint16, flowlog.KindUint64, flowlog.KindTime:
			b.WriteString(strconv.FormatUint(v.Uint(), 10))
		case flowlog.KindAddr:
			quote(v.Addr().String())
		default:
			quote(v.Str())
		}
	}
	b.WriteByte('}')
	return b.String()
}
