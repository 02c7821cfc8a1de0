package test

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskinesis"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskinesisfirehose"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/flowlogs"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/network"
	"github.com/seed-e6b90e5a/vpc-flow-logs/internal/cdktest"
)

// cdkStream is CDK's own Firehose L2 stream writing to a new bucket, with source if given.
func cdkStream(stack awscdk.Stack, source awskinesisfirehose.ISource) awskinesisfirehose.DeliveryStream {
	bucket := awss3.NewBucket(stack, jsii.String("Bucket"), nil)
	return awskinesisfirehose.NewDeliveryStream(stack, jsii.String("Stream"), &awskinesisfirehose.DeliveryStreamProps{
		Destination: awskinesisfirehose.NewS3Bucket(bucket, nil),
		Source:      source,
	})
}

// regionalStack is a stack in one account and Region: CDK's stream adds a Region-to-CIDR mapping
// that strict validation rejects as unused (W7001) in an environment-agnostic stack.
func regionalStack(t *testing.T) awscdk.Stack {
	t.Helper()
	ctx, err := cdktest.Context(nil)
	if err != nil {
		t.Fatal(err)
	}
	app := awscdk.NewApp(&awscdk.AppProps{Context: &ctx})
	return awscdk.NewStack(app, jsii.String("Test"), &awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("eu-west-1")}})
}

func firehoseFlowLogs(stack awscdk.Stack, stream flowlogs.DeliveryStream) {
	flowlogs.NewFlowLogs(stack, jsii.String("F"), &flowlogs.FlowLogsProps{
		Vpc: network.NewNetwork(stack, jsii.String("N"), nil).Vpc(), Destinations: []flowlogs.Destination{&flowlogs.FirehoseDestination{DeliveryStream: stream}}})
}

// TestCDKFirehoseStreamIsCheckedAndTagged: awskinesisfirehose.DeliveryStream is a stream of this
// app like logstream's: found through the construct tree, held to Direct PUT, tagged
// LogDeliveryEnabled=true, and a Tags.of that turns the tag off fails synth.
func TestCDKFirehoseStreamIsCheckedAndTagged(t *testing.T) {
	t.Run("Direct PUT: tagged, no info", func(t *testing.T) {
		stack := regionalStack(t)
		firehoseFlowLogs(stack, cdkStream(stack, nil))
		tpl := assertions.Template_FromStack(stack, nil)
		tpl.HasResourceProperties(jsii.String("AWS::KinesisFirehose::DeliveryStream"), map[string]any{
			"Tags": assertions.Match_ArrayWith(&[]any{map[string]any{"Key": "LogDeliveryEnabled", "Value": "true"}}),
		})
		infos := assertions.Annotations_FromStack(stack).FindInfo(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String("not defined in this app")))
		if len(*infos) != 0 {
			t.Errorf("the stream is defined in this app, but an info says it is not: %v", *infos)
		}
	})
	t.Run("Kinesis source rejected", func(t *testing.T) {
		stack := regionalStack(t)
		stream := cdkStream(stack, awskinesisfirehose.NewKinesisStreamSource(awskinesis.NewStream(stack, jsii.String("Kinesis"), nil)))
		got := mustPanic(t, func() { firehoseFlowLogs(stack, stream) })
		want := `flowlogs: FirehoseDestination.DeliveryStream has DeliveryStreamType "KinesisStreamAsSource"; flow logs deliver only to Direct PUT streams (DirectPut)`
		if got != want {
			t.Errorf("message\n got  %s\n want %s", got, want)
		}
	})
	t.Run("Tags.of LogDeliveryEnabled=false fails synth", func(t *testing.T) {
		stack := regionalStack(t)
		stream := cdkStream(stack, nil)
		firehoseFlowLogs(stack, stream)
		awscdk.Tags_Of(stream).Add(jsii.String("LogDeliveryEnabled"), jsii.String("false"), nil)
		app := stack.Node().Root().(awscdk.App)
		got := mustPanic(t, func() { app.Synth(nil) })
		wantAll(t, got, "flowlogs: FirehoseDestination.DeliveryStream Test/Stream/Resource", `has tag LogDeliveryEnabled="false"`, "LogDeliveryEnabled=true")
	})
}
