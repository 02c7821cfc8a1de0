package stacks

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/flowlogs"
)

// ResourceConfig holds the settings for flow logs on what users already have: an existing VPC,
// and Firehose delivery in this account or another.
type ResourceConfig struct {
	// VpcID is an existing VPC to log instead of creating one; it needs Account and Region, since
	// the VPC is found with Vpc.fromLookup (cached in cdk.context.json).
	VpcID string

	// FirehoseStreamArn is the Direct PUT stream of the firehose destination; empty creates one
	// that writes to a hardened S3 bucket.
	FirehoseStreamArn string
	// FirehoseCrossAccountRoleArn is the destination account's AWSLogDeliveryFirehoseCrossAccountRole…
	// role, for a stream in another account. When it is empty, the stream's account differs from
	// Account and both are known, it is the role FirehoseDestinationStack creates for this account
	// and source role (flowlogs.CrossAccountRoleArn): CrossAccountRoleArn() returns it.
	FirehoseCrossAccountRoleArn string
	// FirehoseSourceRoleName names the source role created for cross-account delivery.
	FirehoseSourceRoleName string

	// FirehoseDestinationFor is a source account ID: the app then also synthesizes
	// FirehoseDestinationStack, the stream and role to deploy in the stream's account.
	FirehoseDestinationFor string

	// ECSPermissionsRoleArn is the role CloudFormation deploys with, which gets the ecs:List*
	// permissions a format with ECS fields needs (flowlogs.FlowLogsProps.ECSPermissionsRole).
	ECSPermissionsRoleArn string
	// ECSPermissionsGranted states that the deploying role already has them.
	ECSPermissionsGranted bool
}

// DefaultFirehoseSourceRoleName is the source role's name for cross-account Firehose delivery
// when firehoseSourceRoleName is not given: "<stackName>-FirehoseSource-<region>", e.g.
// VpcFlowLogs-FirehoseSource-eu-west-1 (without "-<region>" for an environment-agnostic stack).
// IAM role names are unique per account in every Region
// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html), so a fixed name
// would allow one such stack per account: the stack name differs per VPC in a Region (CloudFormation
// stack names are unique per Region) and the Region per Region. A name over IAM's 64 characters
// keeps the start of the stack name and ends in 8 hex digits of the SHA-256 of the full name.
func DefaultFirehoseSourceRoleName(stackName, region string) string {
	name := stackName + "-FirehoseSource"
	if region != "" {
		name += "-" + region
	}
	if len(name) <= 64 {
		return name
	}
	sum := sha256.Sum256([]byte(name))
	return name[:64-9] + "-" + hex.EncodeToString(sum[:4])
}

// FirehoseDestinationStreamName is the name FirehoseDestinationStack gives its stream by
// default: "vpc-flow-logs-<source account>-<8 hex digits of the SHA-256 of the source role's
// name>", so that the source account's app can write the stream's ARN
// (arn:aws:firehose:REGION:DESTINATION:deliverystream/NAME) before the destination stack exists,
// and one account can receive from many source accounts and roles (stream names are unique per
// account and Region).
func FirehoseDestinationStreamName(sourceAccount, sourceRoleName string) string {
	sum := sha256.Sum256([]byte(sourceRoleName))
	return "vpc-flow-logs-" + sourceAccount + "-" + hex.EncodeToString(sum[:4])
}

// CrossAccountRoleArn is the destination role of cross-account Firehose delivery: the one given
// (firehoseCrossAccountRoleArn), or else, for a stream in another account than Account, the one
// NewFirehoseDestinationStack creates there for this account and source role (both sides derive
// its name from the source account and source role name, flowlogs.CrossAccountRoleName); "" for
// a stream in this account or an environment-agnostic stack.
func (c *Config) CrossAccountRoleArn() string {
	if c.FirehoseCrossAccountRoleArn != "" {
		return c.FirehoseCrossAccountRoleArn
	}
	m := streamArnPattern.FindStringSubmatch(c.FirehoseStreamArn)
	if m == nil || c.Account == "" || m[1] == c.Account {
		return ""
	}
	return flowlogs.CrossAccountRoleArn(m[1], c.Account, c.sourceRoleName())
}

// sourceRoleName is the source role's name of cross-account delivery.
func (c *Config) sourceRoleName() string {
	if c.FirehoseSourceRoleName != "" {
		return c.FirehoseSourceRoleName
	}
	return DefaultFirehoseSourceRoleName(c.StackName, c.Region)
}

var (
	vpcIDPattern       = regexp.MustCompile(`^vpc-[0-9a-f]{8}([0-9a-f]{9})?$`)
	streamArnPattern   = regexp.MustCompile(`^arn:aws[a-z-]*:firehose:[a-z0-9-]+:(\d{12}):deliverystream/[A-Za-z0-9_.-]{1,64}$`)
	roleArnPattern     = regexp.MustCompile(`^arn:aws[a-z-]*:iam::\d{12}:role/(?:[\x21-\x7E]*/)?` + flowlogs.CrossAccountRolePrefix + `[\w+=,.@-]*$`)
	roleNameCtxPattern = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)
)

var resourceSettings = []setting{
	{"vpcId", "an existing VPC's ID (vpc-…) to log instead of creating one; needs account and region; vpcCidr, maxAzs and natGateways then do not apply (default: a new VPC)",
		matching(vpcIDPattern, "a VPC ID such as vpc-0123456789abcdef0", func(c *Config, s string) { c.VpcID = s })},
	{"firehoseStreamArn", "the Direct PUT Firehose stream of the firehose destination, arn:aws:firehose:REGION:ACCOUNT:deliverystream/NAME (default: one is created, writing to a hardened S3 bucket)",
		matching(streamArnPattern, "arn:aws:firehose:REGION:ACCOUNT:deliverystream/NAME", func(c *Config, s string) { c.FirehoseStreamArn = s })},
	{"firehoseCrossAccountRoleArn", "for a stream in another account: that account's role, arn:aws:iam::ACCOUNT:role/" + flowlogs.CrossAccountRolePrefix + "… (default: for a stream in another account, with account given, the role the FirehoseDestination stack creates for this account and source role)",
		matching(roleArnPattern, "arn:aws:iam::ACCOUNT:role/"+flowlogs.CrossAccountRolePrefix+"…", func(c *Config, s string) { c.FirehoseCrossAccountRoleArn = s })},
	{"firehoseSourceRoleName", "for cross-account delivery: the name of the source role created here (default <stackName>-FirehoseSource-<region>, e.g. " + DefaultFirehoseSourceRoleName("VpcFlowLogs", "eu-west-1") + ")",
		matching(roleNameCtxPattern, "1-64 letters, digits and +=,.@_-", func(c *Config, s string) { c.FirehoseSourceRoleName = s })},
	{"firehoseDestinationFor", "a source account ID: also synthesize the FirehoseDestination stack (stream and " + flowlogs.CrossAccountRolePrefix + " role) to deploy in the stream's account (default none)",
		matching(accountPattern, "a 12-digit account ID", func(c *Config, s string) { c.FirehoseDestinationFor = s })},
	{"ecsPermissionsRoleArn", "for a logFormat with ECS fields: the role CloudFormation deploys with, which is granted the ecs:List* permissions AWS requires of whoever creates the flow log (default none)",
		matching(iamRoleArnPattern, "arn:aws:iam::ACCOUNT:role/NAME", func(c *Config, s string) { c.ECSPermissionsRoleArn = s })},
	{"ecsPermissionsGranted", "true or false: for a logFormat with ECS fields, the deploying role already has the ecs:List* permissions, e.g. cdk bootstrap's default AdministratorAccess execution role (default false)", func(c *Config, raw any) (err error) {
		c.ECSPermissionsGranted, err = asBool(raw)
		return err
	}},
}

var iamRoleArnPattern = regexp.MustCompile(`^arn:aws[a-z-]*:iam::\d{12}:role/(?:[\x21-\x7E]*/)?[\w+=,.@-]{1,64}$`)

func init() { settings = append(settings, resourceSettings...) }

// validateResourceConfig checks the settings above against each other and the rest of c.
func validateResourceConfig(c *Config) []error {
	var errs []error
	if c.VpcID != "" && (c.Account == "" || c.Region == "") {
		errs = append(errs, fmt.Errorf("context vpcId=%q needs account and region: an existing VPC is looked up in one account and Region (Vpc.fromLookup)", c.VpcID))
	}
	firehose := slices.Contains(c.Destinations, DestinationFirehose)
	if !firehose && (c.FirehoseStreamArn != "" || c.FirehoseCrossAccountRoleArn != "" || (c.FirehoseSourceRoleName != "" && c.FirehoseDestinationFor == "")) {
		errs = append(errs, fmt.Errorf("context firehose* settings are given but destinations=%s has no firehose; add firehose or drop them", strings.Join(c.Destinations, ",")))
	}
	if m := streamArnPattern.FindStringSubmatch(c.FirehoseStreamArn); firehose && m != nil && c.Account == "" && c.FirehoseCrossAccountRoleArn == "" {
		errs = append(errs, fmt.Errorf("context firehoseStreamArn=%q is in account %s, but account is not set, so whether delivery crosses accounts cannot be checked "+
			"(another account's stream needs the two roles of cross-account delivery); set -c account=ACCOUNT", c.FirehoseStreamArn, m[1]))
	}
	if c.FirehoseCrossAccountRoleArn != "" && c.FirehoseStreamArn == "" {
		errs = append(errs, fmt.Errorf("context firehoseCrossAccountRoleArn needs firehoseStreamArn: the stream in the other account"))
	}
	if c.FirehoseSourceRoleName != "" && c.CrossAccountRoleArn() == "" && c.FirehoseDestinationFor == "" {
		errs = append(errs, fmt.Errorf("context firehoseSourceRoleName is for cross-account delivery; set firehoseCrossAccountRoleArn (or firehoseDestinationFor) too, or drop it"))
	}
	if ecs := flowlogs.ECSActions(c.LogFormat); len(ecs) > 0 && c.ECSPermissionsRoleArn == "" && !c.ECSPermissionsGranted {
		errs = append(errs, fmt.Errorf("context logFormat has ECS fields, which AWS records only when whoever creates the flow log may call %s "+
			"(https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html); set ecsPermissionsRoleArn to the role CloudFormation deploys with "+
			"to have them granted, or ecsPermissionsGranted=true if it has them (cdk bootstrap's default execution role does)", strings.Join(ecs, ", ")))
	}
	return errs
}
