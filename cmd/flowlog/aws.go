package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/s3"
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
		return s3.NewFromConfig(cfg), nil
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
		return cfg, errors.New("no AWS region: set AWS_REGION (or a profile's region) to the bucket's or log group's region")
	}
	return cfg, nil
}
