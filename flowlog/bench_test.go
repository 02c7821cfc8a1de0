package flowlog

import (
	"bufio"
	"bytes"
	"io"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
)

const benchLines = 10000

// cpuTime returns the CPU time the process has used. Benchmarks report
// cpu-ns/op as well as ns/op: on a shared machine, wall time includes time
// spent waiting for a core, CPU time does not.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU reports cpu-ns/op and records/s (by CPU time) since start.
func reportCPU(b *testing.B, start time.Duration, recordsPerOp float64) {
	cpu := cpuTime() - start
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(b.N)*recordsPerOp/cpu.Seconds(), "records/cpu-s")
}

var benchData = sync.OnceValue(func() map[string][]byte {
	out := map[string][]byte{}
	for name, f := range map[string]Format{"default": DefaultFormat(), "custom": benchCustomFormat()} {
		var buf bytes.Buffer
		w := NewWriter(&buf, f)
		g := NewGenerator(1, f)
		var r Record
		for range benchLines {
			g.Next(&r)
			_ = w.Write(&r)
		}
		_ = w.Flush()
		out[name] = buf.Bytes()
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write(out["default"])
	_ = zw.Close()
	out["default.gz"] = gz.Bytes()
	var pq bytes.Buffer
	pw := NewParquetWriter(&pq, DefaultFormat())
	g := NewGenerator(1, DefaultFormat())
	var r Record
	for range benchLines {
		g.Next(&r)
		_ = pw.Write(&r)
	}
	_ = pw.Close()
	out["default.parquet"] = pq.Bytes()
	return out
})

// benchCustomFormat is a 34-field custom format (v2..v5 fields plus v7+).
func benchCustomFormat() Format {
	v5, _ := Preset("v5")
	return MustFormat(append(v5.Fields(), ECSClusterName, ECSTaskID, RejectReason, ResourceID, EncryptionStatus)...)
}

func benchLinesOf(b *testing.B, name string) []string {
	return strings.Split(strings.TrimSuffix(string(benchData()[name]), "\n"), "\n")
}

func BenchmarkParseLineDefault(b *testing.B) { benchParseLine(b, "default", DefaultFormat()) }
func BenchmarkParseLineCustom(b *testing.B)  { benchParseLine(b, "custom", benchCustomFormat()) }

func benchParseLine(b *testing.B, name string, f Format) {
	lines := benchLinesOf(b, name)
	b.SetBytes(int64(len(benchData()[name]) / len(lines)))
	b.ReportAllocs()
	var r Record
	i := 0
	start := cpuTime()
	for b.Loop() {
		if err := ParseLine(lines[i], f, &r); err != nil {
			b.Fatal(err)
		}
		i++
		if i == len(lines) {
			i = 0
		}
	}
	reportCPU(b, start, 1)
}

// naiveRecord is what a straightforward parser produces.
type naiveRecord struct {
	version          int
	account, iface   string
	src, dst         netip.Addr
	srcPort, dstPort int
	proto            int
	packets, bytes   int64
	start, end       int64
	action, status   string
}

func naiveParse(line string, r *naiveRecord) error {
	fs := strings.Fields(line)
	if len(fs) != 14 {
		return ErrFieldCount
	}
	var err error
	atoi := func(s string) int64 {
		if s == "-" || err != nil {
			return 0
		}
		v, e := strconv.ParseInt(s, 10, 64)
		if e != nil {
			err = e
		}
		return v
	}
	addr := func(s string) netip.Addr {
		if s == "-" || err != nil {
			return netip.Addr{}
		}
		a, e := netip.ParseAddr(s)
		if e != nil {
			err = e
		}
		return a
	}
	r.version = int(atoi(fs[0]))
	r.account, r.iface = fs[1], fs[2]
	r.src, r.dst = addr(fs[3]), addr(fs[4])
	r.srcPort, r.dstPort = int(atoi(fs[5])), int(atoi(fs[6]))
	r.proto = int(atoi(fs[7]))
	r.packets, r.bytes = atoi(fs[8]), atoi(fs[9])
	r.start, r.end = atoi(fs[10]), atoi(fs[11])
	r.action, r.status = fs[12], fs[13]
	return err
}

// BenchmarkNaiveDefault is the baseline: strings.Fields + strconv + netip.
func BenchmarkNaiveDefault(b *testing.B) {
	lines := benchLinesOf(b, "default")
	b.SetBytes(int64(len(benchData()["default"]) / len(lines)))
	b.ReportAllocs()
	var r naiveRecord
	i := 0
	start := cpuTime()
	for b.Loop() {
		if err := naiveParse(lines[i], &r); err != nil {
			b.Fatal(err)
		}
		i++
		if i == len(lines) {
			i = 0
		}
	}
	reportCPU(b, start, 1)
}

// BenchmarkDefaultVsNaive measures the default-format target directly:
// each iteration parses the generated lines with ParseLine and then with
// the naive baseline, timing each by CPU time, and reports the ratio of
// their speeds. Alternating the two cancels drift in machine speed, which
// separate benchmarks, seconds apart, do not.
func BenchmarkDefaultVsNaive(b *testing.B) {
	lines := benchLinesOf(b, "default")
	b.SetBytes(int64(len(benchData()["default"])))
	b.ReportAllocs()
	f := DefaultFormat()
	var (
		r            Record
		nr           naiveRecord
		parse, naive time.Duration
	)
	for b.Loop() {
		t0 := cpuTime()
		for _, line := range lines {
			if err := ParseLine(line, f, &r); err != nil {
				b.Fatal(err)
			}
		}
		t1 := cpuTime()
		for _, line := range lines {
			if err := naiveParse(line, &nr); err != nil {
				b.Fatal(err)
			}
		}
		t2 := cpuTime()
		parse += t1 - t0
		naive += t2 - t1
	}
	n := float64(b.N) * float64(len(lines))
	b.ReportMetric(float64(parse.Nanoseconds())/n, "parse-ns/line")
	b.ReportMetric(float64(naive.Nanoseconds())/n, "naive-ns/line")
	b.ReportMetric(naive.Seconds()/parse.Seconds(), "speedup")
}

func BenchmarkReaderDefault(b *testing.B) { benchReader(b, "default", DefaultFormat()) }
func BenchmarkReaderCustom(b *testing.B)  { benchReader(b, "custom", benchCustomFormat()) }
func BenchmarkReaderGzip(b *testing.B)    { benchReader(b, "default.gz", DefaultFormat()) }

// BenchmarkReaderGzipConcurrent decompresses in a second goroutine.
func BenchmarkReaderGzipConcurrent(b *testing.B) {
	benchReaderOpt(b, "default.gz", DefaultFormat(), true)
}

func benchReader(b *testing.B, name string, f Format) { benchReaderOpt(b, name, f, false) }

func benchReaderOpt(b *testing.B, name string, f Format, concurrent bool) {
	data := benchData()[name]
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var r Record
	start := cpuTime()
	for b.Loop() {
		benchReadAll(b, data, f, concurrent, &r)
	}
	reportCPU(b, start, benchLines)
}

// benchReadAll reads the benchLines records of data in format f with a Reader,
// reusing r.
func benchReadAll(b *testing.B, data []byte, f Format, concurrent bool, r *Record) {
	rd := NewReader(bytes.NewReader(data))
	rd.Format = f
	rd.ReuseRecord = true
	rd.Concurrent = concurrent
	n := 0
	for {
		err := rd.ReadInto(r)
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		n++
	}
	if n != benchLines {
		b.Fatalf("read %d records", n)
	}
}

// BenchmarkGunzipOnly is decompression alone, the bound for BenchmarkReaderGzip.
func BenchmarkGunzipOnly(b *testing.B) {
	data := benchData()["default.gz"]
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		br := bufio.NewReaderSize(zr, 64<<10)
		if _, err := io.Copy(io.Discard, br); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start, benchLines)
}

// BenchmarkGzipVsGunzip measures the .gz target directly: each iteration
// decompresses the object alone and then reads it with a Reader, timing
// each by CPU time, and reports the ratio of their speeds (reader/gunzip,
// 1 = parsing is free). Interleaving the two at a few milliseconds each
// cancels the drift in machine speed that separate benchmarks suffer on
// a shared machine.
func BenchmarkGzipVsGunzip(b *testing.B) {
	data := benchData()["default.gz"]
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var gunzip, reader time.Duration
	var r Record
	for b.Loop() {
		t0 := cpuTime()
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, bufio.NewReaderSize(zr, 64<<10)); err != nil {
			b.Fatal(err)
		}
		t1 := cpuTime()
		benchReadAll(b, data, DefaultFormat(), false, &r)
		t2 := cpuTime()
		gunzip += t1 - t0
		reader += t2 - t1
	}
	b.ReportMetric(float64(gunzip.Nanoseconds())/float64(b.N), "gunzip-ns/op")
	b.ReportMetric(float64(reader.Nanoseconds())/float64(b.N), "reader-ns/op")
	b.ReportMetric(gunzip.Seconds()/reader.Seconds(), "speed-ratio")
}

// BenchmarkParquet reads the default format from a gzip-compressed Parquet
// object, as S3 delivery writes with FileFormat parquet.
func BenchmarkParquet(b *testing.B) {
	data := benchData()["default.parquet"]
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var r Record
	start := cpuTime()
	for b.Loop() {
		pr, err := NewParquetReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			err := pr.ReadInto(&r)
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		pr.Close()
		if n != benchLines {
			b.Fatalf("read %d records", n)
		}
	}
	reportCPU(b, start, benchLines)
}
