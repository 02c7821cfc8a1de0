package source

import (
	"context"
	"fmt"
	"path"
	"strings"
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
	if ranged {
		if dirs, ok, err := narrowS3(ctx, c, bucket, prefix, o.Since, o.Until); err != nil {
			return nil, err
		} else if ok {
			prefixes = dirs
		}
	}
	var ins []Input
	for _, p := range prefixes {
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
	}
	return ins, nil
}

// narrowS3 returns the date folders to list for the time range, by
// walking the layout's account and region folders from the prefix down
// (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html).
// It reports false when the prefix is not at or above a region folder of
// that layout, in which case the whole prefix is listed.
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
	if since.IsZero() {
		since = time.Date(2015, 6, 1, 0, 0, 0, 0, time.UTC) // before VPC Flow Logs existed
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
		out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
		if err != nil {
			return nil, err
		}
		rd, err := openStream(name, out.Body, out.Body, o)
		if err != nil {
			_ = out.Body.Close()
			return nil, err
		}
		return rd, nil
	}}
}
