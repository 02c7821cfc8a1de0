package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/seed-e6b90e5a/vpc-flow-logs/source"
)

// newS3Client and newLogsClient make AWS clients from the default
// credential chain and configuration (environment, shared files, IAM
// roles: https://docs.aws.amazon.com/sdk-for-go/v2/developer-guide/configure-gosdk.html).
// Tests replace them.
var (
	newS3Client = func(ctx context.Context) (source.S3API, error) {
		cfg, err := awsConfig(ctx)
		if err != nil {
			return nil, err
		}
		return newRegionalS3(cfg), nil
	}
	newLogsClient = func(ctx context.Context) (source.LogsAPI, error) {
		cfg, err := awsConfig(ctx)
		if err != nil {
			return nil, err
		}
		return cloudwatchlogs.NewFromConfig(cfg, func(o *cloudwatchlogs.Options) {
			// FilterLogEvents is throttled per account and region; the
			// standard retryer retries ThrottlingException with
			// exponential back-off and jitter, up to 20 s apart. Allow
			// more attempts than its default 3 for long reads
			// (https://docs.aws.amazon.com/sdk-for-go/v2/developer-guide/configure-retries-timeouts.html).
			o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
				so.MaxAttempts = 10
				so.MaxBackoff = 20 * time.Second
			})
		}), nil
	}
)

func awsConfig(ctx context.Context) (aws.Config, error) {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return cfg, fmt.Errorf("AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		return cfg, errors.New("no AWS region: set AWS_REGION (or a profile's region); for CloudWatch Logs, the log group's region")
	}
	return cfg, nil
}

// regionalS3 sends each bucket's requests to the bucket's own region: flow
// logs often go to a central bucket in another region than the one the
// user's profile names, and S3 answers requests sent to the wrong region
// with a redirect the SDK does not follow. HeadBucket returns the bucket's
// region in its x-amz-bucket-region header "whether access to the bucket
// is authorized or not", which is why AWS recommends it for finding a
// bucket's region
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html).
type regionalS3 struct {
	cfg     aws.Config
	opts    []func(*s3.Options)
	base    *s3.Client
	mu      sync.Mutex
	clients map[string]*s3.Client // by bucket
}

func newRegionalS3(cfg aws.Config, opts ...func(*s3.Options)) *regionalS3 {
	return &regionalS3{cfg: cfg, opts: opts, base: s3.NewFromConfig(cfg, opts...), clients: map[string]*s3.Client{}}
}

// client returns the client for bucket's region, finding the region once.
// If HeadBucket does not tell it, requests go to the configured region,
// whose error then says what is wrong.
func (r *regionalS3) client(ctx context.Context, bucket string) *s3.Client {
	r.mu.Lock()
	defer r.mu.Unlock()
	if c, ok := r.clients[bucket]; ok {
		return c
	}
	c := r.base
	if region := bucketRegion(ctx, r.base, bucket); region != "" && region != r.cfg.Region {
		c = s3.NewFromConfig(r.cfg, append(r.opts, func(o *s3.Options) { o.Region = region })...)
	}
	r.clients[bucket] = c
	return c
}

func bucketRegion(ctx context.Context, c *s3.Client, bucket string) string {
	out, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)})
	if err == nil {
		return aws.ToString(out.BucketRegion)
	}
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) && re.Response != nil {
		return re.Response.Header.Get("X-Amz-Bucket-Region")
	}
	return ""
}

func (r *regionalS3) ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, opts ...func(*s3.Options)) (*s3.ListObjectsV2Output, error) {
	return r.client(ctx, aws.ToString(in.Bucket)).ListObjectsV2(ctx, in, opts...)
}

func (r *regionalS3) GetObject(ctx context.Context, in *s3.GetObjectInput, opts ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	return r.client(ctx, aws.ToString(in.Bucket)).GetObject(ctx, in, opts...)
}
