package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// TestParseFaults is the CLI's fault-injection table: broken inputs,
// strict and lenient, alone and between intact inputs. For each, the
// command ends with the right status and message, and every record it
// prints equals the intact input's record at the same position.
func TestParseFaults(t *testing.T) {
	dir := t.TempDir()
	f := flowlog.DefaultFormat()
	g := flowlog.NewGenerator(21, f)
	var text strings.Builder
	text.WriteString(f.Header() + "\n")
	var lines []string
	for range 300 {
		r := g.Record()
		lines = append(lines, r.Text(f)+"\n")
		text.WriteString(lines[len(lines)-1])
	}
	intactText := text.String()
	intactGz := gzipped(t, intactText)
	intact := writeFile(t, dir, "intact.log.gz", intactGz)
	want, errs, code := runCmd(t, "", "parse", intact)
	if code != 0 || errs != "" || strings.Count(want, "\n") != len(lines) {
		t.Fatalf("intact input: %d %q", code, errs)
	}
	wantLines := strings.SplitAfter(want, "\n")

	// A gzip stream written with a flush after each line, so that cuts
	// fall at known line boundaries.
	var flushed bytes.Buffer
	zw := gzip.NewWriter(&flushed)
	var ends []int
	for _, l := range append([]string{f.Header() + "\n"}, lines...) {
		if _, err := zw.Write([]byte(l)); err != nil {
			t.Fatal(err)
		}
		if err := zw.Flush(); err != nil {
			t.Fatal(err)
		}
		ends = append(ends, flushed.Len())
	}
	noFinal := bytes.Clone(flushed.Bytes())
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	full := flushed.Bytes()
	badCRC := bytes.Clone(intactGz)
	badCRC[len(badCRC)-8] ^= 1
	pq := parquetOf(t, lines[:50]...)
	pqWant, _, _ := runCmd(t, "", "parse", writeFile(t, dir, "intact.parquet", pq))

	emptyDir := t.TempDir()
	writeFile(t, emptyDir, "notes.txt", []byte("not a flow log\n"))

	type fault struct {
		name    string
		data    []byte // written to a file named name
		path    string // or this path
		n       int    // records printed (strict; lenient, when lenientN is 0)
		lenient int    // records printed with --lenient, if different
		wantOut string // the intact output to compare with; default want
		msg     string // in the error message
		line    bool   // a bad line (lenient goes on in the same input)
	}
	faults := []fault{
		// A gzip member that fails its check, cut or corrupt, gives none
		// of its records: gzip could not vouch for them.
		{name: "cut-at-line-boundary.log.gz", data: full[:ends[100]], n: 0, msg: ":1: flowlog: truncated (unexpected EOF): the input ends inside gzip data; this line and the rest of the member are not returned"},
		{name: "cut-inside-line.log.gz", data: full[:ends[100]+30], n: 0, msg: ":1: flowlog: truncated"},
		{name: "cut-in-header.log.gz", data: full[:ends[0]-20], n: 0, msg: ":1: flowlog: truncated"},
		{name: "cut-in-gzip-header.log.gz", data: full[:5], n: 0, msg: ":1: flowlog: truncated"},
		{name: "cut-in-trailer.log.gz", data: full[:len(full)-3], n: 0, msg: ":1: flowlog: truncated"},
		{name: "corrupt-crc.log.gz", data: badCRC, n: 0, msg: ":1: flowlog: corrupt gzip data (gzip: invalid checksum): none of this gzip member's records were returned"},
		{name: "corrupt-deflate.log.gz", data: flipDeflate(intactGz), n: 0, msg: ":1: flowlog: corrupt gzip data"},
		{name: "no-final-block.log.gz", data: noFinal, n: 0, msg: ":1: flowlog: truncated"},
		{name: "trailing-garbage.log.gz", data: append(bytes.Clone(full), "junk that is not gzip"...), n: 300, msg: ":302: flowlog: corrupt gzip data (gzip: invalid header): what follows is not a gzip member"},
		{name: "second-member-cut.log.gz", data: append(bytes.Clone(full), full[:ends[7]+9]...), n: 300, wantOut: want + want, msg: ":302: flowlog: truncated"},
		{name: "nul.log", data: []byte(f.Header() + "\n" + strings.Join(lines[:9], "") + "2 1\x002 eni-1 - - - - - - - 1 2 - NODATA\n" + strings.Join(lines[9:], "")),
			n: 9, lenient: 300, msg: `:11:2: flowlog: field 2 (account-id): invalid syntax "1\x00": control character`, line: true},
		{name: "long-line.log", data: []byte(f.Header() + "\n" + lines[0] + "2 " + strings.Repeat("7", 1<<20) + "\n" + strings.Join(lines[1:], "")),
			n: 1, lenient: 300, msg: `:3: flowlog: line too long "2 77777777777777777777777777777777777777777777777777777777777777": longer than 1048576 bytes`, line: true},
		// An over-long first line may be the header (or is one, with a
		// tail): it ends the input, lenient too, which goes on with the
		// next input rather than reading this one's error forever.
		{name: "long-first-line.log", data: []byte(strings.Repeat("x", 1<<20+1) + "\n" + intactText), n: 0,
			msg: `:1: flowlog: line too long "` + strings.Repeat("x", 64) + `": longer than 1048576 bytes`},
		{name: "long-header.log", data: []byte(f.Header() + strings.Repeat(" x", 1<<19) + "\n" + strings.Join(lines, "")), n: 0,
			msg: `:1: flowlog: line too long "version account-id`},
		{name: "crlf.log", data: []byte(strings.ReplaceAll(intactText, "\n", "\r\n")), n: 300},
		{name: "concatenated.log.gz", data: append(bytes.Clone(intactGz), full...), n: 600, wantOut: want + want},
		// No records is an error naming the input, as for summarize
		// (the bad-input list exempts no command).
		{name: "zero.log", data: []byte{}, n: 0, msg: ": empty input"},
		{name: "header-only.log", data: []byte(f.Header() + "\n"), n: 0, msg: ": header but no records"},
		{name: "zero.log.gz", data: []byte{}, n: 0, msg: ": flowlog: truncated: empty file"},
		{name: "zero.parquet", data: []byte{}, n: 0, msg: ": flowlog: truncated: empty file"},
		{name: "cut.parquet", data: pq[:len(pq)/2], n: 0, wantOut: pqWant, msg: ": flowlog: truncated (unexpected EOF): not a complete Parquet file: it does not end with Parquet's footer (PAR1); it was cut short"},
		{name: "cut.parquet.gz", data: gzipped(t, string(pq))[:len(pq)/3], n: 0, wantOut: pqWant, msg: ": flowlog: truncated"},
		{name: "cut.sub.gz", data: append(gzipped(t, subscriptionJSON(lines[:5]...)), gzipped(t, subscriptionJSON(lines[5:9]...))[:40]...),
			n: 5, msg: ": flowlog: truncated (unexpected EOF): the input ends inside gzip data; none of this gzip member's records were returned"},
		// A payload member is decoded only once it passed its check.
		{name: "corrupt.sub.gz", data: append(gzipped(t, subscriptionJSON(lines[:5]...)), badCRCOf(gzipped(t, subscriptionJSON(lines[5:9]...)))...),
			n: 5, msg: ": flowlog: corrupt gzip data (gzip: invalid checksum): none of this gzip member's records were returned"},
		// A directory is read (see TestParseInputs); one without flow-log
		// files is an error naming it.
		{name: "directory", path: emptyDir, n: 0, msg: ": no flow-log files in the directory (looked for .log, .log.gz and .log.parquet)"},
		{name: "unreadable", path: "/proc/self/mem", n: 0, msg: ": read /proc/self/mem: input/output error"},
	}
	after := writeFile(t, dir, "after.log", []byte(f.Header()+"\n"+lines[0]))
	for _, ft := range faults {
		path := ft.path
		if path == "" {
			path = writeFile(t, dir, ft.name, ft.data)
		}
		wantOut := want
		if ft.wantOut != "" {
			wantOut = ft.wantOut
		}
		args := []string{"parse"}
		if strings.Contains(ft.name, ".sub.") {
			args = append(args, "--format", "default")
		}
		for _, lenient := range []bool{false, true} {
			a := args
			if lenient {
				a = append(append([]string{}, args...), "--lenient")
			}
			// The faulty input, then an intact one: lenient reads it too.
			out, errs, code := runCmd(t, "", append(a, path, after)...)
			n, status := ft.n, 0
			switch {
			case ft.msg == "":
			case !lenient:
				status = 1
			default:
				status = 3
				if ft.lenient != 0 {
					n = ft.lenient
				}
			}
			name := fmt.Sprintf("%s lenient=%v", ft.name, lenient)
			got := strings.SplitAfter(out, "\n")
			got = got[:len(got)-1]
			if code != status {
				t.Errorf("%s: status %d, want %d; stderr %q", name, code, status, errs)
			}
			printed := n
			if status != 1 {
				printed++ // the record of after.log
			}
			if len(got) != printed {
				t.Errorf("%s: %d records printed, want %d", name, len(got), printed)
			}
			wl := strings.SplitAfter(wantOut, "\n")
			for i := range min(n, len(got)) {
				if got[i] != wl[i] {
					t.Errorf("%s: record %d is not the intact input's:\n got %s\nwant %s", name, i, got[i], wl[i])
					break
				}
			}
			if status != 1 && len(got) > n && got[n] != wantLines[0] {
				t.Errorf("%s: the next input's record is %q", name, got[n])
			}
			if ft.msg == "" {
				if errs != "" {
					t.Errorf("%s: stderr %q", name, errs)
				}
				continue
			}
			first, _, _ := strings.Cut(errs, "\n")
			if !strings.HasPrefix(first, path+ft.msg) {
				t.Errorf("%s: stderr %q, want it to start with %q", name, errs, path+ft.msg)
			}
			if lenient {
				summary := "flowlog parse: skipped 1 input not read to the end (" + path + ")\n"
				if ft.line {
					summary = "flowlog parse: skipped 1 bad line\n"
				}
				if !strings.HasSuffix(errs, summary) || strings.Count(errs, "\n") != 2 {
					t.Errorf("%s: stderr %q, want one error and the summary %q", name, errs, summary)
				}
			} else if strings.Count(errs, "\n") != 1 {
				t.Errorf("%s: stderr %q, want one error", name, errs)
			}
		}
	}
}

// badCRCOf returns gz with a bit of its CRC-32 flipped.
func badCRCOf(gz []byte) []byte {
	gz = bytes.Clone(gz)
	gz[len(gz)-8] ^= 1
	return gz
}

// flipDeflate flips a bit in the middle of a gzip object's deflate data.
func flipDeflate(gz []byte) []byte {
	bad := bytes.Clone(gz)
	bad[len(bad)/2] ^= 0x08
	return bad
}

// TestGzipMemberBound: a gzip member larger than --max-buffer, which
// bounds the text held back until the member's checksum passes, is read
// twice from a file (checked, then parsed) and is an error from standard
// input, which cannot be read twice; no record of it is printed then.
func TestGzipMemberBound(t *testing.T) {
	dir := t.TempDir()
	text, _ := genLog(t, 22, 300, flowlog.DefaultFormat(), true)
	data := gzipped(t, text)
	path := writeFile(t, dir, "big.log.gz", data)
	want, errs, code := runCmd(t, "", "convert", "--to", "jsonl", path)
	if code != 0 || strings.Count(want, "\n") != 300 {
		t.Fatalf("unbounded: status %d, %q", code, errs)
	}
	bound := []string{"convert", "--to", "jsonl", "--max-buffer", "4096"}
	out, errs, code := runCmd(t, "", append(bound, path)...)
	if code != 0 || out != want || errs != "" {
		t.Errorf("file over the bound: status %d, %d lines, stderr %q", code, strings.Count(out, "\n"), errs)
	}
	out, errs, code = runCmd(t, string(data), append(bound, "-")...)
	if code != 1 || out != "" || !strings.Contains(errs, "-:1: flowlog: gzip member too large to check") ||
		!strings.Contains(errs, "(4096 bytes)") || !strings.Contains(errs, "--max-buffer") {
		t.Errorf("stdin over the bound: status %d, %d lines, stderr %q", code, strings.Count(out, "\n"), errs)
	}
	out, errs, code = runCmd(t, string(data), "convert", "--to", "jsonl", "-")
	if code != 0 || out != want {
		t.Errorf("stdin under the bound: status %d, stderr %q", code, errs)
	}
}

// TestKeepGoingEndsOnLongFirstLine: every reading command, with
// --keep-going, gives up on an input whose over-long first line may be
// its header (that error ends the input; it is no line to skip), reads
// the next input, and exits 3 saying which input it skipped.
func TestKeepGoingEndsOnLongFirstLine(t *testing.T) {
	dir := t.TempDir()
	text, _ := genLog(t, 5, 20, flowlog.DefaultFormat(), true)
	long := writeFile(t, dir, "long.log", append([]byte(strings.Repeat("x", 1<<20+1)+"\n"), text...))
	ok := writeFile(t, dir, "ok.log", text)
	for _, cmd := range [][]string{{"parse", "--lenient"}, {"summarize", "--keep-going"}, {"convert", "--to", "jsonl", "--keep-going"}} {
		_, errs, code := runCmd(t, "", append(cmd, long, ok)...)
		if code != 3 || strings.Count(errs, "line too long") != 1 || !strings.Contains(errs, "skipped 1 input not read to the end ("+long+")") {
			t.Errorf("%v: status %d, stderr %q", cmd, code, errs)
		}
	}
}
