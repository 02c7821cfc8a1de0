// Package flowlogalarms counts what matters in a flow-log group with metric filters (one per
// catalogue counter the format supports: rejected SSH/RDP, all rejects, NODATA, SKIPDATA, ...)
// and raises CloudWatch alarms on them, notifying an SNS topic encrypted with a customer managed
// KMS key, optionally with e-mail subscriptions. The filter patterns come from package
// investigations, with the fields named from the flow log's format, and never use an address as
// a dimension (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html).
package flowlogalarms

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/internal/leftout"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/internal/names"
	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/investigations"
)

// AlarmOptions sets one counter's alarm. Zero fields take the counter's default.
type AlarmOptions struct {
	// The alarm fires when the counter's sum over one period reaches this.
	//
	// Default: - the counter's entry in DefaultAlarms, else 1.
	Threshold *float64
	// The period in seconds: 60 or a multiple of 60.
	//
	// Default: - the counter's entry in DefaultAlarms, else 3600.
	Period *float64
	// How many consecutive periods must reach the threshold.
	//
	// Default: - 1.
	EvaluationPeriods *float64
	// Off drops the alarm (the metric filter stays, for the dashboard).
	//
	// Default: - false.
	Off bool
}

// DefaultAlarms are the alarms made when FlowLogAlarmsProps.Alarms does not change them, by
// counter name:
//   - rejected-ssh-rdp: 10 or more in an hour, the AWS VPC guide's example
//     (https://docs.aws.amazon.com/vpc/latest/userguide/process-records-cwl.html);
//   - rejected: 1000 or more in 5 minutes, a scan or a broken security group rather than noise;
//   - nodata: 100 or more in an hour, many interfaces going quiet at once (an idle interface
//     writes one NODATA record per aggregation interval, at most 60 an hour);
//   - skipdata: any, since the flow logs are then incomplete
//     (https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html).
//
// The thresholds are starting points: tune them with the "alarms" context key to the VPC's
// normal traffic.
var DefaultAlarms = map[string]AlarmOptions{
	"rejected-ssh-rdp": {Threshold: jsii.Number(10), Period: jsii.Number(3600)},
	"rejected":         {Threshold: jsii.Number(1000), Period: jsii.Number(300)},
	"nodata":           {Threshold: jsii.Number(100), Period: jsii.Number(3600)},
	"skipdata":         {Threshold: jsii.Number(1), Period: jsii.Number(3600)},
}

// FlowLogAlarmsProps configures FlowLogAlarms.
type FlowLogAlarmsProps struct {
	// The log group the flow logs are delivered to. Required. Metric filters need the STANDARD
	// log class.
	LogGroup awslogs.ILogGroup

	// The flow logs' record format; the filter patterns follow it.
	//
	// Default: - flowlog.DefaultFormat(): the 14 version-2 fields.
	Format *flowlog.Format

	// Changes to DefaultAlarms, by counter name; a counter not in DefaultAlarms gets an alarm
	// when it is named here. A counter the format cannot count, or that counts only records
	// TrafficType never delivers, is an error when named.
	//
	// Default: - DefaultAlarms.
	Alarms map[string]AlarmOptions

	// The flow log's traffic type: ALL, ACCEPT or REJECT. A counter of records of another action
	// (rejected on an ACCEPT flow log, accepted-bytes on a REJECT one) would stay at 0, so it gets
	// no metric filter and no alarm; an info annotation names the counters left out and why.
	//
	// Default: - "ALL".
	TrafficType *string

	// The CloudWatch namespace of the counters' metrics.
	//
	// Default: - "VpcFlowLogs".
	MetricNamespace *string

	// The start of every alarm's name, unique in the account and Region.
	//
	// Default: - "vpc-flow-logs-".
	AlarmNamePrefix *string

	// The topic the alarms notify.
	//
	// Default: - a topic is created (child ID "Topic"), encrypted with EncryptionKey.
	Topic awssns.ITopic

	// The customer managed key for the created topic. CloudWatch can only publish to a topic
	// encrypted with a customer managed key whose policy lets it
	// (https://repost.aws/knowledge-center/cloudwatch-configure-alarm-sns); that statement is
	// added to the key's policy.
	//
	// Default: - a key with rotation is created (child ID "TopicKey").
	EncryptionKey awskms.IKey

	// E-mail addresses to subscribe to the created topic; each must confirm by e-mail.
	//
	// Default: - none.
	Emails []string
}

// FlowLogAlarms is the metric filters, alarms and topic of a flow-log group.
type FlowLogAlarms interface {
	constructs.Construct
	// MetricFilters are the counters' metric filters, by counter name (child IDs
	// "<PascalCaseName>/MetricFilter").
	MetricFilters() map[string]awslogs.MetricFilter
	// Metric returns a counter's metric (sum per period).
	Metric(counter string, period awscdk.Duration) (awscloudwatch.Metric, bool)
	// Alarms are the alarms, by counter name (child IDs "<PascalCaseName>/Alarm").
	Alarms() map[string]awscloudwatch.Alarm
	// Counters are the counters with a metric filter, in catalogue order.
	Counters() []investigations.Counter
	// Dropped are the counters left out for the format or traffic type, with why.
	Dropped() []investigations.Dropped
	// Topic is the topic the alarms notify.
	Topic() awssns.ITopic
}

type flowLogAlarms struct {
	constructs.Construct
	filters  map[string]awslogs.MetricFilter
	alarms   map[string]awscloudwatch.Alarm
	counters []investigations.Counter
	dropped  []investigations.Dropped
	topic    awssns.ITopic
}

func (a *flowLogAlarms) MetricFilters() map[string]awslogs.MetricFilter { return maps.Clone(a.filters) }
func (a *flowLogAlarms) Alarms() map[string]awscloudwatch.Alarm         { return maps.Clone(a.alarms) }
func (a *flowLogAlarms) Counters() []investigations.Counter             { return slices.Clone(a.counters) }
func (a *flowLogAlarms) Dropped() []investigations.Dropped              { return slices.Clone(a.dropped) }
func (a *flowLogAlarms) Topic() awssns.ITopic                           { return a.topic }
func (a *flowLogAlarms) Metric(counter string, period awscdk.Duration) (awscloudwatch.Metric, bool) {
	f, ok := a.filters[counter]
	if !ok {
		return nil, false
	}
	return f.Metric(&awscloudwatch.MetricOptions{Statistic: jsii.String("Sum"), Period: period}), true
}

// Defaults.
const (
	DefaultMetricNamespace = "VpcFlowLogs"
	DefaultAlarmNamePrefix = "vpc-flow-logs-"
)

// maxPatternLength is the longest filter pattern CloudWatch Logs accepts
// (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutMetricFilter.html).
const maxPatternLength = 1024

var emailPattern = regexp.MustCompile(`^[^@\s,]+@[^@\s,]+\.[^@\s,]+$`)

// ValidateEmail checks an e-mail address for a subscription.
func ValidateEmail(setting, v string) error {
	if !emailPattern.MatchString(v) {
		return fmt.Errorf("%s %q is not an e-mail address", setting, v)
	}
	return nil
}

// ValidateAlarms checks alarm options against the catalogue's counters, the format and the
// flow log's traffic type ("" is ALL): every name must be a counter the format can count and
// the traffic type delivers records for, thresholds at least 0, periods 60 or a multiple of 60
// seconds, evaluation periods whole and at least 1. setting names the setting in messages.
func ValidateAlarms(setting string, alarms map[string]AlarmOptions, format flowlog.Format, trafficType string) error {
	var errs []error
	for _, name := range slices.Sorted(maps.Keys(alarms)) {
		o := alarms[name]
		c, ok := investigations.LookupCounter(name)
		if !ok {
			errs = append(errs, fmt.Errorf("%s: %q is not a counter; use one of %s", setting, name, strings.Join(counterNames(), ", ")))
			continue
		}
		if m := c.Missing(format); len(m) > 0 {
			errs = append(errs, fmt.Errorf("%s: %q counts field(s) the format lacks: %s", setting, name, fieldNames(m)))
		} else if !c.Actions().Logged(trafficType) && !o.Off {
			errs = append(errs, fmt.Errorf("%s: %q counts only %s records, which a flow log of %s traffic never delivers; leave it out or set it \"off\"", setting, name, c.Actions(), trafficType))
		}
		if o.Threshold != nil && *o.Threshold < 0 {
			errs = append(errs, fmt.Errorf("%s: %q threshold %v is not allowed; use 0 or more", setting, name, *o.Threshold))
		}
		if o.Period != nil && (*o.Period < 60 || *o.Period != float64(int64(*o.Period)) || int64(*o.Period)%60 != 0) {
			errs = append(errs, fmt.Errorf("%s: %q period %v is not allowed; use 60 or a multiple of 60 seconds (metric-filter metrics have standard resolution)", setting, name, *o.Period))
		}
		if o.EvaluationPeriods != nil && (*o.EvaluationPeriods < 1 || *o.EvaluationPeriods != float64(int64(*o.EvaluationPeriods))) {
			errs = append(errs, fmt.Errorf("%s: %q evaluationPeriods %v is not allowed; use a whole number, 1 or more", setting, name, *o.EvaluationPeriods))
		}
	}
	return errors.Join(errs...)
}

func fieldNames(fs []flowlog.Field) string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Name()
	}
	return strings.Join(out, ", ")
}

func counterNames() []string {
	var out []string
	for _, c := range investigations.Counters() {
		out = append(out, c.Name)
	}
	return out
}

// NewFlowLogAlarms creates the metric filters, alarms, topic and subscriptions. It panics with a
// message naming the prop when a prop is invalid.
func NewFlowLogAlarms(scope constructs.Construct, id *string, props *FlowLogAlarmsProps) FlowLogAlarms {
	var p FlowLogAlarmsProps
	if props != nil {
		p = *props
	}
	if p.LogGroup == nil {
		panic("flowlogalarms: LogGroup is nil; give the log group the flow logs are delivered to")
	}
	format := flowlog.DefaultFormat()
	if p.Format != nil {
		format = *p.Format
	}
	traffic := leftout.TrafficType("flowlogalarms", p.TrafficType)
	if err := ValidateAlarms("flowlogalarms: Alarms", p.Alarms, format, traffic); err != nil {
		panic(err.Error())
	}
	for i, e := range p.Emails {
		if err := ValidateEmail(fmt.Sprintf("flowlogalarms: Emails[%d]", i), e); err != nil {
			panic(err.Error())
		}
	}
	if p.Topic != nil && len(p.Emails) > 0 {
		panic("flowlogalarms: Emails are given with a Topic; subscribe them to that topic where it is managed, or leave Topic nil")
	}
	namespace := orString(p.MetricNamespace, DefaultMetricNamespace)
	prefix := orString(p.AlarmNamePrefix, DefaultAlarmNamePrefix)

	this := &flowLogAlarms{filters: map[string]awslogs.MetricFilter{}, alarms: map[string]awscloudwatch.Alarm{}}
	constructs.NewConstruct_Override(this, scope, id)
	this.topic = p.Topic
	if this.topic == nil {
		this.topic = newTopic(this, p.EncryptionKey, p.Emails)
	}
	action := awscloudwatchactions.NewSnsAction(this.topic)

	// Counters the format or traffic type cannot count get no filter; asking for their alarms
	// was rejected above.
	counters, dropped, _ := investigations.AvailableCounters(format, traffic)
	this.dropped = dropped
	leftout.Note(this, "metric filters and alarms", dropped)
	for _, c := range counters {
		pattern, err := c.MetricFilterPattern(format)
		if err != nil {
			panic(fmt.Sprintf("flowlogalarms: counter %s: %v", c.Name, err))
		}
		if len(pattern) > maxPatternLength {
			panic(fmt.Sprintf("flowlogalarms: counter %s: the filter pattern for this format has %d characters; CloudWatch Logs accepts %d", c.Name, len(pattern), maxPatternLength))
		}
		cscope := constructs.NewConstruct(this, jsii.String(names.PascalCase(c.Name)))
		filter := awslogs.NewMetricFilter(cscope, jsii.String("MetricFilter"), &awslogs.MetricFilterProps{
			LogGroup:        p.LogGroup,
			FilterName:      jsii.String(prefix + c.Name),
			FilterPattern:   awslogs.FilterPattern_Literal(jsii.String(pattern)),
			MetricNamespace: jsii.String(namespace),
			MetricName:      jsii.String(c.Name),
			MetricValue:     jsii.String(c.MetricValue()),
			// Zero for records that do not match, so graphs and alarms see quiet periods as 0.
			DefaultValue: jsii.Number(0),
		})
		this.filters[c.Name] = filter
		this.counters = append(this.counters, c)

		opts, ok := DefaultAlarms[c.Name]
		if o, named := p.Alarms[c.Name]; named {
			opts = merge(opts, o)
			ok = true
		}
		if !ok || opts.Off {
			continue
		}
		threshold, period, evals := num(opts.Threshold, 1), num(opts.Period, 3600), num(opts.EvaluationPeriods, 1)
		alarm := awscloudwatch.NewAlarm(cscope, jsii.String("Alarm"), &awscloudwatch.AlarmProps{
			AlarmName: jsii.String(prefix + c.Name),
			AlarmDescription: jsii.String(fmt.Sprintf("%s: %v or more in %v s, %v period(s) in a row (vpc-flow-logs)",
				c.Title, threshold, period, evals)),
			Metric: filter.Metric(&awscloudwatch.MetricOptions{
				Statistic: jsii.String("Sum"), Period: awscdk.Duration_Seconds(jsii.Number(period))}),
			Threshold:          jsii.Number(threshold),
			EvaluationPeriods:  jsii.Number(evals),
			ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
			TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
		})
		alarm.AddAlarmAction(action)
		this.alarms[c.Name] = alarm
	}
	return this
}

func merge(base, over AlarmOptions) AlarmOptions {
	if over.Threshold != nil {
		base.Threshold = over.Threshold
	}
	if over.Period != nil {
		base.Period = over.Period
	}
	if over.EvaluationPeriods != nil {
		base.EvaluationPeriods = over.EvaluationPeriods
	}
	base.Off = over.Off
	return base
}

// newTopic creates the alarm topic: encrypted with a customer managed key CloudWatch may use,
// TLS-only, and publishable by this account's CloudWatch alarms.
func newTopic(scope constructs.Construct, key awskms.IKey, emails []string) awssns.ITopic {
	stack := awscdk.Stack_Of(scope)
	if key == nil {
		k := awskms.NewKey(scope, jsii.String("TopicKey"), &awskms.KeyProps{
			Description:       jsii.String("Encrypts the VPC flow-log alarm topic"),
			EnableKeyRotation: jsii.Bool(true),
		})
		DenyGrantsExceptForAWSResources(k)
		key = k
	}
	// CloudWatch alarms cannot publish to a topic whose key does not let them
	// (https://repost.aws/knowledge-center/cloudwatch-configure-alarm-sns).
	key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("AllowCloudWatchAlarmsToUseTheKey"),
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("cloudwatch.amazonaws.com"), nil)},
		Actions:    jsii.Strings("kms:Decrypt", "kms:GenerateDataKey*"),
		// A key policy's Resource "*" means this key.
		Resources: jsii.Strings("*"),
	}), jsii.Bool(true))
	topic := awssns.NewTopic(scope, jsii.String("Topic"), &awssns.TopicProps{
		DisplayName: jsii.String("VPC flow-log alarms"),
		MasterKey:   key,
		EnforceSSL:  jsii.Bool(true),
	})
	// Only this account's alarms may publish
	// (https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger).
	topic.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("AllowThisAccountsAlarmsToPublish"),
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("cloudwatch.amazonaws.com"), nil)},
		Actions:    jsii.Strings("sns:Publish"),
		Resources:  jsii.Strings(*topic.TopicArn()),
		Conditions: &map[string]any{
			"StringEquals": map[string]any{"aws:SourceAccount": stack.Account()},
			"ArnLike": map[string]any{"aws:SourceArn": fmt.Sprintf("arn:%s:cloudwatch:%s:%s:alarm:*",
				*stack.Partition(), *stack.Region(), *stack.Account())},
		},
	}))
	for i, e := range emails {
		awssns.NewSubscription(scope, jsii.String(fmt.Sprintf("Email%d", i+1)), &awssns.SubscriptionProps{
			Topic:    topic,
			Protocol: awssns.SubscriptionProtocol_EMAIL,
			Endpoint: jsii.String(e),
		})
	}
	return topic
}

// DenyGrantsExceptForAWSResources lets only AWS services create grants on key, on behalf of the
// resources it encrypts (AWS Control Tower control CT.KMS.PR.3,
// https://docs.aws.amazon.com/controltower/latest/controlreference/kms-rules.html).
func DenyGrantsExceptForAWSResources(key awskms.IKey) {
	key.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("DenyGrantsExceptForAWSResources"),
		Effect:     awsiam.Effect_DENY,
		Principals: &[]awsiam.IPrincipal{awsiam.NewAnyPrincipal()},
		Actions:    jsii.Strings("kms:CreateGrant"),
		Resources:  jsii.Strings("*"),
		Conditions: &map[string]any{"BoolIfExists": map[string]any{
			"kms:GrantIsForAWSResource": "false", "aws:PrincipalIsAWSService": "false"}},
	}), nil)
}

func num(v *float64, d float64) float64 {
	if v == nil {
		return d
	}
	return *v
}

func orString(v *string, d string) string {
	if v == nil || *v == "" {
		return d
	}
	return *v
}
