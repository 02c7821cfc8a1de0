package flowlogs

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskinesisfirehose"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/logstream"
)

// Firehose delivery facts, from the Amazon VPC User Guide, "Publish flow logs to Amazon Data
// Firehose" (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-firehose.html) and "IAM
// roles for cross account delivery"
// (https://docs.aws.amazon.com/vpc/latest/userguide/firehose-cross-account-delivery.html).
const (
	// LogDeliveryPrincipal is the service that delivers flow logs to Firehose and assumes the
	// source-account role of a cross-account delivery.
	LogDeliveryPrincipal = "delivery.logs.amazonaws.com"
	// LogDeliveryEnabledTag is the tag a stream needs, with the value "true", before the
	// service-linked role AWSServiceRoleForLogDelivery may put records into it
	// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-Firehose.html).
	LogDeliveryEnabledTag = "LogDeliveryEnabled"
	// CrossAccountRolePrefix starts the name of every destination-account role.
	CrossAccountRolePrefix = "AWSLogDeliveryFirehoseCrossAccountRole"
)

// SourceRoleLogDeliveryActions are the CloudWatch Logs delivery actions AWS's source-account role
// grants, on "*" as AWS writes them: they act on log deliveries, which have no ARN of their own
// to name (https://docs.aws.amazon.com/vpc/latest/userguide/firehose-cross-account-delivery.html).
var SourceRoleLogDeliveryActions = []string{"logs:CreateLogDelivery", "logs:DeleteLogDelivery", "logs:ListLogDeliveries", "logs:GetLogDelivery"}

// DeliveryStream is a Firehose stream given as a construct: awskinesisfirehose.IDeliveryStream
// and logstream.LogDeliveryStream both are one.
type DeliveryStream interface {
	constructs.IConstruct
	DeliveryStreamArn() *string
}

// FirehoseDestination delivers to an Amazon Data Firehose stream of type Direct PUT, as plain
// text without a header line. The stream is in this account (DeliveryStream, or
// DeliveryStreamArn), or in another account (DeliveryStreamArn with CrossAccountRoleArn).
//
// In this account, log delivery writes through the service-linked role
// AWSServiceRoleForLogDelivery, which may only write to streams tagged LogDeliveryEnabled=true;
// AWS adds that tag when the flow log is created, so whoever deploys needs
// logs:CreateLogDelivery, firehose:TagDeliveryStream and, the first time,
// iam:CreateServiceLinkedRole. A stream defined in this app is checked (Direct PUT, no other
// LogDeliveryEnabled value) and tagged here.
//
// In another account, the flow log names two roles, as EC2 requires: this account's source role
// (DeliverLogsPermissionArn), which log delivery assumes, and the destination account's role
// (DeliverCrossAccountRole), whose name starts with AWSLogDeliveryFirehoseCrossAccountRole and
// which trusts the source role; deploy NewCrossAccountDeliveryRole there. With its default name,
// CrossAccountRoleArn(streamAccount, thisAccount, SourceRoleName) is that role's ARN, so this side
// needs no output of that stack; deploy that stack first, since the flow log is created against
// its stream and role.
type FirehoseDestination struct {
	// The destination's child ID.
	//
	// Default: - "Firehose".
	Id *string

	// This flow log's own settings.
	//
	// Default: - the FlowLogsProps settings.
	FlowLogOptions

	// The stream, when it is in this account: a logstream.LogDeliveryStream, an
	// awskinesisfirehose.DeliveryStream, or one imported by ARN. Give at most one of
	// DeliveryStream and DeliveryStreamArn.
	//
	// Default: - DeliveryStreamArn's stream, or else a logstream.LogDeliveryStream created from
	// StreamProps (child ID "Stream").
	DeliveryStream DeliveryStream

	// The stream's ARN (arn:aws:firehose:REGION:ACCOUNT:deliverystream/NAME).
	//
	// Default: - DeliveryStream, or the stream created from StreamProps.
	DeliveryStreamArn *string

	// Props for the stream created when neither DeliveryStream nor DeliveryStreamArn is given: a
	// Direct PUT stream to an S3 bucket hardened like the flow-log bucket.
	//
	// Default: - logstream's defaults.
	StreamProps *logstream.LogDeliveryStreamProps

	// For a stream in another account: the ARN of the role there that log delivery assumes (its
	// name starts with AWSLogDeliveryFirehoseCrossAccountRole; NewCrossAccountDeliveryRole
	// creates it). Setting it makes the delivery cross-account.
	//
	// Default: - none: the stream is in this account.
	CrossAccountRoleArn *string

	// For cross-account delivery: the source role that log delivery assumes in this account. A role
	// with a path (role/team/Src) needs the same path on the destination side
	// (CrossAccountDeliveryRoleProps.SourceRolePath), whose trust names the role's full ARN.
	//
	// Default: - a role named SourceRoleName is created (child ID "SourceRole") with the
	// permissions AWS documents, PassRole limited to log delivery and to the flow log's resource.
	SourceRole awsiam.IRole

	// For cross-account delivery: the name of the source role created when SourceRole is nil. The
	// destination account's role trusts it by this name (aws:PrincipalArn) and is named after it
	// (CrossAccountRoleName), so it is fixed rather than generated.
	//
	// Default: - none; required when CrossAccountRoleArn is set and SourceRole is nil.
	SourceRoleName *string
}

func (d *FirehoseDestination) id() string               { return idOr(d.Id, "Firehose") }
func (d *FirehoseDestination) options() *FlowLogOptions { return &d.FlowLogOptions }

var (
	streamArnPattern = regexp.MustCompile(`^arn:aws[a-z-]*:firehose:[a-z0-9-]+:(\d{12}):deliverystream/[A-Za-z0-9_.-]{1,64}$`)
	roleArnPattern   = regexp.MustCompile(`^arn:aws[a-z-]*:iam::(\d{12}):role/(?:[\x21-\x7E]*/)?([\w+=,.@-]{1,64})$`)
	roleNamePattern  = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)
	// A role ARN with a path (role/PATH/NAME): the path with its slashes.
	rolePathArnPattern = regexp.MustCompile(`^arn:aws[a-z-]*:iam::\d{12}:role(/[\x21-\x7E]*/)[\w+=,.@-]{1,64}$`)
)

func resolved(s *string) bool {
	return s != nil && (awscdk.Token_IsUnresolved(s) == nil || !*awscdk.Token_IsUnresolved(s))
}

func (d *FirehoseDestination) streamArn() *string {
	if d.DeliveryStream != nil {
		return d.DeliveryStream.DeliveryStreamArn()
	}
	return d.DeliveryStreamArn
}

func (d *FirehoseDestination) validate(stack awscdk.Stack) error {
	switch {
	case d.DeliveryStream != nil && d.DeliveryStreamArn != nil:
		return fmt.Errorf("flowlogs: FirehoseDestination has both DeliveryStream and DeliveryStreamArn; give one")
	case d.StreamProps != nil && (d.DeliveryStream != nil || d.DeliveryStreamArn != nil):
		return fmt.Errorf("flowlogs: FirehoseDestination.StreamProps is given with a stream; StreamProps configures the stream created when none is given")
	case d.CrossAccountRoleArn != nil && d.DeliveryStreamArn == nil:
		return fmt.Errorf("flowlogs: FirehoseDestination.CrossAccountRoleArn is given without DeliveryStreamArn; give the ARN of the stream in the other account")
	}
	streamAccount := ""
	if arn := d.streamArn(); resolved(arn) {
		m := streamArnPattern.FindStringSubmatch(*arn)
		if m == nil {
			return fmt.Errorf("flowlogs: FirehoseDestination.DeliveryStreamArn %q is not allowed; use arn:aws:firehose:REGION:ACCOUNT:deliverystream/NAME", *arn)
		}
		streamAccount = m[1]
	}
	stackAccount := ""
	if resolved(stack.Account()) {
		stackAccount = *stack.Account()
	}
	if d.CrossAccountRoleArn == nil {
		if d.SourceRole != nil || d.SourceRoleName != nil {
			return fmt.Errorf("flowlogs: FirehoseDestination.SourceRole/SourceRoleName are for cross-account delivery; set CrossAccountRoleArn too, or drop them")
		}
		if streamAccount != "" && stackAccount == "" {
			// EC2 needs DeliverLogsPermissionArn (and DeliverCrossAccountRole) for another
			// account's stream
			// (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateFlowLogs.html):
			// without the stack's account, this flow log would be created without them.
			return fmt.Errorf("flowlogs: FirehoseDestination.DeliveryStreamArn is in account %s, but this stack has no account (environment-agnostic), "+
				"so whether delivery crosses accounts cannot be checked; give the stack its account (StackProps.Env.Account), "+
				"or CrossAccountRoleArn for a stream in another account", streamAccount)
		}
		if streamAccount != "" && stackAccount != "" && streamAccount != stackAccount {
			return fmt.Errorf("flowlogs: FirehoseDestination.DeliveryStreamArn is in account %s, not this stack's %s; cross-account delivery needs CrossAccountRoleArn, "+
				"the %s… role in that account (https://docs.aws.amazon.com/vpc/latest/userguide/firehose-cross-account-delivery.html)", streamAccount, stackAccount, CrossAccountRolePrefix)
		}
		return d.checkVisibleStream()
	}
	if d.DeliveryStream != nil {
		return fmt.Errorf("flowlogs: FirehoseDestination.DeliveryStream is for a stream in this account; for cross-account delivery give DeliveryStreamArn")
	}
	if resolved(d.CrossAccountRoleArn) {
		m := roleArnPattern.FindStringSubmatch(*d.CrossAccountRoleArn)
		if m == nil {
			return fmt.Errorf("flowlogs: FirehoseDestination.CrossAccountRoleArn %q is not allowed; use arn:aws:iam::ACCOUNT:role/%s…", *d.CrossAccountRoleArn, CrossAccountRolePrefix)
		}
		if !strings.HasPrefix(m[2], CrossAccountRolePrefix) {
			return fmt.Errorf("flowlogs: FirehoseDestination.CrossAccountRoleArn names role %q; AWS requires the destination role's name to start with %s "+
				"(https://docs.aws.amazon.com/vpc/latest/userguide/firehose-cross-account-delivery.html)", m[2], CrossAccountRolePrefix)
		}
		if streamAccount != "" && m[1] != streamAccount {
			return fmt.Errorf("flowlogs: FirehoseDestination.CrossAccountRoleArn is in account %s but the stream is in %s; the role must be in the stream's account", m[1], streamAccount)
		}
		if stackAccount != "" && m[1] == stackAccount {
			return fmt.Errorf("flowlogs: FirehoseDestination.CrossAccountRoleArn is in this stack's account %s; for a stream in this account drop CrossAccountRoleArn", stackAccount)
		}
	}
	if d.SourceRole == nil {
		if d.SourceRoleName == nil {
			return fmt.Errorf("flowlogs: FirehoseDestination.SourceRoleName is required for cross-account delivery without a SourceRole: the destination account's role trusts the source role by name")
		}
		if resolved(d.SourceRoleName) && !roleNamePattern.MatchString(*d.SourceRoleName) {
			return fmt.Errorf("flowlogs: FirehoseDestination.SourceRoleName %q is not allowed; use 1-64 letters, digits and +=,.@_-", *d.SourceRoleName)
		}
		if resolved(d.SourceRoleName) {
			if err := checkRoleNameFree(stack, *d.SourceRoleName, "FirehoseDestination.SourceRoleName"); err != nil {
				return err
			}
		}
	}
	return nil
}

// visibleStream is the CfnDeliveryStream behind d.DeliveryStream when it is defined in this app:
// the default child of a logstream.LogDeliveryStream or of CDK's
// awskinesisfirehose.DeliveryStream, found through the construct tree (the L2's
// DeliveryStreamArn is a token of its own, not the L1's AttrArn); nil for an imported stream.
func (d *FirehoseDestination) visibleStream() awskinesisfirehose.CfnDeliveryStream {
	if d.DeliveryStream == nil {
		return nil
	}
	if cfn, ok := d.DeliveryStream.Node().DefaultChild().(awskinesisfirehose.CfnDeliveryStream); ok && cfn != nil {
		return cfn
	}
	return nil
}

// checkVisibleStream holds a stream defined in this app to what flow-log delivery needs, at
// construction: see streamProblems.
func (d *FirehoseDestination) checkVisibleStream() error {
	cfn := d.visibleStream()
	if cfn == nil {
		return nil
	}
	if problems := streamProblems(cfn); len(problems) > 0 {
		return fmt.Errorf("flowlogs: FirehoseDestination.DeliveryStream %s", problems[0])
	}
	return nil
}

// streamProblems are what keeps flow logs from delivering to cfn: a type other than Direct PUT
// (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-firehose.html) or a
// LogDeliveryEnabled tag other than "true", the only value log delivery's service-linked role
// writes under
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-V2-Firehose.html).
func streamProblems(cfn awskinesisfirehose.CfnDeliveryStream) []string {
	var problems []string
	if t := cfn.DeliveryStreamType(); t != nil && *t != "DirectPut" {
		problems = append(problems, fmt.Sprintf("has DeliveryStreamType %q; flow logs deliver only to Direct PUT streams (DirectPut)", *t))
	}
	// Tags given as the resource's property (TagsRaw) and tags set through Tags.of / SetTag;
	// the tag manager's values win, as in the template.
	values := map[string]*string{}
	if raw := cfn.TagsRaw(); raw != nil {
		for _, t := range *raw {
			values[*t.Key] = t.Value
		}
	}
	for k, v := range *cfn.Tags().TagValues() {
		values[k] = v
	}
	if v, ok := values[LogDeliveryEnabledTag]; ok && (v == nil || *v != "true") {
		problems = append(problems, fmt.Sprintf("has tag %s=%q; log delivery's service-linked role writes only to streams tagged %s=true", LogDeliveryEnabledTag, deref(v), LogDeliveryEnabledTag))
	}
	return problems
}

// streamValidation checks the stream again when the app synthesizes: Tags.of and other aspects
// only tag resources then, after NewFlowLogs has returned.
type streamValidation struct {
	cfn awskinesisfirehose.CfnDeliveryStream
}

func (v *streamValidation) Validate() *[]*string {
	var out []*string
	for _, p := range streamProblems(v.cfn) {
		out = append(out, jsii.String("flowlogs: FirehoseDestination.DeliveryStream "+*v.cfn.Node().Path()+" "+p))
	}
	return &out
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func (d *FirehoseDestination) bind(scope constructs.Construct, props *awsec2.CfnFlowLogProps, res *Resource) bound {
	var b bound
	if d.DeliveryStream == nil && d.DeliveryStreamArn == nil {
		created := *d
		created.DeliveryStream = logstream.NewLogDeliveryStream(scope, jsii.String("Stream"), d.StreamProps)
		d = &created
	}
	stack := awscdk.Stack_Of(scope)
	props.LogDestinationType = jsii.String("kinesis-data-firehose")
	b.streamArn = inStackPartition(stack, d.streamArn())
	props.LogDestination = b.streamArn
	if d.CrossAccountRoleArn == nil {
		if cfn := d.visibleStream(); cfn != nil {
			// The tag AWS would add on first delivery, in the template, so that a stack update
			// cannot remove it and the service-linked role may write at once.
			cfn.Tags().SetTag(jsii.String(LogDeliveryEnabledTag), jsii.String("true"), nil, nil)
			scope.Node().AddValidation(&streamValidation{cfn: cfn})
		} else {
			awscdk.Annotations_Of(scope).AddInfo(jsii.String("this stream is not defined in this app, so its " + LogDeliveryEnabledTag +
				"=true tag cannot be checked: log delivery tags it when the flow log is created, which needs firehose:TagDeliveryStream " +
				"(https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-Firehose.html)"))
		}
		return b
	}
	role := d.SourceRole
	if role == nil {
		created, policy := newSourceRole(scope, *d.SourceRoleName, inStackPartition(stack, d.CrossAccountRoleArn), res)
		role = created
		b.dependsOn = append(b.dependsOn, policy)
	} else {
		if arn := role.RoleArn(); resolved(arn) {
			if m := rolePathArnPattern.FindStringSubmatch(*arn); m != nil {
				awscdk.Annotations_Of(scope).AddInfo(jsii.String(fmt.Sprintf("FirehoseDestination.SourceRole has the path %s: the destination account's role must trust "+
					"its full ARN (aws:PrincipalArn includes the path), so give NewCrossAccountDeliveryRole there SourceRolePath %q", m[1], m[1])))
			}
		}
		if c, ok := role.(constructs.Construct); ok {
			for _, child := range *c.Node().Children() {
				if *child.Node().Id() != "Resource" {
					b.dependsOn = append(b.dependsOn, child)
				}
			}
		}
	}
	b.role = role
	// Both roles, as EC2 CreateFlowLogs requires for cross-account Firehose
	// (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateFlowLogs.html); CDK's own
	// ec2.FlowLog never sets DeliverCrossAccountRole.
	props.DeliverLogsPermissionArn = role.RoleArn()
	props.DeliverCrossAccountRole = inStackPartition(stack, d.CrossAccountRoleArn)
	return b
}

// inStackPartition writes a literal ARN with the stack's partition (Ref AWS::Partition), like
// every other ARN in the template: a stream or role of another account is in the same partition,
// since delivery cannot cross partitions. Tokens are returned as they are.
func inStackPartition(stack awscdk.Stack, arn *string) *string {
	if !resolved(arn) {
		return arn
	}
	c := awscdk.Arn_Split(arn, awscdk.ArnFormat_SLASH_RESOURCE_NAME)
	c.Partition = nil
	return stack.FormatArn(c)
}

// newSourceRole is the source-account role of
// https://docs.aws.amazon.com/vpc/latest/userguide/firehose-cross-account-delivery.html: trusted
// by log delivery; allowed to pass itself only to log delivery and only for the flow log's
// resource, to manage log deliveries, and to assume the destination account's role.
//
// AWS's example trust policy names delivery.logs.amazonaws.com without a condition. The trust
// here adds aws:SourceAccount (this account), which IAM recommends in a service principal's
// trust against the cross-service confused deputy
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html) and which log delivery
// sends: AWS's bucket policies for it condition on aws:SourceAccount
// (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3.html). No aws:SourceArn: AWS
// documents its value for log delivery only in bucket and key policies
// (arn:aws:logs:REGION:ACCOUNT:*), not for assuming a role, and a wrong guess would stop delivery.
func newSourceRole(scope constructs.Construct, name string, destinationRoleArn *string, res *Resource) (awsiam.Role, awsiam.ManagedPolicy) {
	stack := awscdk.Stack_Of(scope)
	// Again here: two destinations of one FlowLogs construct pass validate before either role exists.
	if err := checkRoleNameFree(scope, name, "FirehoseDestination.SourceRoleName"); err != nil {
		panic(err.Error())
	}
	role := awsiam.NewRole(scope, jsii.String("SourceRole"), &awsiam.RoleProps{
		RoleName: jsii.String(name),
		AssumedBy: awsiam.NewServicePrincipal(jsii.String(LogDeliveryPrincipal), &awsiam.ServicePrincipalOpts{
			Conditions: &map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": stack.Account()}},
		}),
		Description: jsii.String("Lets log delivery publish this account's flow logs to a Firehose stream in another account"),
	})
	policy := awsiam.NewManagedPolicy(scope, jsii.String("SourceRolePolicy"), &awsiam.ManagedPolicyProps{
		Description: jsii.String("Cross-account flow-log delivery to Firehose, as the source-account role AWS documents"),
		Roles:       &[]awsiam.IRole{role},
		Statements: &[]awsiam.PolicyStatement{
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Sid:       jsii.String("PassOnlyToLogDeliveryForThisResource"),
				Actions:   jsii.Strings("iam:PassRole"),
				Resources: &[]*string{role.RoleArn()},
				Conditions: &map[string]any{
					"StringEquals": map[string]any{"iam:PassedToService": LogDeliveryPrincipal},
					"StringLike":   map[string]any{"iam:AssociatedResourceARN": []any{res.Arn(stack)}},
				},
			}),
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Sid:       jsii.String("ManageLogDeliveries"),
				Actions:   jsii.Strings(SourceRoleLogDeliveryActions...),
				Resources: jsii.Strings("*"),
			}),
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Sid:       jsii.String("AssumeDestinationRole"),
				Actions:   jsii.Strings("sts:AssumeRole"),
				Resources: &[]*string{destinationRoleArn},
			}),
		},
	})
	return role, policy
}
