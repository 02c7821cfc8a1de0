package flowlogs

import (
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/deliveryrole"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/logbucket"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/loggroup"
	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// Destination is where a flow log delivers: a *CloudWatchLogsDestination, an *S3Destination or a
// *FirehoseDestination.
type Destination interface {
	// id is the destination's child ID under the FlowLogs construct.
	id() string
	validate(stack awscdk.Stack) error
	// options are the destination's own flow-log settings.
	options() *FlowLogOptions
	// bind creates what the destination needs under scope and fills in the flow log's properties
	// for a flow log on res.
	bind(scope constructs.Construct, props *awsec2.CfnFlowLogProps, res *Resource) bound
}

// FlowLogOptions are settings of one destination's flow log that override FlowLogsProps, so that
// one resource can have, say, ALL traffic in a wide format to S3 and REJECT traffic in a narrow
// format to CloudWatch Logs. Each nil field falls back to the FlowLogsProps field of the same name.
type FlowLogOptions struct {
	// Which traffic this flow log captures: ALL, ACCEPT or REJECT (none on transit gateways).
	//
	// Default: - FlowLogsProps.TrafficType.
	TrafficType *string

	// This flow log's aggregation interval: 60 or 600 seconds (60 on transit gateways).
	//
	// Default: - FlowLogsProps.MaxAggregationInterval.
	MaxAggregationInterval *float64

	// This flow log's record format (VPC, subnet and network-interface flow logs).
	//
	// Default: - FlowLogsProps.LogFormat.
	LogFormat *flowlog.Format

	// This flow log's record format (transit gateway and attachment flow logs).
	//
	// Default: - FlowLogsProps.TransitGatewayLogFormat.
	TransitGatewayLogFormat *flowlog.TransitGatewayFormat
}

// bound is what binding a destination produced.
type bound struct {
	logGroup awslogs.ILogGroup
	role     awsiam.IRole
	bucket   awss3.IBucket
	// streamArn is the Firehose destination's stream.
	streamArn *string
	// dependsOn must exist before the flow log: its delivery permissions.
	dependsOn []constructs.IDependable
}

// CloudWatchLogsDestination delivers to a CloudWatch Logs log group, through an IAM role.
type CloudWatchLogsDestination struct {
	// The destination's child ID.
	//
	// Default: - "CloudWatchLogs".
	Id *string

	// This flow log's own settings.
	//
	// Default: - the FlowLogsProps settings.
	FlowLogOptions

	// The log group.
	//
	// Default: - a loggroup.FlowLogGroup is created from LogGroupProps (child ID "LogGroup").
	LogGroup awslogs.ILogGroup

	// Props for the log group created when LogGroup is nil.
	//
	// Default: - loggroup's defaults: 365 days, retained on deletion.
	LogGroupProps *loggroup.FlowLogGroupProps

	// The role VPC Flow Logs assumes to write.
	//
	// Default: - a deliveryrole.DeliveryRole scoped to the log group (child ID "DeliveryRole").
	Role awsiam.IRole

	// Props for the role created when Role is nil; its LogGroup is always the destination's.
	//
	// Default: - deliveryrole's defaults.
	RoleProps *deliveryrole.DeliveryRoleProps
}

func (d *CloudWatchLogsDestination) id() string { return idOr(d.Id, "CloudWatchLogs") }

func (d *CloudWatchLogsDestination) validate(awscdk.Stack) error { return nil }

func (d *CloudWatchLogsDestination) options() *FlowLogOptions { return &d.FlowLogOptions }

func (d *CloudWatchLogsDestination) bind(scope constructs.Construct, props *awsec2.CfnFlowLogProps, _ *Resource) bound {
	var b bound
	b.logGroup = d.LogGroup
	if b.logGroup == nil {
		b.logGroup = loggroup.NewFlowLogGroup(scope, jsii.String("LogGroup"), d.LogGroupProps).LogGroup()
	}
	b.role = d.Role
	if b.role == nil {
		var rp deliveryrole.DeliveryRoleProps
		if d.RoleProps != nil {
			rp = *d.RoleProps
		}
		rp.LogGroup = b.logGroup
		dr := deliveryrole.NewDeliveryRole(scope, jsii.String("DeliveryRole"), &rp)
		b.role = dr.Role()
		b.dependsOn = append(b.dependsOn, dr.Policy())
	} else if role, ok := b.role.(constructs.Construct); ok {
		// A role from the caller may get its permissions from policies beside it (CDK's
		// DefaultPolicy): wait for those. Not for the role resource itself: the flow log already
		// references its ARN, and a second, explicit dependency is a template warning (W3005).
		for _, c := range *role.Node().Children() {
			if *c.Node().Id() != "Resource" {
				b.dependsOn = append(b.dependsOn, c)
			}
		}
	}
	props.LogDestinationType = jsii.String("cloud-watch-logs")
	props.LogGroupName = b.logGroup.LogGroupName()
	props.DeliverLogsPermissionArn = b.role.RoleArn()
	return b
}

// S3Destination delivers to an S3 bucket.
type S3Destination struct {
	// The destination's child ID.
	//
	// Default: - "S3".
	Id *string

	// This flow log's own settings.
	//
	// Default: - the FlowLogsProps settings.
	FlowLogOptions

	// The bucket. Statements letting log delivery write are added to its policy; for an imported
	// bucket a warning says which statements to add by hand.
	//
	// Default: - a logbucket.LogBucket is created from BucketProps (child ID "Bucket").
	Bucket awss3.IBucket

	// Props for the bucket created when Bucket is nil.
	//
	// Default: - logbucket's defaults.
	BucketProps *logbucket.LogBucketProps

	// A folder for the logs inside the bucket, without "AWSLogs" (reserved).
	//
	// Default: - none: logs start at AWSLogs/ at the bucket's root.
	KeyPrefix *string

	// "plain-text" (gzip text with a header line) or "parquet" (Apache Parquet, smaller and faster
	// to query with Athena).
	//
	// Default: - "plain-text".
	FileFormat *string

	// Hive-compatible S3 prefixes (aws-account-id=…/year=…/), which Athena and Glue partition on.
	//
	// Default: - false.
	HiveCompatiblePartitions *bool

	// Partition objects by hour instead of by day.
	//
	// Default: - false.
	PerHourPartition *bool
}

func (d *S3Destination) id() string { return idOr(d.Id, "S3") }

func (d *S3Destination) validate(awscdk.Stack) error {
	if d.KeyPrefix != nil {
		if err := ValidateKeyPrefix("flowlogs: S3Destination.KeyPrefix", *d.KeyPrefix); err != nil {
			return err
		}
	}
	if d.FileFormat != nil {
		return ValidateFileFormat("flowlogs: S3Destination.FileFormat", *d.FileFormat)
	}
	return nil
}

func (d *S3Destination) options() *FlowLogOptions { return &d.FlowLogOptions }

func (d *S3Destination) bind(scope constructs.Construct, props *awsec2.CfnFlowLogProps, _ *Resource) bound {
	var b bound
	b.bucket = d.Bucket
	if b.bucket == nil {
		b.bucket = logbucket.NewLogBucket(scope, jsii.String("Bucket"), d.BucketProps).Bucket()
	}
	prefix := ""
	if d.KeyPrefix != nil {
		prefix = strings.Trim(*d.KeyPrefix, "/")
	}
	hive := d.HiveCompatiblePartitions != nil && *d.HiveCompatiblePartitions
	if dep := logbucket.AllowFlowLogDelivery(b.bucket, prefix, hive); dep != nil {
		b.dependsOn = append(b.dependsOn, dep)
	}
	props.LogDestinationType = jsii.String("s3")
	if prefix == "" {
		props.LogDestination = b.bucket.BucketArn()
	} else {
		props.LogDestination = b.bucket.ArnForObjects(jsii.String(prefix + "/"))
	}
	fileFormat := "plain-text"
	if d.FileFormat != nil {
		fileFormat = *d.FileFormat
	}
	// PascalCase keys, as the CloudFormation schema for AWS::EC2::FlowLog DestinationOptions
	// requires; CDK's ec2.FlowLog writes camelCase (aws/aws-cdk#25432).
	props.DestinationOptions = map[string]interface{}{
		"FileFormat":               fileFormat,
		"HiveCompatiblePartitions": hive,
		"PerHourPartition":         d.PerHourPartition != nil && *d.PerHourPartition,
	}
	return b
}

func idOr(id *string, def string) string {
	if id == nil || *id == "" {
		return def
	}
	return *id
}
