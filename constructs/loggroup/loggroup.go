// Package loggroup provides the CloudWatch Logs log group that VPC flow logs are delivered to:
// explicit retention, optional KMS encryption, a log class, and kept when the stack is deleted.
package loggroup

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// FlowLogGroupProps configures a FlowLogGroup. The zero value is valid.
type FlowLogGroupProps struct {
	// How many days CloudWatch Logs keeps the records. Only the values CloudWatch Logs accepts
	// are allowed (see AllowedRetentionDays); "never expire" is deliberately not offered, since
	// flow logs grow without bound.
	//
	// Default: - 365 days.
	RetentionDays *float64

	// A customer managed KMS key to encrypt the log group with. When the key is defined in the same
	// app, the key policy statement CloudWatch Logs needs is added to it.
	//
	// Default: - CloudWatch Logs' own server-side encryption.
	EncryptionKey awskms.IKey

	// The log class: STANDARD, or INFREQUENT_ACCESS (cheaper ingestion, no metric filters,
	// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CloudWatch_Logs_Log_Classes.html).
	//
	// Default: - STANDARD, so metric filters and alarms on rejected traffic work.
	LogGroupClass awslogs.LogGroupClass

	// The log group's name.
	//
	// Default: - a name CloudFormation generates.
	LogGroupName *string

	// What happens to the log group when it leaves the stack.
	//
	// Default: - RETAIN: flow logs are evidence; deleting the stack must not delete them.
	RemovalPolicy awscdk.RemovalPolicy
}

// FlowLogGroup is a log group hardened for flow logs.
type FlowLogGroup interface {
	constructs.Construct
	// LogGroup is the log group (child ID "LogGroup").
	LogGroup() awslogs.LogGroup
	// RetentionDays is the retention the log group was created with.
	RetentionDays() int
}

type flowLogGroup struct {
	constructs.Construct
	logGroup  awslogs.LogGroup
	retention int
}

func (g *flowLogGroup) LogGroup() awslogs.LogGroup { return g.logGroup }
func (g *flowLogGroup) RetentionDays() int         { return g.retention }

// DefaultRetentionDays is the retention used when FlowLogGroupProps.RetentionDays is nil.
const DefaultRetentionDays = 365

// retentionEnum maps each retention CloudWatch Logs accepts
// (flowlog.LogGroupRetentionDays; TestRetentionEnumIsTheFacts holds them equal) to CDK's name for it. The values are
// the PutRetentionPolicy API's: https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
var retentionEnum = map[int]awslogs.RetentionDays{
	1: awslogs.RetentionDays_ONE_DAY, 3: awslogs.RetentionDays_THREE_DAYS, 5: awslogs.RetentionDays_FIVE_DAYS,
	7: awslogs.RetentionDays_ONE_WEEK, 14: awslogs.RetentionDays_TWO_WEEKS, 30: awslogs.RetentionDays_ONE_MONTH,
	60: awslogs.RetentionDays_TWO_MONTHS, 90: awslogs.RetentionDays_THREE_MONTHS, 120: awslogs.RetentionDays_FOUR_MONTHS,
	150: awslogs.RetentionDays_FIVE_MONTHS, 180: awslogs.RetentionDays_SIX_MONTHS, 365: awslogs.RetentionDays_ONE_YEAR,
	400: awslogs.RetentionDays_THIRTEEN_MONTHS, 545: awslogs.RetentionDays_EIGHTEEN_MONTHS, 731: awslogs.RetentionDays_TWO_YEARS,
	1096: awslogs.RetentionDays_THREE_YEARS, 1827: awslogs.RetentionDays_FIVE_YEARS, 2192: awslogs.RetentionDays_SIX_YEARS,
	2557: awslogs.RetentionDays_SEVEN_YEARS, 2922: awslogs.RetentionDays_EIGHT_YEARS, 3288: awslogs.RetentionDays_NINE_YEARS,
	3653: awslogs.RetentionDays_TEN_YEARS,
}

// AllowedRetentionDays lists the retention periods, in days, that CloudWatch
// Logs accepts (flowlog.LogGroupRetentionDays, which the review rules use too).
func AllowedRetentionDays() []int { return slices.Clone(flowlog.LogGroupRetentionDays) }

// ValidateRetentionDays reports whether CloudWatch Logs accepts days, with a message that lists
// the allowed values when it does not. setting names the setting in the message.
func ValidateRetentionDays(setting string, days float64) error {
	if days == float64(int(days)) && flowlog.ValidRetentionDays(int(days)) {
		return nil
	}
	allowed := AllowedRetentionDays()
	list := make([]string, len(allowed))
	for i, d := range allowed {
		list[i] = strconv.Itoa(d)
	}
	return fmt.Errorf("%s %v is not a retention CloudWatch Logs accepts; use one of %s (days)",
		setting, days, strings.Join(list, ", "))
}

// NewFlowLogGroup creates the log group. It panics with a message naming the prop when a prop is
// invalid.
func NewFlowLogGroup(scope constructs.Construct, id *string, props *FlowLogGroupProps) FlowLogGroup {
	var p FlowLogGroupProps
	if props != nil {
		p = *props
	}
	if p.RetentionDays == nil {
		p.RetentionDays = jsii.Number(DefaultRetentionDays)
	}
	if err := ValidateRetentionDays("loggroup: RetentionDays", *p.RetentionDays); err != nil {
		panic(err.Error())
	}
	if p.LogGroupClass == "" {
		p.LogGroupClass = awslogs.LogGroupClass_STANDARD
	}
	if p.LogGroupClass != awslogs.LogGroupClass_STANDARD && p.LogGroupClass != awslogs.LogGroupClass_INFREQUENT_ACCESS {
		panic(fmt.Sprintf("loggroup: LogGroupClass %q is not allowed; use STANDARD or INFREQUENT_ACCESS "+
			"(a DELIVERY log group cannot be queried, so it defeats a flow-log destination in CloudWatch Logs)", p.LogGroupClass))
	}
	if p.RemovalPolicy == "" {
		p.RemovalPolicy = awscdk.RemovalPolicy_RETAIN
	}

	this := &flowLogGroup{retention: int(*p.RetentionDays)}
	constructs.NewConstruct_Override(this, scope, id)
	lgProps := &awslogs.LogGroupProps{
		LogGroupName:  p.LogGroupName,
		Retention:     retentionEnum[int(*p.RetentionDays)],
		LogGroupClass: p.LogGroupClass,
		RemovalPolicy: p.RemovalPolicy,
	}
	if p.EncryptionKey != nil {
		allowLogsToUseKey(this, p.EncryptionKey)
		lgProps.EncryptionKey = p.EncryptionKey
	}
	// The log group references the key's ARN, so CloudFormation creates the key, with its
	// policy, first; an explicit dependency would only repeat that (template warning W3005).
	lg := awslogs.NewLogGroup(this, jsii.String("LogGroup"), lgProps)
	this.logGroup = lg
	return this
}

// allowLogsToUseKey adds the key policy statement CloudWatch Logs needs to encrypt a log group
// with key, scoped by encryption context to log groups in this account and region, as
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html shows. An
// imported key's policy cannot be changed from here: its owner must add the statement.
func allowLogsToUseKey(scope constructs.Construct, key awskms.IKey) {
	stack := awscdk.Stack_Of(scope)
	key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("AllowCloudWatchLogsFlowLogGroups"),
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String(fmt.Sprintf("logs.%s.amazonaws.com", *stack.Region())), nil)},
		Actions:    jsii.Strings("kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"),
		// A key policy's Resource "*" means this key: https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html
		Resources: jsii.Strings("*"),
		Conditions: &map[string]interface{}{
			"ArnLike": map[string]interface{}{
				"kms:EncryptionContext:aws:logs:arn": fmt.Sprintf("arn:%s:logs:%s:%s:log-group:*", *stack.Partition(), *stack.Region(), *stack.Account()),
			},
		},
	}), jsii.Bool(true))
}
