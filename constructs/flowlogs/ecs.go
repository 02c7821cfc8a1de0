package flowlogs

import (
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// ecsActionOf is what AWS names for each ECS field: "To include this field in your subscription,
// you need permission to call ecs:ListClusters" and, for some fields, one more list action
// (https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html, Available fields).
var ecsActionOf = map[flowlog.Field][]string{
	flowlog.ECSClusterARN:           {"ecs:ListClusters"},
	flowlog.ECSClusterName:          {"ecs:ListClusters"},
	flowlog.ECSContainerInstanceARN: {"ecs:ListClusters", "ecs:ListContainerInstances"},
	flowlog.ECSContainerInstanceID:  {"ecs:ListClusters", "ecs:ListContainerInstances"},
	flowlog.ECSContainerID:          {"ecs:ListClusters"},
	flowlog.ECSSecondContainerID:    {"ecs:ListClusters"},
	flowlog.ECSServiceName:          {"ecs:ListClusters", "ecs:ListServices"},
	flowlog.ECSTaskDefinitionARN:    {"ecs:ListClusters", "ecs:ListTaskDefinitions"},
	flowlog.ECSTaskARN:              {"ecs:ListClusters", "ecs:ListTasks"},
	flowlog.ECSTaskID:               {"ecs:ListClusters", "ecs:ListTasks"},
}

// ECSFields are the ECS fields (version 7, ecs-*) of format, in format order.
func ECSFields(format flowlog.Format) []flowlog.Field {
	var out []flowlog.Field
	for _, f := range format.Fields() {
		if _, ok := ecsActionOf[f]; ok {
			out = append(out, f)
		}
	}
	return out
}

// ECSActions are the permissions whoever creates a flow log of format needs for its ECS fields,
// sorted; none when it has no ECS field.
func ECSActions(format flowlog.Format) []string {
	var out []string
	for _, f := range ECSFields(format) {
		for _, a := range ecsActionOf[f] {
			if !slices.Contains(out, a) {
				out = append(out, a)
			}
		}
	}
	slices.Sort(out)
	return out
}

// unscopedECSActions have no resource type and take only "*"
// (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html).
var unscopedECSActions = []string{"ecs:ListClusters", "ecs:ListTaskDefinitions"}

// grantECSPermissions attaches a customer managed policy with actions (from ECSActions) to role,
// the role that creates the flow logs (child ID "ECSFieldPermissions"), and returns it for the
// flow logs to depend on. The list actions with a cluster resource are scoped to this account's
// clusters and container instances; ecs:ListClusters and ecs:ListTaskDefinitions take only "*".
func grantECSPermissions(scope constructs.Construct, role awsiam.IRole, actions []string) awsiam.ManagedPolicy {
	stack := awscdk.Stack_Of(scope)
	var scoped, unscoped []string
	for _, a := range actions {
		if slices.Contains(unscopedECSActions, a) {
			unscoped = append(unscoped, a)
		} else {
			scoped = append(scoped, a)
		}
	}
	var statements []awsiam.PolicyStatement
	if len(scoped) > 0 {
		clusters := stack.FormatArn(&awscdk.ArnComponents{Service: jsii.String("ecs"), Resource: jsii.String("cluster"), ResourceName: jsii.String("*")})
		containerInstances := stack.FormatArn(&awscdk.ArnComponents{Service: jsii.String("ecs"), Resource: jsii.String("container-instance"), ResourceName: jsii.String("*")})
		statements = append(statements, awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("ListWithinClusters"),
			Actions:   jsii.Strings(scoped...),
			Resources: &[]*string{clusters, containerInstances},
		}))
	}
	if len(unscoped) > 0 {
		statements = append(statements, awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("ListClustersAndTaskDefinitions"),
			Actions:   jsii.Strings(unscoped...),
			Resources: jsii.Strings("*"),
		}))
	}
	return awsiam.NewManagedPolicy(scope, jsii.String("ECSFieldPermissions"), &awsiam.ManagedPolicyProps{
		Description: jsii.String("Lets the flow logs' creator read the ECS metadata that ECS flow-log fields record"),
		Roles:       &[]awsiam.IRole{role},
		Statements:  &statements,
	})
}
