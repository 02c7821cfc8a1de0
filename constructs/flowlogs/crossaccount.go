package flowlogs

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// CrossAccountDeliveryRoleProps configures a CrossAccountDeliveryRole.
type CrossAccountDeliveryRoleProps struct {
	// The account whose flow logs are delivered (the source account). Required.
	SourceAccount *string

	// The name of the source account's role (FirehoseDestination.SourceRoleName there). Required.
	SourceRoleName *string

	// The source role's path, for a source role created with one (an imported
	// FirehoseDestination.SourceRole such as arn:aws:iam::111111111111:role/team/Src has the path
	// "/team/"): aws:PrincipalArn is the role's ARN with its path
	// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn),
	// so the trust names role/PATH/NAME.
	//
	// Default: - "/": no path, as FirehoseDestination creates its source role.
	SourceRolePath *string

	// The ARNs of the Firehose streams in this account that the flow logs deliver to: the role may
	// tag them LogDeliveryEnabled=true. Required.
	DeliveryStreamArns *[]*string

	// What follows AWSLogDeliveryFirehoseCrossAccountRole in the role's name, e.g. "-prod" (the
	// name may be 64 characters long). Give the source side the same name: its
	// FirehoseDestination.CrossAccountRoleArn then ends in role/AWSLogDeliveryFirehoseCrossAccountRole
	// followed by this suffix.
	//
	// Default: - the suffix CrossAccountRoleName derives from SourceAccount and SourceRoleName, so
	// that each source role has its own destination role (IAM role names are unique per account)
	// and the source side can compute the same name (CrossAccountRoleArn).
	RoleNameSuffix *string
}

// CrossAccountDeliveryRole is the destination account's side of cross-account flow-log delivery
// to Firehose: the role that the source account's role assumes, in a stack deployed in the
// account that owns the stream.
type CrossAccountDeliveryRole interface {
	constructs.Construct
	// Role is the role (child ID "Role"); give its ARN to FirehoseDestination.CrossAccountRoleArn
	// in the source account.
	Role() awsiam.Role
	// Policy is its permissions (child ID "Policy").
	Policy() awsiam.ManagedPolicy
}

type crossAccountDeliveryRole struct {
	constructs.Construct
	role   awsiam.Role
	policy awsiam.ManagedPolicy
}

func (r *crossAccountDeliveryRole) Role() awsiam.Role            { return r.role }
func (r *crossAccountDeliveryRole) Policy() awsiam.ManagedPolicy { return r.policy }

var (
	accountPattern = regexp.MustCompile(`^\d{12}$`)
	suffixPattern  = regexp.MustCompile(`^[\w+=,.@-]*$`)
	// An IAM path: "/", or "/" then printable ASCII ending in "/", at most 512 characters
	// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html).
	rolePathPattern = regexp.MustCompile(`^/(?:[\x21-\x7E]{0,510}/)?$`)
)

// CrossAccountRoleName is the name NewCrossAccountDeliveryRole gives the destination role of a
// source account's role by default: CrossAccountRolePrefix, "-", the source account and "-" with
// the first 8 hex digits of the SHA-256 of the source role's name, e.g.
// AWSLogDeliveryFirehoseCrossAccountRole-111111111111-5f2b1c9e (60 characters; IAM allows 64,
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html). IAM role names are
// unique per account, so a fixed name would allow one destination role per account: this one
// differs for every source account and source role, and both sides compute it from the same two
// inputs (the destination stack from its SourceAccount and SourceRoleName props, the source app
// from its own account and FirehoseDestination.SourceRoleName).
func CrossAccountRoleName(sourceAccount, sourceRoleName string) string {
	sum := sha256.Sum256([]byte(sourceRoleName))
	return CrossAccountRolePrefix + "-" + sourceAccount + "-" + hex.EncodeToString(sum[:4])
}

// CrossAccountRoleArn is the ARN of the destination role that NewCrossAccountDeliveryRole
// creates by default in destinationAccount for the source role sourceRoleName of sourceAccount
// (see CrossAccountRoleName): the value of FirehoseDestination.CrossAccountRoleArn on the source
// side. The partition is "aws"; FirehoseDestination writes it with the stack's partition.
func CrossAccountRoleArn(destinationAccount, sourceAccount, sourceRoleName string) string {
	return "arn:aws:iam::" + destinationAccount + ":role/" + CrossAccountRoleName(sourceAccount, sourceRoleName)
}

// NewCrossAccountDeliveryRole creates the destination-account role of
// https://docs.aws.amazon.com/vpc/latest/userguide/firehose-cross-account-delivery.html: named
// AWSLogDeliveryFirehoseCrossAccountRole… (CrossAccountRoleName), trusted by the source account's
// role, and allowed to create log delivery's service-linked role and to tag the streams. AWS's
// example grants both on "*"; here iam:CreateServiceLinkedRole is limited to
// AWSServiceRoleForLogDelivery
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-V2-Firehose.html)
// and firehose:TagDeliveryStream to the given streams.
//
// AWS's example trust policy names the source role's ARN as the principal. IAM rejects a trust
// policy whose principal is a role that does not exist yet (MalformedPolicyDocument "Invalid
// principal in policy"; it stores a role principal as the role's unique ID,
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles),
// so that policy forces the source account to deploy first, although the source account's
// flow log needs this role to exist. Here the principal is the source account
// (arn:aws:iam::SOURCE:root) and the condition aws:PrincipalArn (ArnEquals) admits only the
// source role
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn):
// the same callers, but the role deploys before or after the source role, and keeps trusting a
// source role that is deleted and re-created. It panics with a message naming the prop when a
// prop is invalid.
func NewCrossAccountDeliveryRole(scope constructs.Construct, id *string, props *CrossAccountDeliveryRoleProps) CrossAccountDeliveryRole {
	var p CrossAccountDeliveryRoleProps
	if props != nil {
		p = *props
	}
	if err := validateCrossAccount(&p); err != nil {
		panic(err.Error())
	}
	name := CrossAccountRoleName(*p.SourceAccount, *p.SourceRoleName)
	if p.RoleNameSuffix != nil {
		name = CrossAccountRolePrefix + *p.RoleNameSuffix
	}
	if err := checkRoleNameFree(scope, name, "CrossAccountDeliveryRole's role name"); err != nil {
		panic(err.Error())
	}
	this := &crossAccountDeliveryRole{}
	constructs.NewConstruct_Override(this, scope, id)
	stack := awscdk.Stack_Of(this)
	path := "/"
	if p.SourceRolePath != nil {
		path = *p.SourceRolePath
	}
	source := fmt.Sprintf("arn:%s:iam::%s:role%s%s", *stack.Partition(), *p.SourceAccount, path, *p.SourceRoleName)
	trusted := awsiam.NewPrincipalWithConditions(awsiam.NewAccountPrincipal(p.SourceAccount), &map[string]any{
		"ArnEquals": map[string]any{"aws:PrincipalArn": source},
	})
	role := awsiam.NewRole(this, jsii.String("Role"), &awsiam.RoleProps{
		RoleName:    jsii.String(name),
		AssumedBy:   trusted,
		Description: jsii.String("Lets flow logs of account " + *p.SourceAccount + " be delivered to this account's Firehose streams"),
	})
	linkedRole := stack.FormatArn(&awscdk.ArnComponents{
		Service: jsii.String("iam"), Region: jsii.String(""), Resource: jsii.String("role"),
		ResourceName: jsii.String("aws-service-role/" + LogDeliveryPrincipal + "/AWSServiceRoleForLogDelivery"),
	})
	policy := awsiam.NewManagedPolicy(this, jsii.String("Policy"), &awsiam.ManagedPolicyProps{
		Description: jsii.String("Cross-account flow-log delivery to Firehose, as the destination-account role AWS documents"),
		Roles:       &[]awsiam.IRole{role},
		Statements: &[]awsiam.PolicyStatement{
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Sid:        jsii.String("CreateLogDeliveryServiceLinkedRole"),
				Actions:    jsii.Strings("iam:CreateServiceLinkedRole"),
				Resources:  &[]*string{linkedRole},
				Conditions: &map[string]any{"StringLike": map[string]any{"iam:AWSServiceName": LogDeliveryPrincipal}},
			}),
			awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Sid:       jsii.String("TagStreamsForLogDelivery"),
				Actions:   jsii.Strings("firehose:TagDeliveryStream"),
				Resources: p.DeliveryStreamArns,
			}),
		},
	})
	this.role, this.policy = role, policy
	return this
}

func validateCrossAccount(p *CrossAccountDeliveryRoleProps) error {
	switch {
	case p.SourceAccount == nil || !accountPattern.MatchString(*p.SourceAccount):
		return fmt.Errorf("flowlogs: CrossAccountDeliveryRoleProps.SourceAccount %q is not allowed; give the 12-digit ID of the account whose flow logs are delivered", deref(p.SourceAccount))
	case p.SourceRoleName == nil || !roleNamePattern.MatchString(*p.SourceRoleName):
		return fmt.Errorf("flowlogs: CrossAccountDeliveryRoleProps.SourceRoleName %q is not allowed; give the source role's name (1-64 letters, digits and +=,.@_-)", deref(p.SourceRoleName))
	case p.DeliveryStreamArns == nil || len(*p.DeliveryStreamArns) == 0:
		return fmt.Errorf("flowlogs: CrossAccountDeliveryRoleProps.DeliveryStreamArns is empty; give the streams the flow logs deliver to")
	}
	if p.SourceRolePath != nil && !rolePathPattern.MatchString(*p.SourceRolePath) {
		return fmt.Errorf("flowlogs: CrossAccountDeliveryRoleProps.SourceRolePath %q is not allowed; give an IAM path that starts and ends with \"/\", e.g. \"/team/\"", *p.SourceRolePath)
	}
	if p.RoleNameSuffix != nil && (!suffixPattern.MatchString(*p.RoleNameSuffix) || len(CrossAccountRolePrefix)+len(*p.RoleNameSuffix) > 64) {
		return fmt.Errorf("flowlogs: CrossAccountDeliveryRoleProps.RoleNameSuffix %q is not allowed; use at most %d letters, digits and +=,.@_-", *p.RoleNameSuffix, 64-len(CrossAccountRolePrefix))
	}
	return nil
}
