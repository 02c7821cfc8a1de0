// Package logbucket provides the S3 bucket that VPC flow logs are delivered to, hardened:
// public access blocked, TLS only, encrypted, ACLs disabled, lifecycle, server access logging to
// a separate bucket, and kept when the stack is deleted.
package logbucket

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// LogBucketProps configures a LogBucket. The zero value is valid.
type LogBucketProps struct {
	// A customer managed KMS key for SSE-KMS. Log delivery needs a customer managed key and the
	// bucket must name it by ARN (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html);
	// when the key is defined in the same app, the key policy statement log delivery needs is added.
	//
	// Default: - SSE-S3 (S3-managed keys).
	EncryptionKey awskms.IKey

	// Days after creation when objects move to S3 Standard-IA; 0 never moves them. S3 allows 30 or
	// more.
	//
	// Default: - 30.
	TransitionToInfrequentAccessAfterDays *float64

	// Days after creation when objects move to S3 Glacier Flexible Retrieval; 0 never moves them.
	// At least 30 days after the Standard-IA transition when there is one.
	//
	// Default: - 90.
	TransitionToGlacierAfterDays *float64

	// Days after creation when objects are deleted; 0 keeps them forever. Must come after both
	// transitions.
	//
	// Default: - 365.
	ExpireAfterDays *float64

	// Keep every version of every object.
	//
	// Default: - false: flow-log objects are written once and never overwritten.
	Versioned *bool

	// The bucket that receives this bucket's S3 server access logs.
	//
	// Default: - a separate access-log bucket is created (child ID "AccessLogsBucket").
	ServerAccessLogsBucket awss3.IBucket

	// Turn on S3 Object Lock for the flow-log bucket, without a default retention period, so
	// that investigators can put legal holds on the objects they need as evidence
	// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html). Object Lock needs
	// versioning, which it turns on. A default retention is deliberately not set: S3 then requires
	// a checksum header on every PUT, which log delivery is not documented to send.
	//
	// Default: - false.
	ObjectLock *bool

	// Send the buckets' object events to Amazon EventBridge, so new flow-log objects can start
	// processing (https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventBridge.html).
	//
	// Default: - false.
	EventBridge *bool

	// The bucket's name.
	//
	// Default: - a name CloudFormation generates.
	BucketName *string

	// Whether VPC Flow Logs deliver to the bucket. When false, log delivery gets no statement in
	// EncryptionKey's policy (the bucket holds something else, such as Athena query results).
	//
	// Default: - true.
	LogDelivery *bool

	// What happens to the buckets when they leave the stack. DESTROY only works on empty buckets.
	//
	// Default: - RETAIN: flow logs are evidence.
	RemovalPolicy awscdk.RemovalPolicy
}

// LogBucket is an S3 bucket hardened for flow logs.
type LogBucket interface {
	constructs.Construct
	// Bucket is the flow-log bucket (child ID "Bucket").
	Bucket() awss3.Bucket
	// AccessLogsBucket receives the flow-log bucket's server access logs.
	AccessLogsBucket() awss3.IBucket
}

type logBucket struct {
	constructs.Construct
	bucket     awss3.Bucket
	accessLogs awss3.IBucket
}

func (b *logBucket) Bucket() awss3.Bucket            { return b.bucket }
func (b *logBucket) AccessLogsBucket() awss3.IBucket { return b.accessLogs }

// Lifecycle defaults, in days.
const (
	DefaultInfrequentAccessDays = 30
	DefaultGlacierDays          = 90
	DefaultExpireDays           = 365
)

// NewLogBucket creates the bucket and, unless one is given, its access-log bucket. It panics with
// a message naming the prop when a prop is invalid.
func NewLogBucket(scope constructs.Construct, id *string, props *LogBucketProps) LogBucket {
	var p LogBucketProps
	if props != nil {
		p = *props
	}
	ia := orDefault(p.TransitionToInfrequentAccessAfterDays, DefaultInfrequentAccessDays)
	glacier := orDefault(p.TransitionToGlacierAfterDays, DefaultGlacierDays)
	expire := orDefault(p.ExpireAfterDays, DefaultExpireDays)
	if err := validateLifecycle(ia, glacier, expire); err != nil {
		panic(err.Error())
	}
	if p.RemovalPolicy == "" {
		p.RemovalPolicy = awscdk.RemovalPolicy_RETAIN
	}

	this := &logBucket{}
	constructs.NewConstruct_Override(this, scope, id)
	// Grant S3 server access logging through a bucket policy, not the LogDeliveryWrite ACL: our
	// buckets disable ACLs. Apps created before this flag existed do not set it, so set it here,
	// for this construct's subtree only.
	this.Node().SetContext(jsii.String("@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy"), true)
	// Both buckets get the same hardening; only the flow-log bucket logs its access and may use KMS.
	hardened := func() *awss3.BucketProps {
		return &awss3.BucketProps{
			BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(),
			EnforceSSL:        jsii.Bool(true),
			MinimumTLSVersion: jsii.Number(1.2),
			Encryption:        awss3.BucketEncryption_S3_MANAGED,
			// ACLs off: the bucket owner owns every object, whoever wrote it.
			ObjectOwnership: awss3.ObjectOwnership_BUCKET_OWNER_ENFORCED,
			Versioned:       p.Versioned,
			LifecycleRules:  lifecycle(ia, glacier, expire, p.Versioned),
			RemovalPolicy:   p.RemovalPolicy,
		}
	}
	accessLogs := p.ServerAccessLogsBucket
	if accessLogs == nil {
		// Server access logs can only be delivered to a bucket with SSE-S3 default encryption
		// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html).
		accessLogs = awss3.NewBucket(this, jsii.String("AccessLogsBucket"), hardened())
	}

	bucketProps := hardened()
	bucketProps.BucketName = p.BucketName
	if p.ObjectLock != nil && *p.ObjectLock {
		bucketProps.ObjectLockEnabled = jsii.Bool(true)
		bucketProps.Versioned = jsii.Bool(true)
	}
	bucketProps.ServerAccessLogsBucket = accessLogs
	bucketProps.ServerAccessLogsPrefix = jsii.String("s3-access-logs/")
	if p.EncryptionKey != nil {
		bucketProps.Encryption = awss3.BucketEncryption_KMS
		bucketProps.EncryptionKey = p.EncryptionKey
		// S3 Bucket Keys cut KMS requests, and so cost, for the many small flow-log objects.
		bucketProps.BucketKeyEnabled = jsii.Bool(true)
		if p.LogDelivery == nil || *p.LogDelivery {
			allowDeliveryToUseKey(this, p.EncryptionKey)
		}
	}
	bucket := awss3.NewBucket(this, jsii.String("Bucket"), bucketProps)
	if p.EventBridge != nil && *p.EventBridge {
		// As a plain template property: CDK's EventBridgeEnabled goes through a notifications
		// custom resource whose role may change the notifications of any bucket.
		// The access-log bucket only when it was created here: a bucket from the caller is theirs.
		targets := []awss3.IBucket{bucket}
		if p.ServerAccessLogsBucket == nil {
			targets = append(targets, accessLogs)
		}
		for _, b := range targets {
			if cfn, ok := b.Node().DefaultChild().(awss3.CfnBucket); ok && cfn != nil {
				cfn.AddPropertyOverride(jsii.String("NotificationConfiguration.EventBridgeConfiguration.EventBridgeEnabled"), true)
			}
		}
	}
	this.bucket, this.accessLogs = bucket, accessLogs
	return this
}

func orDefault(v *float64, d float64) float64 {
	if v == nil {
		return d
	}
	return *v
}

// validateLifecycle applies S3's lifecycle rules: Standard-IA no earlier than 30 days, Glacier at
// least 30 days after Standard-IA, expiry after every transition
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html).
func validateLifecycle(ia, glacier, expire float64) error {
	for _, v := range []struct {
		name string
		days float64
	}{{"TransitionToInfrequentAccessAfterDays", ia}, {"TransitionToGlacierAfterDays", glacier}, {"ExpireAfterDays", expire}} {
		if v.days < 0 || v.days != float64(int(v.days)) {
			return fmt.Errorf("logbucket: %s %v is not allowed; use a whole number of days, or 0 for never", v.name, v.days)
		}
	}
	if ia > 0 && ia < 30 {
		return fmt.Errorf("logbucket: TransitionToInfrequentAccessAfterDays %v is not allowed; S3 moves objects to Standard-IA after 30 days at the earliest (or 0 for never)", ia)
	}
	if ia > 0 && glacier > 0 && glacier < ia+30 {
		return fmt.Errorf("logbucket: TransitionToGlacierAfterDays %v is not allowed; S3 needs it at least 30 days after TransitionToInfrequentAccessAfterDays (%v), so %v or more (or 0 for never)", glacier, ia, ia+30)
	}
	if expire > 0 && (expire <= ia || expire <= glacier) {
		return fmt.Errorf("logbucket: ExpireAfterDays %v is not allowed; it must come after the transitions (Standard-IA %v, Glacier %v days), or be 0 for never", expire, ia, glacier)
	}
	return nil
}

func lifecycle(ia, glacier, expire float64, versioned *bool) *[]*awss3.LifecycleRule {
	rule := &awss3.LifecycleRule{
		Id:                                  jsii.String("FlowLogRetention"),
		AbortIncompleteMultipartUploadAfter: awscdk.Duration_Days(jsii.Number(7)),
	}
	var transitions []*awss3.Transition
	if ia > 0 {
		transitions = append(transitions, &awss3.Transition{StorageClass: awss3.StorageClass_INFREQUENT_ACCESS(), TransitionAfter: awscdk.Duration_Days(jsii.Number(ia))})
	}
	if glacier > 0 {
		transitions = append(transitions, &awss3.Transition{StorageClass: awss3.StorageClass_GLACIER(), TransitionAfter: awscdk.Duration_Days(jsii.Number(glacier))})
	}
	if len(transitions) > 0 {
		rule.Transitions = &transitions
	}
	if expire > 0 {
		rule.Expiration = awscdk.Duration_Days(jsii.Number(expire))
		if versioned != nil && *versioned {
			rule.NoncurrentVersionExpiration = awscdk.Duration_Days(jsii.Number(expire))
		}
	}
	return &[]*awss3.LifecycleRule{rule}
}

// allowDeliveryToUseKey adds the key policy statement log delivery needs to write SSE-KMS objects,
// as https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html
// shows, with its confused-deputy conditions. An imported key's owner must add it themselves.
func allowDeliveryToUseKey(scope constructs.Construct, key awskms.IKey) {
	stack := awscdk.Stack_Of(scope)
	key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("AllowLogsDeliveryToUseTheKey"),
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String(DeliveryPrincipal), nil)},
		Actions:    jsii.Strings("kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"),
		// A key policy's Resource "*" means this key.
		Resources:  jsii.Strings("*"),
		Conditions: sourceConditions(stack),
	}), jsii.Bool(true))
}
