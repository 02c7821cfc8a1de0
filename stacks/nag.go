package stacks

import (
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
)

// ApplyNag runs cdk-nag's AwsSolutions, NIST 800-53 rev 5, HIPAA Security and PCI DSS 3.2.1
// packs on the stack at synth time, so an unsuppressed finding fails `cdk synth` and the tests,
// and records each suppression of Suppressions, with its reason, in the template.
func ApplyNag(stack VpcFlowLogsStack) {
	ApplyNagPacks(stack, Suppressions(stack.Config()))
}

// ApplyNagPacks runs the four packs on any stack (such as FirehoseDestinationStack) and records
// the given reviewed suppressions where their paths exist.
func ApplyNagPacks(stack awscdk.Stack, suppressions []Suppression) {
	props := &cdknag.NagPackProps{Verbose: jsii.Bool(true)}
	for _, pack := range []awscdk.IAspect{
		cdknag.NewAwsSolutionsChecks(props),
		cdknag.NewNIST80053R5Checks(props),
		cdknag.NewHIPAASecurityChecks(props),
		cdknag.NewPCIDSS321Checks(props),
	} {
		awscdk.Aspects_Of(stack).Add(pack, nil)
	}
	for _, s := range suppressions {
		target := find(stack, s.Path)
		if target == nil {
			continue // that part of the stack is not in this configuration
		}
		var list []*cdknag.NagPackSuppression
		for _, id := range s.RuleIDs() {
			list = append(list, &cdknag.NagPackSuppression{Id: jsii.String(id), Reason: jsii.String(s.Reason)})
		}
		cdknag.NagSuppressions_AddResourceSuppressions(target, &list, jsii.Bool(true))
	}
}

// Suppression is one reviewed exception to the compliance packs: a rule, where it applies, and
// why it does not apply or how it is met otherwise.
type Suppression struct {
	// Rule is the rule name shared by the packs, e.g. "S3BucketReplicationEnabled".
	Rule string
	// Packs are the pack prefixes that have the rule.
	Packs []string
	// Path is the construct path below the stack, by the constructs' fixed child IDs.
	Path []string
	// DefaultOnly marks exceptions the hardened profile removes.
	DefaultOnly bool
	Reason      string
}

// RuleIDs are the rule's IDs in each pack, as cdk-nag names them.
func (s Suppression) RuleIDs() []string {
	ids := make([]string, len(s.Packs))
	for i, p := range s.Packs {
		ids[i] = p + "-" + s.Rule
	}
	return ids
}

const (
	nist  = "NIST.800.53.R5"
	hipaa = "HIPAA.Security"
	pci   = "PCI.DSS.321"
)

var threePacks = []string{nist, hipaa, pci}

var (
	pathFlowLogBucket   = []string{"FlowLogs", "S3", "Bucket", "Bucket"}
	pathAccessLogBucket = []string{"FlowLogs", "S3", "Bucket", "AccessLogsBucket"}
	pathLogGroup        = []string{"FlowLogs", "CloudWatchLogs", "LogGroup"}
	pathResultsBucket   = []string{"Athena", "ResultsBucket", "Bucket"}
)

// Suppressions lists the exceptions for a configuration: those of both profiles, plus those of
// the default profile when cfg is not hardened. The README lists them all.
func Suppressions(cfg Config) []Suppression {
	var out []Suppression
	for _, s := range allSuppressions {
		if !s.DefaultOnly || !cfg.Hardened {
			out = append(out, s)
		}
	}
	if slices.Contains(cfg.Destinations, DestinationFirehose) {
		out = append(out, firehoseSuppressions(cfg, pathStreamBucket, pathStreamAccessLogBucket, pathStreamPolicy)...)
	}
	if cfg.ECSPermissionsRoleArn != "" {
		out = append(out, Suppression{Rule: "IAM5", Packs: []string{"AwsSolutions"}, Path: []string{"FlowLogs", "ECSFieldPermissions"}, Reason: ecsPolicyReason})
	}
	return out
}

var allSuppressions = []Suppression{
	{Rule: "S3BucketReplicationEnabled", Packs: threePacks, Path: pathFlowLogBucket, Reason: "Replication needs a bucket in a " +
		"second Region or a log-archive account, which this one-stack app does not own. Send flow logs straight to a central " +
		"bucket with S3Destination.Bucket instead, or add ReplicationRules to the (hardened: versioned) bucket."},
	{Rule: "S3BucketReplicationEnabled", Packs: threePacks, Path: pathAccessLogBucket, Reason: "The access-log bucket holds S3 " +
		"server access logs of the flow-log bucket only; replicating them needs a bucket this app does not own."},
	{Rule: "S3BucketReplicationEnabled", Packs: threePacks, Path: pathResultsBucket, Reason: "The Athena results bucket " +
		"holds query results, which running the saved query again re-creates from the flow logs, and they expire after 30 days; " +
		"replicating them would copy derived data to a bucket this app does not own."},
	{Rule: "S3DefaultEncryptionKMS", Packs: threePacks, Path: pathAccessLogBucket, Reason: "S3 server access logs can only be " +
		"delivered to a bucket whose default encryption is SSE-S3; SSE-KMS is not supported " +
		"(https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html). Objects are encrypted with AES-256."},
	{Rule: "VPCNoUnrestrictedRouteToIGW", Packs: threePacks, Path: []string{"Network", "Vpc"}, Reason: "The 0.0.0.0/0 route to " +
		"the internet gateway is what makes the public subnets public, for load balancers and NAT gateways. This stack places " +
		"nothing there, public subnets assign no public IPs on launch, and the flow logs record all traffic through the gateway."},
	{Rule: "CloudWatchLogGroupEncrypted", Packs: threePacks, Path: pathLogGroup, DefaultOnly: true, Reason: "Default profile: " +
		"CloudWatch Logs encrypts log data at rest with its own keys " +
		"(https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html). hardened=true adds a customer " +
		"managed KMS key with rotation."},
	{Rule: "S3DefaultEncryptionKMS", Packs: threePacks, Path: pathFlowLogBucket, DefaultOnly: true, Reason: "Default profile: " +
		"SSE-S3 (AES-256) without KMS request costs. hardened=true uses a customer managed KMS key with rotation and S3 Bucket Keys."},
	{Rule: "S3BucketVersioningEnabled", Packs: threePacks, Path: pathFlowLogBucket, DefaultOnly: true, Reason: "Default profile: " +
		"flow-log objects are written once and never overwritten, and the bucket policy lets only log delivery write. " +
		"hardened=true turns versioning on, with noncurrent versions expiring with the lifecycle."},
	{Rule: "S3BucketVersioningEnabled", Packs: threePacks, Path: pathAccessLogBucket, DefaultOnly: true, Reason: "Default " +
		"profile: access-log objects are written once by S3 log delivery. hardened=true turns versioning on."},
}

// find walks the fixed child IDs from the stack; nil when a part is absent in this configuration.
func find(stack awscdk.Stack, path []string) constructs.IConstruct {
	var c constructs.IConstruct = stack
	for _, id := range path {
		c = c.Node().TryFindChild(jsii.String(id))
		if c == nil {
			return nil
		}
	}
	return c
}

// Firehose delivery (config_resources.go). The stream's bucket holds flow logs like the
// flow-log bucket and gets its exceptions, for the same reasons.
var (
	pathStreamBucket          = []string{"FlowLogs", "Firehose", "Stream", "Bucket", "Bucket"}
	pathStreamAccessLogBucket = []string{"FlowLogs", "Firehose", "Stream", "Bucket", "AccessLogsBucket"}
	pathStreamPolicy          = []string{"FlowLogs", "Firehose", "Stream", "Policy"}
	pathSourceRolePolicy      = []string{"FlowLogs", "Firehose", "SourceRolePolicy"}
)

const (
	streamPolicyReason = "Firehose writes objects under keys it generates (prefix, then date and a unique suffix), so " +
		"s3:PutObject and the multipart actions name the bucket's objects with a wildcard, as AWS's policy for an S3 " +
		"destination does (https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-s3). " +
		"Only Firehose, for this account's streams (sts:ExternalId), can assume the role, and only this bucket is named."
	sourceRolePolicyReason = "logs:CreateLogDelivery, DeleteLogDelivery, ListLogDeliveries and GetLogDelivery act on log " +
		"deliveries, which have no ARN of their own to name, so they are granted on \"*\" as " +
		"AWS's source-account role for cross-account Firehose delivery grants them " +
		"(https://docs.aws.amazon.com/vpc/latest/userguide/firehose-cross-account-delivery.html). Its iam:PassRole is limited " +
		"to log delivery and the flow log's resource, and its sts:AssumeRole to the one destination role."
)

// ecsPolicyReason explains the policy granted to the deploying role for ECS fields.
const ecsPolicyReason = "AWS records a flow log's ECS fields only when whoever creates it may call ecs:ListClusters, " +
	"ListContainerInstances, ListServices, ListTaskDefinitions and ListTasks (https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html). " +
	"ecs:ListClusters and ecs:ListTaskDefinitions have no resource type and take only \"*\"; the others name this account's " +
	"clusters and container instances, which are not known when the flow log is created " +
	"(https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html). All are read-only list actions."

// firehoseSuppressions are the exceptions of a Firehose stream created at the given path, and of
// the cross-account source role.
func firehoseSuppressions(cfg Config, bucket, accessLogs, streamPolicy []string) []Suppression {
	var out []Suppression
	for _, s := range allSuppressions {
		if s.DefaultOnly && cfg.Hardened {
			continue
		}
		switch {
		case slices.Equal(s.Path, pathFlowLogBucket):
			s.Path = bucket
		case slices.Equal(s.Path, pathAccessLogBucket):
			s.Path = accessLogs
		default:
			continue
		}
		out = append(out, s)
	}
	out = append(out,
		Suppression{Rule: "IAM5", Packs: []string{"AwsSolutions"}, Path: streamPolicy, Reason: streamPolicyReason},
		Suppression{Rule: "IAM5", Packs: []string{"AwsSolutions"}, Path: pathSourceRolePolicy, Reason: sourceRolePolicyReason},
	)
	return out
}

// FirehoseDestinationSuppressions are the reviewed exceptions of FirehoseDestinationStack.
func FirehoseDestinationSuppressions(cfg Config) []Suppression {
	return firehoseSuppressions(cfg, []string{"Stream", "Bucket", "Bucket"}, []string{"Stream", "Bucket", "AccessLogsBucket"}, []string{"Stream", "Policy"})
}
