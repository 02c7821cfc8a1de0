// Writes review/testdata/cdk-ec2-flowlog.template.json: what aws-cdk-lib's own
// ec2.FlowLog (2.276.0, from node_modules) synthesizes with its defaults, a
// template that is not ours. Used by review's tests as "anyone's template":
// camelCase DestinationOptions, an auto-created role without confused-deputy
// conditions, an auto-created bucket without an SSL-only policy.
//
//   node review/testdata/cdk-ec2-flowlog.js
//
// Not run by the tests: the committed JSON is the input.
const fs = require('fs');
const os = require('os');
const path = require('path');
const root = path.resolve(__dirname, '..', '..');
const cdk = require(path.join(root, 'node_modules', 'aws-cdk-lib'));
const cxapi = require(path.join(root, 'node_modules', 'aws-cdk-lib', 'cx-api'));
const { aws_ec2: ec2 } = cdk;

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ec2-flowlog-'));
const app = new cdk.App({ outdir, context: { ...cxapi.NEW_PROJECT_CONTEXT }, analyticsReporting: false });
const stack = new cdk.Stack(app, 'CdkEc2FlowLog');
const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, restrictDefaultSecurityGroup: false });
vpc.addFlowLog('ToCloudWatchLogs'); // ALL traffic to an auto-created log group and role
vpc.addFlowLog('ToS3', {
  destination: ec2.FlowLogDestination.toS3(undefined, 'flow', {
    fileFormat: ec2.FlowLogFileFormat.PARQUET,
    hiveCompatiblePartitions: true,
    perHourPartition: true,
  }),
  trafficType: ec2.FlowLogTrafficType.REJECT,
});
app.synth();
fs.copyFileSync(path.join(outdir, 'CdkEc2FlowLog.template.json'), path.join(__dirname, 'cdk-ec2-flowlog.template.json'));
