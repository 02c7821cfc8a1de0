// Package deliveryrole provides the IAM role that VPC Flow Logs assumes to write records to a
// CloudWatch Logs log group, with least privilege and confused-deputy protection.
package deliveryrole

import (
	"fmt"
	"regexp"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// ServicePrincipal is the service that assumes the role
// (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html).
const ServicePrincipal = "vpc-flow-logs.amazonaws.com"

// Actions are the only permissions the role gets, all on the one log group: create a log stream
// per network interface, describe streams, put events. AWS's example policy adds
// logs:CreateLogGroup, which lets in-flight deliveries re-create a log group you deleted
// (terraform-aws-modules/terraform-aws-vpc#435), and logs:DescribeLogGroups, which CDK's own
// ec2.FlowLog role has never granted while its deployed integration tests deliver records.
var Actions = []string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"}

// DeliveryRoleProps configures a DeliveryRole.
type DeliveryRoleProps struct {
	// The log group the role may write to. Required.
	LogGroup awslogs.ILogGroup

	// The role's name (1-64 characters of letters, digits and +=,.@_-).
	//
	// Default: - a name CloudFormation generates.
	RoleName *string

	// The role's IAM path, starting and ending with "/".
	//
	// Default: - "/".
	Path *string

	// A permissions boundary for the role, for accounts whose policy requires one.
	//
	// Default: - no boundary.
	PermissionsBoundary awsiam.IManagedPolicy
}

// DeliveryRole is the role VPC Flow Logs uses to deliver to CloudWatch Logs.
type DeliveryRole interface {
	constructs.Construct
	// Role is the IAM role (child ID "Role").
	Role() awsiam.Role
	// Policy is the customer managed policy attached to the role (child ID "Policy"). A flow log
	// must depend on it, or its first delivery can fail before the permissions exist.
	Policy() awsiam.ManagedPolicy
}

type deliveryRole struct {
	constructs.Construct
	role   awsiam.Role
	policy awsiam.ManagedPolicy
}

func (r *deliveryRole) Role() awsiam.Role            { return r.role }
func (r *deliveryRole) Policy() awsiam.ManagedPolicy { return r.policy }

var (
	roleNamePattern = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)
	pathPattern     = regexp.MustCompile(`^/([\x21-\x7E]{0,510}/)?$`)
)

// NewDeliveryRole creates the role and its policy. It panics with a message naming the prop when
// a prop is invalid.
func NewDeliveryRole(scope constructs.Construct, id *string, props *DeliveryRoleProps) DeliveryRole {
	var p DeliveryRoleProps
	if props != nil {
		p = *props
	}
	if err := validate(&p); err != nil {
		panic(err.Error())
	}
	this := &deliveryRole{}
	constructs.NewConstruct_Override(this, scope, id)
	stack := awscdk.Stack_Of(this)

	// Confused-deputy protection as the VPC guide recommends
	// (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html): only flow logs of
	// this account and region may assume the role.
	principal := awsiam.NewServicePrincipal(jsii.String(ServicePrincipal), &awsiam.ServicePrincipalOpts{
		Conditions: &map[string]interface{}{
			"StringEquals": map[string]interface{}{"aws:SourceAccount": stack.Account()},
			"ArnLike": map[string]interface{}{
				"aws:SourceArn": fmt.Sprintf("arn:%s:ec2:%s:%s:vpc-flow-log/*", *stack.Partition(), *stack.Region(), *stack.Account()),
			},
		},
	})
	role := awsiam.NewRole(this, jsii.String("Role"), &awsiam.RoleProps{
		AssumedBy:           principal,
		Description:         jsii.String("Lets VPC Flow Logs of this account and region write to one log group"),
		RoleName:            p.RoleName,
		Path:                p.Path,
		PermissionsBoundary: p.PermissionsBoundary,
	})
	// A customer managed policy rather than an inline one: compliance packs (NIST 800-53, HIPAA,
	// PCI) flag inline policies, and AWS managed policies are never scoped to one log group.
	policy := awsiam.NewManagedPolicy(this, jsii.String("Policy"), &awsiam.ManagedPolicyProps{
		Description: jsii.String("Write VPC flow-log records to one CloudWatch Logs log group"),
		Roles:       &[]awsiam.IRole{role},
		Statements: &[]awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:     jsii.String("WriteFlowLogRecords"),
			Actions: jsii.Strings(Actions...),
			// The log group's ARN ends in ":*", which covers its log streams and nothing else.
			Resources: jsii.Strings(*p.LogGroup.LogGroupArn()),
		})},
	})
	this.role, this.policy = role, policy
	return this
}

func validate(p *DeliveryRoleProps) error {
	if p.LogGroup == nil {
		return fmt.Errorf("deliveryrole: LogGroup is nil; give the log group the flow logs deliver to")
	}
	if p.RoleName != nil && !*awscdk.Token_IsUnresolved(p.RoleName) && !roleNamePattern.MatchString(*p.RoleName) {
		return fmt.Errorf("deliveryrole: RoleName %q is not allowed; use 1-64 letters, digits and +=,.@_-", *p.RoleName)
	}
	if p.Path != nil && !*awscdk.Token_IsUnresolved(p.Path) && !pathPattern.MatchString(*p.Path) {
		return fmt.Errorf("deliveryrole: Path %q is not allowed; use \"/\" or a path that starts and ends with \"/\" (printable ASCII, at most 512 characters)", *p.Path)
	}
	return nil
}
