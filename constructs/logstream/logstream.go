// Package logstream provides an Amazon Data Firehose stream that flow logs can deliver to: Direct
// PUT, encrypted, tagged for log delivery, writing gzip objects to an S3 bucket hardened like the
// flow-log bucket (package logbucket).
package logstream

import (
	"fmt"
	"regexp"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskinesisfirehose"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/logbucket"
)

// LogDeliveryStreamProps configures a LogDeliveryStream. The zero value is valid.
type LogDeliveryStreamProps struct {
	// The bucket the stream writes to.
	//
	// Default: - a logbucket.LogBucket is created from BucketProps (child ID "Bucket").
	Bucket awss3.IBucket

	// Props for the bucket created when Bucket is nil.
	//
	// Default: - logbucket's defaults.
	BucketProps *logbucket.LogBucketProps

	// The key prefix of the objects, ending in "/".
	//
	// Default: - "vpc-flow-logs/": objects go to vpc-flow-logs/YYYY/MM/DD/HH/.
	Prefix *string

	// Seconds Firehose buffers records before writing an object: 0 to 900.
	//
	// Default: - 300.
	BufferingIntervalSeconds *float64

	// The stream's name (1-64 letters, digits, _ . -).
	//
	// Default: - a name CloudFormation generates.
	DeliveryStreamName *string
}

// LogDeliveryStream is a Direct PUT Firehose stream to S3 for flow logs.
type LogDeliveryStream interface {
	constructs.Construct
	// DeliveryStreamArn is the stream's ARN. The LogDeliveryStream itself can be given to
	// flowlogs.FirehoseDestination.DeliveryStream.
	DeliveryStreamArn() *string
	// Resource is the AWS::KinesisFirehose::DeliveryStream (child ID "Resource").
	Resource() awskinesisfirehose.CfnDeliveryStream
	// Bucket is where the objects go.
	Bucket() awss3.IBucket
	// Role is the role Firehose writes to the bucket with (child ID "Role").
	Role() awsiam.Role
}

type logDeliveryStream struct {
	constructs.Construct
	resource awskinesisfirehose.CfnDeliveryStream
	bucket   awss3.IBucket
	role     awsiam.Role
}

func (s *logDeliveryStream) DeliveryStreamArn() *string                     { return s.resource.AttrArn() }
func (s *logDeliveryStream) Resource() awskinesisfirehose.CfnDeliveryStream { return s.resource }
func (s *logDeliveryStream) Bucket() awss3.IBucket                          { return s.bucket }
func (s *logDeliveryStream) Role() awsiam.Role                              { return s.role }

// Defaults.
const (
	DefaultPrefix                   = "vpc-flow-logs/"
	DefaultBufferingIntervalSeconds = 300
)

// S3Actions are the permissions Firehose needs on its S3 destination
// (https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-s3).
var S3Actions = []string{"s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket",
	"s3:ListBucketMultipartUploads", "s3:PutObject"}

var (
	namePattern   = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)
	prefixPattern = regexp.MustCompile(`^[A-Za-z0-9!_.*'()/-]*/$`)
)

// NewLogDeliveryStream creates the stream, its role and, unless given, its bucket. It panics with
// a message naming the prop when a prop is invalid.
func NewLogDeliveryStream(scope constructs.Construct, id *string, props *LogDeliveryStreamProps) LogDeliveryStream {
	var p LogDeliveryStreamProps
	if props != nil {
		p = *props
	}
	if p.Prefix == nil {
		p.Prefix = jsii.String(DefaultPrefix)
	}
	if p.BufferingIntervalSeconds == nil {
		p.BufferingIntervalSeconds = jsii.Number(DefaultBufferingIntervalSeconds)
	}
	if err := validate(&p); err != nil {
		panic(err.Error())
	}
	this := &logDeliveryStream{}
	constructs.NewConstruct_Override(this, scope, id)
	stack := awscdk.Stack_Of(this)

	bucket := p.Bucket
	if bucket == nil {
		bucket = logbucket.NewLogBucket(this, jsii.String("Bucket"), p.BucketProps).Bucket()
	}
	// Firehose assumes the role only for this account's streams: the ExternalId condition of
	// https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#firehose-assume-role.
	role := awsiam.NewRole(this, jsii.String("Role"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("firehose.amazonaws.com"), &awsiam.ServicePrincipalOpts{
			Conditions: &map[string]any{"StringEquals": map[string]any{"sts:ExternalId": stack.Account()}},
		}),
		Description: jsii.String("Lets Firehose write flow-log objects to one bucket prefix"),
	})
	statements := []awsiam.PolicyStatement{
		awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("WriteFlowLogObjects"),
			Actions:   jsii.Strings(S3Actions...),
			Resources: &[]*string{bucket.BucketArn(), bucket.ArnForObjects(jsii.String("*"))},
		}),
	}
	if key := bucket.EncryptionKey(); key != nil {
		// SSE-KMS objects: the key, used only through S3 for this bucket
		// (https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-s3).
		statements = append(statements, awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("EncryptObjects"),
			Actions:   jsii.Strings("kms:Decrypt", "kms:GenerateDataKey"),
			Resources: &[]*string{key.KeyArn()},
			Conditions: &map[string]any{
				"StringEquals": map[string]any{"kms:ViaService": fmt.Sprintf("s3.%s.amazonaws.com", *stack.Region())},
				"StringLike":   map[string]any{"kms:EncryptionContext:aws:s3:arn": *bucket.ArnForObjects(jsii.String("*"))},
			},
		}))
	}
	policy := awsiam.NewManagedPolicy(this, jsii.String("Policy"), &awsiam.ManagedPolicyProps{
		Description: jsii.String("Firehose delivery of flow logs to S3"),
		Roles:       &[]awsiam.IRole{role},
		Statements:  &statements,
	})

	stream := awskinesisfirehose.NewCfnDeliveryStream(this, jsii.String("Resource"), &awskinesisfirehose.CfnDeliveryStreamProps{
		DeliveryStreamName: p.DeliveryStreamName,
		// Flow logs deliver only to Direct PUT streams
		// (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-firehose.html).
		DeliveryStreamType: jsii.String("DirectPut"),
		DeliveryStreamEncryptionConfigurationInput: &awskinesisfirehose.CfnDeliveryStream_DeliveryStreamEncryptionConfigurationInputProperty{
			KeyType: jsii.String("AWS_OWNED_CMK"),
		},
		ExtendedS3DestinationConfiguration: &awskinesisfirehose.CfnDeliveryStream_ExtendedS3DestinationConfigurationProperty{
			BucketArn:         bucket.BucketArn(),
			RoleArn:           role.RoleArn(),
			Prefix:            p.Prefix,
			ErrorOutputPrefix: jsii.String("vpc-flow-logs-errors/!{firehose:error-output-type}/"),
			CompressionFormat: jsii.String("GZIP"),
			BufferingHints: &awskinesisfirehose.CfnDeliveryStream_BufferingHintsProperty{
				IntervalInSeconds: p.BufferingIntervalSeconds,
				SizeInMBs:         jsii.Number(5),
			},
		},
		// The service-linked role of log delivery writes only to streams with this tag
		// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-Firehose.html).
		Tags: &[]*awscdk.CfnTag{{Key: jsii.String("LogDeliveryEnabled"), Value: jsii.String("true")}},
	})
	// Firehose checks the role's permissions when the stream is created.
	stream.Node().AddDependency(policy)

	this.resource, this.bucket, this.role = stream, bucket, role
	return this
}

func validate(p *LogDeliveryStreamProps) error {
	if p.DeliveryStreamName != nil && !*awscdk.Token_IsUnresolved(p.DeliveryStreamName) && !namePattern.MatchString(*p.DeliveryStreamName) {
		return fmt.Errorf("logstream: DeliveryStreamName %q is not allowed; use 1-64 letters, digits, _ . and -", *p.DeliveryStreamName)
	}
	if !prefixPattern.MatchString(*p.Prefix) || len(*p.Prefix) > 1024 {
		return fmt.Errorf("logstream: Prefix %q is not allowed; use S3-safe characters ending in \"/\", e.g. %q", *p.Prefix, DefaultPrefix)
	}
	if v := *p.BufferingIntervalSeconds; v < 0 || v > 900 || v != float64(int(v)) {
		return fmt.Errorf("logstream: BufferingIntervalSeconds %v is not allowed; use a whole number from 0 to 900", v)
	}
	return nil
}
