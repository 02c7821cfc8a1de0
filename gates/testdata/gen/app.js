// Regenerates the fixture templates in gates/testdata/fixtures/ from aws-cdk-lib 2.276.0
// (the version the Go app pins). It is a stand-in for the project's own stacks, shaped like
// the "hardened" profile: VPC flow logs to CloudWatch Logs and to S3 (Parquet, Hive, hourly),
// KMS-encrypted destinations, SSL-only buckets, scoped IAM, plus a Transit Gateway flow log.
//
//   node gates/testdata/gen/app.js /tmp/out && cp /tmp/out/*.template.json gates/testdata/fixtures/
//
// Not run by the tests: the committed JSON is the fixture.
const path = require('path');
const root = path.resolve(__dirname, '..', '..', '..');
const cdk = require(path.join(root, 'node_modules', 'aws-cdk-lib'));
const cxapi = require(path.join(root, 'node_modules', 'aws-cdk-lib', 'cx-api'));
const { aws_ec2: ec2, aws_iam: iam, aws_kms: kms, aws_logs: logs, aws_s3: s3 } = cdk;

const outdir = process.argv[2] || path.join(root, 'cdk.out');
const app = new cdk.App({
  outdir,
  context: { ...cxapi.NEW_PROJECT_CONTEXT, ...cxapi.CURRENTLY_RECOMMENDED_FLAGS },
  analyticsReporting: false,
});

// CDK's ec2.FlowLog writes DestinationOptions in camelCase (fileFormat, ...) and its built-in
// validation acknowledges the resulting F3002. The schema spells them in PascalCase:
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ec2-flowlog-destinationoptions.html
// The project's constructs emit PascalCase, so the fixture does too.
function pascalDestinationOptions(flowLog, opts) {
  const cfn = flowLog.node.children.find((c) => c instanceof ec2.CfnFlowLog);
  for (const [k, v] of Object.entries(opts)) {
    cfn.addPropertyDeletionOverride(`DestinationOptions.${k[0].toLowerCase()}${k.slice(1)}`);
    cfn.addPropertyOverride(`DestinationOptions.${k}`, v);
  }
}

class FlowLogStack extends cdk.Stack {
  constructor(scope, id, props) {
    super(scope, id, props);
    const account = cdk.Stack.of(this).account;
    const region = cdk.Stack.of(this).region;

    const key = new kms.Key(this, 'FlowLogKey', {
      enableKeyRotation: true,
      description: 'Encrypts VPC flow logs in CloudWatch Logs and S3',
      removalPolicy: cdk.RemovalPolicy.RETAIN,
    });
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudWatchLogs',
      principals: [new iam.ServicePrincipal(`logs.${region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${cdk.Aws.PARTITION}:logs:${region}:${account}:log-group:*` } },
    }));
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-and-resource-policy.html
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowLogDeliveryToS3',
      principals: [new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
      actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'aws:SourceAccount': account },
        ArnLike: { 'aws:SourceArn': `arn:${cdk.Aws.PARTITION}:logs:${region}:${account}:*` },
      },
    }));
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowS3ServerAccessLogs',
      principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
      actions: ['kms:GenerateDataKey*', 'kms:Encrypt'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': account } },
    }));
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'DenyGrantsExceptForAwsResources',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    }));

    const accessLogs = new s3.Bucket(this, 'AccessLogsBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      // SSE-KMS on a server-access-log target: aws-cdk PR #25350 deploys it in an integration test,
      // but the S3 guide says default SSE-KMS is not supported for access-log targets
      // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html),
      // so the app itself keeps SSE-S3 there. This fixture only exercises the gates.
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      versioned: true,
      // No Object Lock: "S3 buckets with Object Lock can't be used as destination buckets for
      // server access logs" (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html).
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: cdk.Duration.days(365), noncurrentVersionExpiration: cdk.Duration.days(30) }],
      removalPolicy: cdk.RemovalPolicy.RETAIN,
    });
    const bucket = new s3.Bucket(this, 'FlowLogBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      versioned: true,
      objectLockEnabled: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'flow-log-bucket/',
      lifecycleRules: [{
        transitions: [{ storageClass: s3.StorageClass.GLACIER, transitionAfter: cdk.Duration.days(90) }],
        expiration: cdk.Duration.days(730),
        noncurrentVersionExpiration: cdk.Duration.days(30),
      }],
      removalPolicy: cdk.RemovalPolicy.RETAIN,
    });

    // EventBridge notifications (CT.S3.PR.4) as a plain property: CDK's eventBridgeEnabled goes
    // through a notifications custom resource whose role needs s3:PutBucketNotification on "*".
    for (const b of [accessLogs, bucket]) {
      b.node.defaultChild.addPropertyOverride('NotificationConfiguration.EventBridgeConfiguration.EventBridgeEnabled', true);
    }

    const logGroup = new logs.LogGroup(this, 'FlowLogGroup', {
      retention: logs.RetentionDays.ONE_YEAR,
      encryptionKey: key,
      removalPolicy: cdk.RemovalPolicy.RETAIN,
    });
    // https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html
    const role = new iam.Role(this, 'FlowLogRole', {
      assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': `arn:${cdk.Aws.PARTITION}:ec2:${region}:${account}:vpc-flow-log/*` },
        },
      }),
    });
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      resources: [logGroup.logGroupArn],
    }));

    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 1,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
      ],
    });
    const format = ec2.LogFormat.custom('${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status} ${vpc-id} ${subnet-id} ${flow-direction} ${traffic-path}');
    new ec2.FlowLog(this, 'FlowLogCwl', {
      resourceType: ec2.FlowLogResourceType.fromVpc(vpc),
      destination: ec2.FlowLogDestination.toCloudWatchLogs(logGroup, role),
      trafficType: ec2.FlowLogTrafficType.ALL,
      maxAggregationInterval: ec2.FlowLogMaxAggregationInterval.ONE_MINUTE,
      logFormat: [format],
    });
    const s3FlowLog = new ec2.FlowLog(this, 'FlowLogS3', {
      resourceType: ec2.FlowLogResourceType.fromVpc(vpc),
      destination: ec2.FlowLogDestination.toS3(bucket, 'vpc', {
        fileFormat: ec2.FlowLogFileFormat.PARQUET,
        hiveCompatiblePartitions: true,
        perHourPartition: true,
      }),
      trafficType: ec2.FlowLogTrafficType.ALL,
      maxAggregationInterval: ec2.FlowLogMaxAggregationInterval.TEN_MINUTES,
      logFormat: [format],
    });
    pascalDestinationOptions(s3FlowLog, { FileFormat: 'parquet', HiveCompatiblePartitions: true, PerHourPartition: true });

    const tgw = new ec2.CfnTransitGateway(this, 'Tgw', {
      autoAcceptSharedAttachments: 'disable',
      defaultRouteTableAssociation: 'enable',
      defaultRouteTablePropagation: 'enable',
    });
    const tgwFlowLog = new ec2.FlowLog(this, 'TgwFlowLog', {
      resourceType: ec2.FlowLogResourceType.fromTransitGatewayId(tgw.ref),
      destination: ec2.FlowLogDestination.toS3(bucket, 'tgw', { fileFormat: ec2.FlowLogFileFormat.PLAIN_TEXT }),
      maxAggregationInterval: ec2.FlowLogMaxAggregationInterval.ONE_MINUTE,
    });
    pascalDestinationOptions(tgwFlowLog, { FileFormat: 'plain-text', HiveCompatiblePartitions: false, PerHourPartition: false });
  }
}

new FlowLogStack(app, 'GatesFixtureFlowLogs', { env: { account: '111122223333', region: 'eu-west-1' } });
app.synth();
