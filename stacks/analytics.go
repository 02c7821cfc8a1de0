package stacks

import (
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/jsii-runtime-go"

	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/contributorinsights"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/flowlogalarms"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/flowlogdashboard"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/flowlogs"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/flowlogsathena"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/insightsqueries"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/logbucket"
	"github.com/seed-e6b90e5a/vpc-flow-logs/investigations"
	"github.com/seed-e6b90e5a/vpc-flow-logs/s3layout"
)

// Analytics is what the stack provisions to answer questions about its flow logs; a part is nil
// when it is off.
type Analytics struct {
	Athena              flowlogsathena.FlowLogsAthena
	InsightsQueries     insightsqueries.InsightsQueries
	ContributorInsights contributorinsights.ContributorInsights
	Alarms              flowlogalarms.FlowLogAlarms
	Dashboard           flowlogdashboard.FlowLogDashboard
}

// addAnalytics builds the parts cfg turns on, over the flow logs' first log group and bucket.
// Names that must be unique in an account and Region start with the stack's name. Every part
// gets the flow log's traffic type, so none provisions what can only be empty (accepted-traffic
// queries, rules, alarms and widgets on a REJECT flow log, and rejected ones on an ACCEPT one).
func addAnalytics(stack *vpcFlowLogsStack, cfg Config, fl flowlogs.FlowLogs) Analytics {
	var a Analytics
	parts := cfg.AnalyticsParts()
	if len(parts) == 0 {
		return a
	}
	name := cfg.StackName
	format := cfg.LogFormat
	// One customer managed key for what must be KMS-encrypted: the hardened profile's key, or
	// else one key for the alarm topic and the Athena query results (a key costs per month).
	var key awskms.IKey
	keyFor := func() awskms.IKey {
		if key != nil {
			return key
		}
		if k, ok := stack.Node().TryFindChild(jsii.String("LogsKey")).(awskms.IKey); ok && k != nil {
			key = k
			return key
		}
		k := awskms.NewKey(stack, jsii.String("AnalyticsKey"), &awskms.KeyProps{
			Description:       jsii.String("Encrypts the VPC flow-log alarm topic and Athena query results"),
			EnableKeyRotation: jsii.Bool(true),
			RemovalPolicy:     cfg.RemovalPolicy,
		})
		flowlogalarms.DenyGrantsExceptForAWSResources(k)
		key = k
		return key
	}

	if cfg.HasPart(PartAthena) && len(fl.Buckets()) > 0 {
		resultsProps := &logbucket.LogBucketProps{
			RemovalPolicy:                         cfg.RemovalPolicy,
			TransitionToInfrequentAccessAfterDays: jsii.Number(0),
			TransitionToGlacierAfterDays:          jsii.Number(0),
			ExpireAfterDays:                       jsii.Number(flowlogsathena.DefaultResultsExpireDays),
			ServerAccessLogsBucket:                accessLogsBucket(stack),
			// Encrypted by default with the key Athena writes results with.
			EncryptionKey: keyFor(),
			LogDelivery:   jsii.Bool(false),
			// The hardened profile's settings in both profiles: for objects written once and
			// deleted after 30 days they cost nothing, and they meet the Control Tower S3
			// controls without an exception.
			Versioned:   jsii.Bool(true),
			ObjectLock:  jsii.Bool(true),
			EventBridge: jsii.Bool(true),
		}
		a.Athena = flowlogsathena.NewFlowLogsAthena(stack, jsii.String("Athena"), &flowlogsathena.FlowLogsAthenaProps{
			Bucket: fl.Buckets()[0],
			Layout: &s3layout.Layout{
				Prefix:  strings.Trim(cfg.S3KeyPrefix, "/"),
				Hive:    cfg.S3HiveCompatiblePartitions,
				PerHour: cfg.S3PerHourPartition,
				Parquet: cfg.S3FileFormat == "parquet",
			},
			Format:                     &format,
			Investigations:             cfg.Analytics.Investigations,
			TrafficType:                jsii.String(cfg.TrafficType),
			DatabaseName:               jsii.String(strings.ToLower(strings.ReplaceAll(name, "-", "_"))),
			WorkGroupName:              jsii.String(name),
			BytesScannedCutoffPerQuery: jsii.Number(cfg.Analytics.AthenaBytesScannedCutoff),
			EncryptionKey:              keyFor(),
			ResultsBucketProps:         resultsProps,
		})
	}

	if len(fl.LogGroups()) == 0 {
		return a
	}
	logGroup := fl.LogGroups()[0]
	// Saved Logs Insights queries take no parameters; investigations that do are Athena-only.
	insightsNames := slices.DeleteFunc(slices.Clone(cfg.Analytics.Investigations), func(n string) bool {
		inv, _ := investigations.Lookup(n)
		return len(inv.Params()) > 0
	})
	if cfg.HasPart(PartLogsInsights) && (cfg.Analytics.Investigations == nil || len(insightsNames) > 0) {
		a.InsightsQueries = insightsqueries.NewInsightsQueries(stack, jsii.String("InsightsQueries"), &insightsqueries.InsightsQueriesProps{
			LogGroup:       logGroup,
			Format:         &format,
			Investigations: insightsNames,
			TrafficType:    jsii.String(cfg.TrafficType),
		})
	}
	if cfg.HasPart(PartContributorInsights) {
		a.ContributorInsights = contributorinsights.NewContributorInsights(stack, jsii.String("ContributorInsights"), &contributorinsights.ContributorInsightsProps{
			LogGroup:       logGroup,
			Format:         &format,
			RuleState:      jsii.String(cfg.Analytics.ContributorInsightsState),
			RuleNamePrefix: jsii.String(name + "-"),
			TrafficType:    jsii.String(cfg.TrafficType),
		})
	}
	if cfg.HasPart(PartAlarms) {
		props := &flowlogalarms.FlowLogAlarmsProps{
			LogGroup:        logGroup,
			Format:          &format,
			Alarms:          cfg.Analytics.Alarms,
			MetricNamespace: jsii.String("VpcFlowLogs/" + name),
			AlarmNamePrefix: jsii.String(name + "-"),
			Emails:          cfg.Analytics.AlarmEmails,
			TrafficType:     jsii.String(cfg.TrafficType),
		}
		if cfg.Analytics.AlarmTopicArn != "" {
			props.Topic = awssns.Topic_FromTopicArn(stack, jsii.String("AlarmTopic"), jsii.String(cfg.Analytics.AlarmTopicArn))
		} else {
			props.EncryptionKey = keyFor()
		}
		a.Alarms = flowlogalarms.NewFlowLogAlarms(stack, jsii.String("Alarms"), props)
	}
	if cfg.HasPart(PartDashboard) {
		a.Dashboard = flowlogdashboard.NewFlowLogDashboard(stack, jsii.String("Dashboard"), &flowlogdashboard.FlowLogDashboardProps{
			DashboardName:       jsii.String(name),
			LogGroup:            logGroup,
			Format:              &format,
			Alarms:              a.Alarms,
			ContributorInsights: a.ContributorInsights,
			TrafficType:         jsii.String(cfg.TrafficType),
		})
	}
	return a
}

// accessLogsBucket is the flow-log bucket's access-log bucket, which the results bucket logs to
// as well; nil when the stack has none (the results bucket then gets its own).
func accessLogsBucket(stack *vpcFlowLogsStack) awss3.IBucket {
	var c = find(stack, []string{"FlowLogs", "S3", "Bucket"})
	if lb, ok := c.(logbucket.LogBucket); ok && lb != nil {
		return lb.AccessLogsBucket()
	}
	return nil
}
