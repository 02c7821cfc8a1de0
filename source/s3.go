package source

import (
	"context"
	"fmt"
	"io"
	"path"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/seed-e6b90e5a/vpc-flow-logs/s3layout"
)

// S3API is the part of the S3 client that lists and reads objects.
// *s3.Client implements it.
type S3API interface {
	s3.ListObjectsV2APIClient
	GetObject(ctx context.Context, in *s3.GetObjectInput, opts ...func(*s3.Options)) (*s3.GetObjectOutput, error)
}

func (o *Options) s3(ctx context.Context) (S3API, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.S3 == nil {
		if o.NewS3 == nil {
			return nil, fmt.Errorf("no S3 client")
		}
		c, err := o.NewS3(ctx)
		if err != nil {
			return nil, err
		}
		o.S3 = c
	}
	return o.S3, nil
}

// listS3 lists the flow-log objects under s3://bucket/prefix. With a time
// range, it lists only the date folders of the range (see narrowS3) and
// keeps only the objects whose file-name timestamp is near the range.
func listS3(ctx context.Context, arg string, o *Options) ([]Input, error) {
	bucket, prefix, _ := strings.Cut(strings.TrimPrefix(arg, "s3://"), "/")
	if bucket == "" {
		return nil, fmt.Errorf("%w: no bucket name", ErrBadArg)
	}
	c, err := o.s3(ctx)
	if err != nil {
		return nil, err
	}
	prefixes := []string{prefix}
	ranged := !o.Since.IsZero() || !o.Until.IsZero()
	// Narrow to date folders only from a start: an open start would mean
	// a folder per day since flow logs began.
	if !o.Since.IsZero() {
		if dirs, ok, err := narrowS3(ctx, c, bucket, prefix, o.Since, o.Until); err != nil {
			return nil, err
		} else if ok {
			prefixes = dirs
		}
	}
	// The date folders are listed concurrently (each page by page), and
	// their objects kept in folder order.
	found := make([][]Input, len(prefixes))
	errs := make([]error, len(prefixes))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(listConcurrency, len(prefixes)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < len(prefixes); i = int(next.Add(1) - 1) {
				found[i], errs[i] = listPrefix(ctx, c, bucket, prefixes[i], ranged, o)
			}
		}()
	}
	wg.Wait()
	var ins []Input
	var first error
	for i := range prefixes {
		ins = append(ins, found[i]...)
		if first == nil {
			first = errs[i]
		}
	}
	if first != nil {
		return ins, first
	}
	return ins, nil
}

// listConcurrency is how many folders a ranged S3 listing lists at once.
const listConcurrency = 8

// listPrefix lists the flow-log objects under one prefix, page by page.
func listPrefix(ctx context.Context, c S3API, bucket, p string, ranged bool, o *Options) ([]Input, error) {
	var ins []Input
	pages := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(p)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return ins, fmt.Errorf("listing s3://%s/%s: %w", bucket, p, err)
		}
		for _, obj := range page.Contents {
			key := aws.ToString(obj.Key)
			if !flowLogName(key) || (ranged && !keyInRange(key, o.Since, o.Until)) {
				continue
			}
			ins = append(ins, s3Input(bucket, key, aws.ToInt64(obj.Size)))
		}
	}
	return ins, nil
}

// narrowS3 returns the date folders to list for the time range, by
// walking the layout's account and region folders from the prefix down
// (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html).
// It reports false when the prefix is not at or above a region folder of
// that layout, or no such folder is there (objects copied elsewhere), in
// which case the whole prefix is listed.
func narrowS3(ctx context.Context, c S3API, bucket, prefix string, since, until time.Time) ([]string, bool, error) {
	root, rest := prefix, ""
	if i := strings.Index(prefix, "AWSLogs/"); i >= 0 {
		root, rest = prefix[:i+len("AWSLogs/")], prefix[i+len("AWSLogs/"):]
	} else {
		if root != "" && !strings.HasSuffix(root, "/") {
			root += "/"
		}
		root += "AWSLogs/"
	}
	if rest != "" && !strings.HasSuffix(rest, "/") {
		return nil, false, nil
	}
	parts := strings.Split(strings.TrimSuffix(rest, "/"), "/")
	if rest == "" {
		parts = nil
	}
	if len(parts) > 3 {
		return nil, false, nil
	}
	var accounts []string
	if len(parts) >= 1 {
		accounts = []string{root + parts[0] + "/"}
	} else {
		var err error
		if accounts, err = commonPrefixes(ctx, c, bucket, root); err != nil {
			return nil, false, err
		}
	}
	if until.IsZero() {
		until = time.Now()
	}
	since, until = since.Add(-TimeMargin), until.Add(TimeMargin)
	var dirs []string
	for _, acctDir := range accounts {
		acct := path.Base(acctDir)
		hive := strings.HasPrefix(acct, "aws-account-id=")
		acct = strings.TrimPrefix(acct, "aws-account-id=")
		service := acctDir + s3layout.Service + "/"
		if hive {
			service = acctDir + "aws-service=" + s3layout.Service + "/"
		}
		if len(parts) >= 2 && root+parts[0]+"/"+parts[1]+"/" != service {
			return nil, false, nil
		}
		var regions []string
		if len(parts) == 3 {
			regions = []string{service + parts[2] + "/"}
		} else {
			var err error
			if regions, err = commonPrefixes(ctx, c, bucket, service); err != nil {
				return nil, false, err
			}
		}
		for _, regionDir := range regions {
			region := strings.TrimPrefix(path.Base(regionDir), "aws-region=")
			// Daily folders: listing one lists its hour folders too.
			l := s3layout.Layout{Prefix: strings.TrimSuffix(strings.TrimSuffix(root, "AWSLogs/"), "/"), Hive: hive}
			dirs = append(dirs, l.Dirs(acct, region, since, until)...)
		}
	}
	if len(dirs) == 0 {
		return nil, false, nil // no AWSLogs/ tree here: list the prefix itself
	}
	return dirs, true, nil
}

// commonPrefixes lists the folders directly under dir.
func commonPrefixes(ctx context.Context, c S3API, bucket, dir string) ([]string, error) {
	var out []string
	pages := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(dir), Delimiter: aws.String("/")})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return out, fmt.Errorf("listing s3://%s/%s: %w", bucket, dir, err)
		}
		for _, cp := range page.CommonPrefixes {
			out = append(out, aws.ToString(cp.Prefix))
		}
	}
	return out, nil
}

// keyInRange reports whether an object's file-name timestamp
// ({account}_vpcflowlogs_{region}_{flow-log-id}_{YYYYMMDDTHHmmZ}_{hash}.log.gz)
// is within TimeMargin of the range. Names without one are kept.
func keyInRange(key string, since, until time.Time) bool {
	for tok := range strings.SplitSeq(path.Base(key), "_") {
		if len(tok) != len("20060102T1504Z") || tok[8] != 'T' {
			continue
		}
		t, err := time.Parse("20060102T1504Z", tok)
		if err != nil {
			continue
		}
		if !since.IsZero() && t.Before(since.Add(-TimeMargin)) {
			return false
		}
		if !until.IsZero() && t.After(until.Add(TimeMargin)) {
			return false
		}
		return true
	}
	return true
}

func s3Input(bucket, key string, size int64) Input {
	name := "s3://" + bucket + "/" + key
	return Input{Name: name, Size: size, Remote: true, open: func(ctx context.Context, o *Options) (RecordReader, error) {
		c, err := o.s3(ctx)
		if err != nil {
			return nil, err
		}
		body, err := openObject(ctx, c, bucket, key)
		if err != nil {
			return nil, err
		}
		at := &objectAt{ctx: ctx, c: c, bucket: bucket, key: key, etag: body.etag, size: size}
		rd, err := openStream(name, multiCloser{body, at}, body, o, false, at, size)
		if err != nil {
			_ = body.Close()
			_ = at.Close()
			return nil, err
		}
		return rd, nil
	}}
}

// resumeAttempts is how many times a download that fails mid-body is
// resumed from where it stopped.
const resumeAttempts = 3

// objectBody streams an S3 object and, when the connection fails part way
// (a reset, a timeout), asks for the rest with a ranged GET of the same
// version (If-Match on its ETag), so that one dropped connection does not
// lose a whole object; the reader above never sees the seam.
type objectBody struct {
	ctx         context.Context
	c           S3API
	bucket, key string
	etag        *string
	body        io.ReadCloser
	off         int64
	resumes     int
}

func openObject(ctx context.Context, c S3API, bucket, key string) (*objectBody, error) {
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return nil, err
	}
	return &objectBody{ctx: ctx, c: c, bucket: bucket, key: key, etag: out.ETag, body: out.Body}, nil
}

func (b *objectBody) Read(p []byte) (int, error) {
	n, err := b.body.Read(p)
	b.off += int64(n)
	if err == nil || err == io.EOF || b.ctx.Err() != nil || b.resumes >= resumeAttempts || b.etag == nil {
		return n, err
	}
	b.resumes++
	_ = b.body.Close()
	out, rerr := b.c.GetObject(b.ctx, &s3.GetObjectInput{Bucket: aws.String(b.bucket), Key: aws.String(b.key),
		Range: aws.String(fmt.Sprintf("bytes=%d-", b.off)), IfMatch: b.etag})
	if rerr != nil {
		b.body = io.NopCloser(errReader{fmt.Errorf("%w; resuming at byte %d: %w", err, b.off, rerr)})
		return n, nil
	}
	b.body = out.Body
	return n, nil
}

func (b *objectBody) Close() error { return b.body.Close() }

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// objectAt reads an S3 object by offset, for a gzip member too large to
// hold back to be read a second time: the flowlog.Reader reads it again
// front to back, so one ranged GET from an offset serves the sequential
// ReadAt calls that follow, and a jump elsewhere opens another. The ETag
// (If-Match) makes a changed object an error rather than other bytes.
type objectAt struct {
	ctx         context.Context
	c           S3API
	bucket, key string
	etag        *string
	size        int64 // from the listing: no GET at or past the end (S3 would say 416)

	mu   sync.Mutex
	body io.ReadCloser // nil: no GET open
	off  int64         // the offset of body's next byte
	gets int           // ranged GETs opened, for tests
}

func (a *objectAt) ReadAt(p []byte, off int64) (int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.size >= 0 && off >= a.size {
		return 0, io.EOF
	}
	if a.body != nil && a.off != off {
		_ = a.body.Close()
		a.body = nil
	}
	if a.body == nil {
		out, err := a.c.GetObject(a.ctx, &s3.GetObjectInput{Bucket: aws.String(a.bucket), Key: aws.String(a.key),
			Range: aws.String(fmt.Sprintf("bytes=%d-", off)), IfMatch: a.etag})
		if err != nil {
			return 0, fmt.Errorf("reading s3://%s/%s again at byte %d: %w", a.bucket, a.key, off, err)
		}
		a.body, a.off = out.Body, off
		a.gets++
	}
	n, err := io.ReadFull(a.body, p)
	a.off += int64(n)
	if err == io.ErrUnexpectedEOF {
		err = io.EOF // the object's end: ReaderAt says io.EOF for a short read there
	}
	if err != nil {
		_ = a.body.Close()
		a.body = nil
	}
	return n, err
}

func (a *objectAt) Close() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.body == nil {
		return nil
	}
	err := a.body.Close()
	a.body = nil
	return err
}

// multiCloser closes each of its closers, and returns the first error.
type multiCloser []io.Closer

func (m multiCloser) Close() error {
	var first error
	for _, c := range m {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}
