package flowlogs

import (
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

	// The ARNs of the Firehose streams in this account that the flow logs deliver to: the role may
	// tag them LogDeliveryEnabled=true. Required.
	DeliveryStreamArns *[]*string

	// What follows AWSLogDeliveryFirehoseCrossAccountRole in the role's name, e.g. "-prod" (the
	// name may be 64 characters long).
	//
	// Default: - "": the role is named AWSLogDeliveryFirehoseCrossAccountRole.
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
)

// NewCrossAccountDeliveryRole creates the destination-account role of
// https://docs.aws.amazon.com/vpc/latest/userguide/firehose-cross-account-delivery.html: named
// AWSLogDeliveryFirehoseCrossAccountRole…, trusted by the source account's role, and allowed to
// create log delivery's service-linked role and to tag the streams. AWS's example grants both on
// "*"; here iam:CreateServiceLinkedRole is limited to AWSServiceRoleForLogDelivery
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-V2-Firehose.html)
// and firehose:TagDeliveryStream to the given streams. It panics with a message naming the prop
// when a prop is invalid.
func NewCrossAccountDeliveryRole(scope constructs.Construct, id *string, props *CrossAccountDeliveryRoleProps) CrossAccountDeliveryRole {
	var p CrossAccountDeliveryRoleProps
	if props != nil {
		p = *props
	}
	if err := validateCrossAccount(&p); err != nil {
		panic(err.Error())
	}
	this := &crossAccountDeliveryRole{}
	constructs.NewConstruct_Override(this, scope, id)
	stack := awscdk.Stack_Of(this)
	suffix := ""
	if p.RoleNameSuffix != nil {
		suffix = *p.RoleNameSuffix
	}
	source := fmt.Sprintf("arn:%s:iam::%s:role/%s", *stack.Partition(), *p.SourceAccount, *p.SourceRoleName)
	role := awsiam.NewRole(this, jsii.String("Role"), &awsiam.RoleProps{
		RoleName:    jsii.String(CrossAccountRolePrefix + suffix),
		AssumedBy:   awsiam.NewArnPrincipal(jsii.String(source)),
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
	if p.RoleNameSuffix != nil && (!suffixPattern.MatchString(*p.RoleNameSuffix) || len(CrossAccountRolePrefix)+len(*p.RoleNameSuffix) > 64) {
		return fmt.Errorf("flowlogs: CrossAccountDeliveryRoleProps.RoleNameSuffix %q is not allowed; use at most %d letters, digits and +=,.@_-", *p.RoleNameSuffix, 64-len(CrossAccountRolePrefix))
	}
	return nil
}
