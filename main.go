// Command vpc-flow-logs is the CDK app: `cdk synth` runs it to write the VPC Flow Logs stack's
// CloudFormation template to cdk.out/. Settings come from cdk.json context and `-c key=value`.
package main

import (
	"fmt"
	"os"
	"runtime/debug"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/seed-e6b90e5a/vpc-flow-logs/stacks"
)

func main() {
	defer jsii.Close()
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "vpc-flow-logs:", err)
		jsii.Close()
		os.Exit(1)
	}
}

// run builds and synthesizes the app. Constructs report bad props by panicking, as CDK's own
// throw: run turns that into an error, so that `cdk synth` shows one line naming the prop rather
// than a Go stack trace (VPC_FLOW_LOGS_DEBUG=1 prints the trace too, for bugs).
func run() (err error) {
	defer func() {
		if r := recover(); r != nil {
			if os.Getenv("VPC_FLOW_LOGS_DEBUG") != "" {
				fmt.Fprintf(os.Stderr, "%v\n%s", r, debug.Stack())
			}
			err = fmt.Errorf("%v", r)
		}
	}()
	app := awscdk.NewApp(nil)
	cfg, err := stacks.ConfigFromContext(app.Node())
	if err != nil {
		return err
	}
	stack := stacks.NewVpcFlowLogsStack(app, jsii.String(cfg.StackName), &stacks.VpcFlowLogsStackProps{Config: &cfg})
	stacks.ApplyNag(stack)
	if cfg.FirehoseDestinationFor != "" {
		stacks.NewFirehoseDestination(app, cfg)
	}
	app.Synth(nil)
	return nil
}
