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
