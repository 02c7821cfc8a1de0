package review_test

import (
	"fmt"

	"github.com/seed-e6b90e5a/vpc-flow-logs/review"
)

func ExampleExplain() {
	t, err := review.Parse("flowlog.yaml", []byte(`
Resources:
  Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.0.0.0/16 } }
  FlowLog:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceType: VPC
      ResourceId: !Ref Vpc
      TrafficType: REJECT
      MaxAggregationInterval: 60
      LogDestinationType: s3
      LogDestination: !Sub "arn:${AWS::Partition}:s3:::central-flow-logs/vpc/"
      LogFormat: "${version} ${srcaddr} ${dstaddr} ${action} ${reject-reason}"
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	rep := review.Explain(t)
	fl := rep.FlowLogs[0]
	fmt.Println(fl.TrafficType, fl.Interval, fl.Destination.Type, fl.Destination.Target)
	for _, f := range fl.Format.Fields {
		fmt.Printf("%s v%d\n", f.Name, f.Version)
	}
	for _, f := range rep.Findings {
		fmt.Println(f)
	}
	// Output:
	// REJECT 60 s3 arn:${AWS::Partition}:s3:::central-flow-logs/vpc/
	// version v2
	// srcaddr v2
	// dstaddr v2
	// action v2
	// reject-reason v8
}

func ExampleCompare() {
	base, _ := review.Parse("base.yaml", []byte(`
Resources:
  LogGroup: { Type: AWS::Logs::LogGroup, DeletionPolicy: Retain, Properties: { RetentionInDays: 365 } }
  FlowLog:
    Type: AWS::EC2::FlowLog
    Properties: { ResourceType: VPC, ResourceId: vpc-0abc, TrafficType: ALL, MaxAggregationInterval: 60,
      LogGroupName: !Ref LogGroup, DeliverLogsPermissionArn: "arn:aws:iam::111122223333:role/flow-logs" }
`))
	head, _ := review.Parse("head.yaml", []byte(`
Resources:
  LogGroup: { Type: AWS::Logs::LogGroup, Properties: { RetentionInDays: 30 } }
  FlowLog:
    Type: AWS::EC2::FlowLog
    Properties: { ResourceType: VPC, ResourceId: vpc-0abc, TrafficType: REJECT, MaxAggregationInterval: 60,
      LogGroupName: !Ref LogGroup, DeliverLogsPermissionArn: "arn:aws:iam::111122223333:role/flow-logs" }
`))
	d := review.Compare(base, head)
	for _, c := range d.Changes {
		fmt.Printf("%s weakening=%v: %s\n", c.Kind, c.Weakening, c.Message)
	}
	for _, f := range d.NewFindings {
		fmt.Println("new:", f.Rule, f.LogicalID)
	}
	// Output:
	// capture-narrowed weakening=true: capture narrowed from ALL to REJECT: ACCEPT traffic is no longer logged
	// retention-shortened weakening=true: retention shortened on log group LogGroup: 365 days -> 30 days
	// deletion-policy-changed weakening=true: DeletionPolicy of log group LogGroup changed: Retain -> Delete (default)
	// new: PROJECT.LOGS_DELETED_WITH_STACK LogGroup
}

func ExampleEstimate() {
	t, _ := review.Parse("s3.yaml", []byte(`
Resources:
  FlowLog:
    Type: AWS::EC2::FlowLog
    Properties: { ResourceType: VPC, ResourceId: vpc-0abc, TrafficType: ALL, MaxAggregationInterval: 600,
      LogDestinationType: s3, LogDestination: "arn:aws:s3:::central-flow-logs" }
`))
	e := review.Estimate([]review.Report{review.Explain(t)}, 100, review.DefaultPrices())
	// 100 GB a day is 3,000 GB a month, all in the first tier of vended-log
	// delivery to S3; the bucket is not in the template, so nothing else is priced.
	fmt.Printf("%s %.2f USD/month (%s)\n", e.FlowLogs[0].Lines[0].Item, e.TotalUSD, e.Region)
	// Output:
	// vended-log delivery to s3 750.00 USD/month (us-east-1)
}
