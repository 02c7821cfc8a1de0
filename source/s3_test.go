package source

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/s3layout"
)

// fakeS3 is an in-process S3 server (gofakes3) behind a handler that
// records list requests and can fail some, and a real SDK client for it.
type fakeS3 struct {
	client *s3.Client
	mu     sync.Mutex
	lists  []string // prefix (and delimiter) of each ListObjectsV2
	deny   func(r *http.Request) bool
	get    func() (done func())  // if set, wraps each GetObject
	onGet  func(r *http.Request) // if set, sees each GetObject request first
}

func newFakeS3(t *testing.T, bucket string) *fakeS3 {
	t.Helper()
	f := &fakeS3{}
	h := gofakes3.New(s3mem.New()).Server()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if r.Method == http.MethodGet && q.Get("list-type") == "2" {
			f.mu.Lock()
			f.lists = append(f.lists, q.Get("prefix")+"|"+q.Get("delimiter"))
			deny := f.deny != nil && f.deny(r)
			f.mu.Unlock()
			if deny {
				w.Header().Set("Content-Type", "application/xml")
				w.WriteHeader(http.StatusForbidden)
				fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>`)
				return
			}
		}
		if r.Method == http.MethodGet && q.Get("list-type") == "" {
			f.mu.Lock()
			onGet := f.onGet
			f.mu.Unlock()
			if onGet != nil {
				onGet(r)
			}
			if f.get != nil {
				defer f.get()()
			}
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	f.client = s3.New(s3.Options{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", ""),
		BaseEndpoint: aws.String(ts.URL),
		UsePathStyle: true,
		HTTPClient:   ts.Client(),
	})
	if _, err := f.client.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fakeS3) put(t testing.TB, bucket, key string, data []byte) {
	t.Helper()
	if _, err := f.client.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(data)}); err != nil {
		t.Fatal(err)
	}
}

// objectKey is where S3 delivery writes an object.
func objectKey(prefix string, hive, hourly, parquet bool, acct, region string, t time.Time, hash string) string {
	return s3layout.Layout{Prefix: prefix, Hive: hive, PerHour: hourly, Parquet: parquet}.Key(acct, region, "fl-0123456789abcdef0", t, hash)
}

func TestS3Layouts(t *testing.T) {
	const bucket = "flow-logs"
	f := newFakeS3(t, bucket)
	v5, _ := flowlog.Preset("v5")
	day1 := time.Date(2024, 3, 1, 12, 5, 0, 0, time.UTC)
	day2 := day1.Add(36 * time.Hour)
	type obj struct {
		prefix                string
		hive, hourly, parquet bool
		t                     time.Time
	}
	var inRange, all []string // records of objects of day1 12:xx, and of all
	seed := uint64(100)
	for _, o := range []obj{
		{"", false, false, false, day1},
		{"", false, false, false, day2},
		{"", false, true, true, day1.Add(5 * time.Minute)},
		{"", true, false, false, day1},
		{"", true, true, true, day1},
		{"", true, true, false, day2},
		{"team/net", false, false, false, day1},
		{"team/net", true, true, true, day2},
	} {
		seed++
		var data []byte
		var lines []string
		if o.parquet {
			data, lines = parquetLog(t, seed, 20, v5)
		} else {
			data, lines = textLog(t, seed, 20, v5, true)
			data = gz(t, data)
		}
		acct := "111122223333"
		if o.hive {
			acct = "444455556666"
		}
		f.put(t, bucket, objectKey(o.prefix, o.hive, o.hourly, o.parquet, acct, "eu-west-1", o.t, fmt.Sprintf("%08x", seed)), data)
		if o.prefix == "" {
			all = append(all, lines...)
			if o.t == day1 || o.t == day1.Add(5*time.Minute) {
				inRange = append(inRange, lines...)
			}
		}
	}
	ctx := context.Background()

	// The whole bucket, listed page by page without a range: every object.
	o := &Options{S3: f.client}
	ins, errs := List(ctx, []string{"s3://" + bucket}, o)
	if len(errs) != 0 || len(ins) != 8 {
		t.Fatalf("list: %d inputs, %v", len(ins), errs)
	}
	o = &Options{S3: f.client}
	ins, _ = List(ctx, []string{"s3://" + bucket + "/AWSLogs/"}, o)
	got, rerrs := readAll(t, ins, o)
	if len(rerrs) != 0 {
		t.Fatal(errText(rerrs))
	}
	equalLines(t, got, all)

	// A range narrows the listing to its date folders, in both layouts.
	f.lists = nil
	o = &Options{S3: f.client, Since: day1.Add(-5 * time.Minute), Until: day1.Add(30 * time.Minute)}
	ins, errs = List(ctx, []string{"s3://" + bucket + "/"}, o)
	if len(errs) != 0 || len(ins) != 4 {
		t.Fatalf("ranged list: %d inputs %v", len(ins), errs)
	}
	for _, l := range f.lists {
		if l == "|" || l == "AWSLogs/|" {
			t.Errorf("ranged listing listed the whole tree: %q", f.lists)
		}
		if strings.Contains(l, "/03/02/") || strings.Contains(l, "day=02") {
			t.Errorf("ranged listing listed another day: %q", l)
		}
	}
	got, rerrs = readAll(t, ins, o)
	if len(rerrs) != 0 {
		t.Fatal(errText(rerrs))
	}
	equalLines(t, got, inRange)

	// Under a prefix folder and at region level.
	o = &Options{S3: f.client, Since: day2.Add(-time.Hour), Until: day2}
	ins, errs = List(ctx, []string{"s3://" + bucket + "/team/net"}, o)
	if len(errs) != 0 || len(ins) != 1 || !strings.Contains(ins[0].Name, "team/net/AWSLogs/aws-account-id=") {
		t.Fatalf("prefix: %v %v", ins, errs)
	}
	ins, errs = List(ctx, []string{"s3://" + bucket + "/AWSLogs/111122223333/vpcflowlogs/eu-west-1/"}, o)
	if len(errs) != 0 || len(ins) != 1 {
		t.Fatalf("region level: %v %v", ins, errs)
	}

	// Objects copied out of the AWSLogs/ tree are listed too, by name.
	data, _ := textLog(t, 99, 5, v5, true)
	f.put(t, bucket, "exports/"+path.Base(objectKey("", false, false, false, "111122223333", "eu-west-1", day2, "feedbeef")), gz(t, data))
	f.put(t, bucket, "exports/"+path.Base(objectKey("", false, false, false, "111122223333", "eu-west-1", day1, "feedbeef")), gz(t, data))
	ins, errs = List(ctx, []string{"s3://" + bucket + "/exports/"}, o)
	if len(errs) != 0 || len(ins) != 1 || !strings.Contains(ins[0].Name, day2.Format("20060102")) {
		t.Fatalf("outside AWSLogs: %v %v", ins, errs)
	}
}

func TestS3Paging(t *testing.T) {
	const bucket = "many"
	f := newFakeS3(t, bucket)
	base := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	var want []string
	const n = 1100
	for i := range n {
		data, lines := textLog(t, uint64(i), 1, flowlog.DefaultFormat(), true)
		f.put(t, bucket, objectKey("", false, false, false, "111122223333", "us-east-1", base.Add(time.Duration(i)*time.Minute), fmt.Sprintf("%08x", i)), gz(t, data))
		want = append(want, lines...)
	}
	ctx := context.Background()
	o := &Options{S3: f.client}
	ins, errs := List(ctx, []string{"s3://" + bucket}, o)
	if len(errs) != 0 || len(ins) != n {
		t.Fatalf("%d inputs, %v", len(ins), errs)
	}
	if len(f.lists) < 2 {
		t.Errorf("%d list requests; want paging", len(f.lists))
	}
	got, rerrs := readAll(t, ins, o)
	if len(rerrs) != 0 {
		t.Fatal(errText(rerrs))
	}
	equalLines(t, got, want)

	// Access denied on the second page: the first page's objects and an
	// error naming the listing.
	f.deny = func(r *http.Request) bool { return r.URL.Query().Get("continuation-token") != "" }
	ins, errs = List(ctx, []string{"s3://" + bucket + "/AWSLogs/"}, &Options{S3: f.client})
	if len(ins) != 1000 || len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), "s3://"+bucket+"/AWSLogs/: ") || !strings.Contains(errs[0].Error(), "AccessDenied") {
		t.Fatalf("denied: %d inputs, %v", len(ins), errs)
	}
}

// cutWriter passes at most n bytes of a response body, then drops the
// rest, as a reset connection does.
type cutWriter struct {
	http.ResponseWriter
	n int
}

func (w *cutWriter) Write(p []byte) (int, error) {
	k := min(len(p), w.n)
	w.n -= k
	if _, err := w.ResponseWriter.Write(p[:k]); err != nil {
		return 0, err
	}
	return len(p), nil // the rest is lost; the server then ends the connection short
}

// TestS3ResumesDroppedDownload: a download cut part way resumes with a
// ranged GET and reads every record once; one that keeps failing is an
// error naming the object.
func TestS3ResumesDroppedDownload(t *testing.T) {
	var mu sync.Mutex
	cuts := 1
	var ranges []string
	h := gofakes3.New(s3mem.New()).Server()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, ".log.gz") {
			mu.Lock()
			ranges = append(ranges, r.Header.Get("Range"))
			cut := cuts > 0
			cuts--
			mu.Unlock()
			if cut {
				h.ServeHTTP(&cutWriter{ResponseWriter: w, n: 5000}, r)
				return
			}
		}
		h.ServeHTTP(w, r)
	}))
	defer ts.Close()
	client := s3.New(s3.Options{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("a", "b", ""),
		BaseEndpoint: aws.String(ts.URL), UsePathStyle: true, HTTPClient: ts.Client()})
	ctx := context.Background()
	if _, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("bkt")}); err != nil {
		t.Fatal(err)
	}
	data, want := textLog(t, 3, 3000, flowlog.DefaultFormat(), true)
	key := objectKey("", false, false, false, "111122223333", "us-east-1", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), "00000001")
	z := gz(t, data)
	if len(z) < 20000 {
		t.Fatalf("object of %d bytes is too small to cut", len(z))
	}
	if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bkt"), Key: aws.String(key), Body: bytes.NewReader(z)}); err != nil {
		t.Fatal(err)
	}
	o := &Options{S3: client}
	ins, _ := List(ctx, []string{"s3://bkt/"}, o)
	got, errs := readAll(t, ins, o)
	if len(errs) != 0 {
		t.Fatal(errText(errs))
	}
	equalLines(t, got, want)
	if len(ranges) != 2 || ranges[0] != "" || ranges[1] != "bytes=5000-" {
		t.Errorf("requests' ranges: %q", ranges)
	}

	cuts, ranges = 100, nil
	_, errs = readAll(t, ins, o)
	if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), "s3://bkt/"+key) || len(ranges) != 1+resumeAttempts {
		t.Errorf("failing download: %v, %d requests", errs, len(ranges))
	}
}

// TestS3OneWorkerOpensAhead: one worker, which keeps the records in input
// order (as parse and convert need), still has several objects'
// downloads under way: it opens the next ones while it reads one.
func TestS3OneWorkerOpensAhead(t *testing.T) {
	const bucket = "ordered"
	f := newFakeS3(t, bucket)
	base := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	var want []string
	for i := range 10 {
		data, lines := textLog(t, uint64(100+i), 3, flowlog.DefaultFormat(), true)
		f.put(t, bucket, objectKey("", true, false, false, "111122223333", "us-east-1", base.Add(time.Duration(i)*time.Hour), fmt.Sprintf("%08x", i)), gz(t, data))
		want = append(want, lines...)
	}
	var inFlight, most atomic.Int32
	f.get = func() func() {
		n := inFlight.Add(1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		time.Sleep(30 * time.Millisecond) // a request's latency
		return func() { inFlight.Add(-1) }
	}
	o := &Options{S3: f.client}
	ins, errs := List(context.Background(), []string{"s3://" + bucket}, o)
	if len(errs) != 0 || len(ins) != 10 {
		t.Fatalf("%d inputs, %v", len(ins), errs)
	}
	var mu sync.Mutex
	var got []string
	if err := Run(context.Background(), ins, o, 1, nil, func(int) Sink { return &collect{mu: &mu, lines: &got} }, nil); err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("records not in input order: %d records, want %d", len(got), len(want))
	}
	if most.Load() < 2 {
		t.Errorf("at most %d object downloads at once, want several", most.Load())
	}

	// A bad object in the middle: a strict run stops there, with the
	// records before it; a lenient one reads every other, in order.
	junk := objectKey("", true, false, false, "111122223333", "us-east-1", base.Add(4*time.Hour+30*time.Minute), "junk0000")
	f.put(t, bucket, junk, []byte("not a flow log\n"))
	ins, _ = List(context.Background(), []string{"s3://" + bucket}, o)
	for _, lenient := range []bool{false, true} {
		got = nil
		var errs []error
		o := &Options{S3: f.client, Lenient: lenient}
		err := Run(context.Background(), ins, o, 1, nil, func(int) Sink { return &collect{mu: &mu, lines: &got} }, func(err error) { errs = append(errs, err) })
		w := want[:15]
		if lenient {
			w = want
		}
		if err == nil || len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), "s3://"+bucket+"/"+junk+":1:") || strings.Join(got, "\n") != strings.Join(w, "\n") {
			t.Errorf("lenient=%v: %d records (want %d), errors %v", lenient, len(got), len(w), errs)
		}
	}
}
