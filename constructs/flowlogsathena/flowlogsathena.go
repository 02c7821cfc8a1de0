// Package flowlogsathena makes the flow logs an S3 destination writes queryable in Amazon Athena:
// a Glue database and table whose columns, SerDe and partition projection come from the flow
// log's format and key layout (packages athena and s3layout), an Athena workgroup with enforced
// settings, a per-query scan limit and an encrypted, hardened results bucket, and a saved (named)
// query for every catalogue investigation the format and traffic type can answer (package
// investigations), each reading a default window of recent days (QueryWindowDays).
//
// Partitions are projected from the key layout
// (https://docs.aws.amazon.com/athena/latest/ug/partition-projection.html), so there is no
// crawler, no partition-loading Lambda and no MSCK REPAIR TABLE: new days and hours are
// queryable as soon as log delivery writes them.
package flowlogsathena

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsathena"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsglue"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/seed-e6b90e5a/vpc-flow-logs/athena"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/internal/leftout"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/internal/names"
	"github.com/seed-e6b90e5a/vpc-flow-logs/constructs/logbucket"
	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
	"github.com/seed-e6b90e5a/vpc-flow-logs/investigations"
	"github.com/seed-e6b90e5a/vpc-flow-logs/s3layout"
)

// FlowLogsAthenaProps configures FlowLogsAthena.
type FlowLogsAthenaProps struct {
	// The bucket the flow logs are delivered to. Required.
	Bucket awss3.IBucket

	// The key layout the S3 destination writes: its key prefix, Hive-compatible partitions,
	// per-hour partitions and file format. It must match the flow log's DestinationOptions.
	//
	// Default: - s3layout.Layout{}: no prefix, plain text, daily folders, not Hive.
	Layout *s3layout.Layout

	// The flow logs' record format; the table's columns follow it.
	//
	// Default: - flowlog.DefaultFormat(): the 14 version-2 fields.
	Format *flowlog.Format

	// The catalogue investigations to save as named queries, by name. Naming one the format
	// cannot answer panics with the fields it lacks; naming one that counts only records
	// TrafficType never delivers panics too.
	//
	// Default: - every catalogue investigation the format and traffic type can answer; an info
	// annotation names the others and why.
	Investigations []string

	// The days before today (UTC) that each saved query reads by default: its SQL keeps the
	// objects whose date partition is at most this many days old, relative to when it runs, so a
	// query run as saved scans a bounded window rather than every day since the projection
	// starts. 0 reads today's objects only. The query's description says so; edit the condition
	// in the console to read more.
	//
	// Default: - DefaultQueryWindowDays (7).
	QueryWindowDays *float64

	// The flow log's traffic type: ALL, ACCEPT or REJECT. An investigation that counts only
	// records of another action (accepted-tcp-traffic on a REJECT flow log, say) would always be
	// empty, so it is not saved.
	//
	// Default: - "ALL".
	TrafficType *string

	// The Glue database's name: lower-case letters, digits and underscores.
	//
	// Default: - "vpc_flow_logs".
	DatabaseName *string

	// The Glue table's name: lower-case letters, digits and underscores.
	//
	// Default: - "flow_logs".
	TableName *string

	// The Athena workgroup's name, unique in the account and Region.
	//
	// Default: - "vpc-flow-logs".
	WorkGroupName *string

	// The most bytes one query may scan before Athena cancels it
	// (https://docs.aws.amazon.com/athena/latest/ug/workgroups-setting-control-limits-cloudwatch.html),
	// at least 10,000,000, the CloudFormation schema's minimum
	// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-athena-workgroup-workgroupconfiguration.html).
	// Athena bills by bytes scanned, so this caps the cost of any one query.
	//
	// Default: - DefaultBytesScannedCutoff (10 GB).
	BytesScannedCutoffPerQuery *float64

	// The customer managed KMS key Athena encrypts query results with (SSE-KMS). Whoever runs
	// queries needs kms:GenerateDataKey and kms:Decrypt on it.
	//
	// Default: - SSE-S3.
	EncryptionKey awskms.IKey

	// The bucket for query results.
	//
	// Default: - a logbucket.LogBucket from ResultsBucketProps (child ID "ResultsBucket").
	ResultsBucket awss3.IBucket

	// Props for the results bucket created when ResultsBucket is nil.
	//
	// Default: - logbucket's hardening, results deleted after DefaultResultsExpireDays days.
	ResultsBucketProps *logbucket.LogBucketProps

	// The accounts and Regions whose flow logs the bucket holds: the partition projection's
	// values. Flow logs of other accounts (a central bucket) need their IDs here.
	//
	// Default: - this stack's account and Region.
	Accounts []string

	// Default: - this stack's Region.
	Regions []string
}

// FlowLogsAthena is the Athena side of an S3 flow-log destination.
type FlowLogsAthena interface {
	constructs.Construct
	// Database is the Glue database (child ID "Database").
	Database() awsglue.CfnDatabase
	// Table is the flow-log table (child ID "Table").
	Table() awsglue.CfnTable
	// WorkGroup is the Athena workgroup (child ID "WorkGroup").
	WorkGroup() awsathena.CfnWorkGroup
	// NamedQueries are the saved queries, one per investigation, in Investigations' order (child
	// IDs "Queries/<PascalCaseName>").
	NamedQueries() []awsathena.CfnNamedQuery
	// Investigations are the investigations saved as named queries.
	Investigations() []investigations.Investigation
	// Dropped are the catalogue investigations left out for the format or traffic type, with
	// why (none when Investigations were named).
	Dropped() []investigations.Dropped
	// ResultsBucket holds query results.
	ResultsBucket() awss3.IBucket
	// TableDefinition is the table as the athena package derived it, for DDL and documentation.
	TableDefinition() athena.Table
}

type flowLogsAthena struct {
	constructs.Construct
	database awsglue.CfnDatabase
	table    awsglue.CfnTable
	wg       awsathena.CfnWorkGroup
	queries  []awsathena.CfnNamedQuery
	invs     []investigations.Investigation
	dropped  []investigations.Dropped
	results  awss3.IBucket
	def      athena.Table
}

func (a *flowLogsAthena) Database() awsglue.CfnDatabase                  { return a.database }
func (a *flowLogsAthena) Table() awsglue.CfnTable                        { return a.table }
func (a *flowLogsAthena) WorkGroup() awsathena.CfnWorkGroup              { return a.wg }
func (a *flowLogsAthena) NamedQueries() []awsathena.CfnNamedQuery        { return slices.Clone(a.queries) }
func (a *flowLogsAthena) Investigations() []investigations.Investigation { return slices.Clone(a.invs) }
func (a *flowLogsAthena) Dropped() []investigations.Dropped              { return slices.Clone(a.dropped) }
func (a *flowLogsAthena) ResultsBucket() awss3.IBucket                   { return a.results }
func (a *flowLogsAthena) TableDefinition() athena.Table                  { return a.def }

// Defaults.
const (
	DefaultDatabaseName  = "vpc_flow_logs"
	DefaultTableName     = "flow_logs"
	DefaultWorkGroupName = "vpc-flow-logs"
	// DefaultBytesScannedCutoff is 10 GB: at Athena's $5 per TB scanned, about 5 cents a query.
	DefaultBytesScannedCutoff = 10_000_000_000
	// MinBytesScannedCutoff is the smallest per-query limit Athena accepts (10 MB).
	MinBytesScannedCutoff = 10_000_000
	// DefaultResultsExpireDays: query results are re-created by running the query again.
	DefaultResultsExpireDays = 30
	// ResultsPrefix is the folder of the results bucket Athena writes to.
	ResultsPrefix = "athena-results/"
	// DefaultQueryWindowDays: the saved queries read today's objects and the 7 days before.
	DefaultQueryWindowDays = 7
)

// ValidateBytesScannedCutoff checks a per-query scan limit; setting names the setting in the message.
func ValidateBytesScannedCutoff(setting string, v float64) error {
	if v < MinBytesScannedCutoff || v != float64(int64(v)) {
		return fmt.Errorf("%s %v is not allowed; use a whole number of bytes, at least %d (10 MB, Athena's minimum)", setting, v, MinBytesScannedCutoff)
	}
	return nil
}

// NewFlowLogsAthena creates the database, table, workgroup, results bucket and named queries. It
// panics with a message naming the prop when a prop is invalid, and when an investigation asked
// for by name needs fields the format lacks.
func NewFlowLogsAthena(scope constructs.Construct, id *string, props *FlowLogsAthenaProps) FlowLogsAthena {
	var p FlowLogsAthenaProps
	if props != nil {
		p = *props
	}
	if p.Bucket == nil {
		panic("flowlogsathena: Bucket is nil; give the bucket the flow logs are delivered to")
	}
	format := flowlog.DefaultFormat()
	if p.Format != nil {
		format = *p.Format
	}
	var layout s3layout.Layout
	if p.Layout != nil {
		layout = *p.Layout
	}
	dbName := orString(p.DatabaseName, DefaultDatabaseName)
	tableName := orString(p.TableName, DefaultTableName)
	wgName := orString(p.WorkGroupName, DefaultWorkGroupName)
	for _, n := range []struct{ prop, v string }{{"DatabaseName", dbName}, {"TableName", tableName}} {
		if err := validateGlueName(n.v); err != nil {
			panic(fmt.Sprintf("flowlogsathena: %s %q is not allowed; %v", n.prop, n.v, err))
		}
	}
	cutoff := float64(DefaultBytesScannedCutoff)
	if p.BytesScannedCutoffPerQuery != nil {
		cutoff = *p.BytesScannedCutoffPerQuery
	}
	if err := ValidateBytesScannedCutoff("flowlogsathena: BytesScannedCutoffPerQuery", cutoff); err != nil {
		panic(err.Error())
	}
	window := float64(DefaultQueryWindowDays)
	if p.QueryWindowDays != nil {
		window = *p.QueryWindowDays
	}
	if window < 0 || window >= athena.MaxPredicateDays || window != float64(int(window)) {
		panic(fmt.Sprintf("flowlogsathena: QueryWindowDays %v is not allowed; use a whole number of days from 0 to %d", window, athena.MaxPredicateDays-1))
	}
	traffic := leftout.TrafficType("flowlogsathena", p.TrafficType)
	invs, dropped, err := leftout.Choose(format, traffic, p.Investigations, nil)
	if err != nil {
		panic(fmt.Sprintf("flowlogsathena: Investigations: %v", err))
	}

	this := &flowLogsAthena{invs: invs, dropped: dropped}
	constructs.NewConstruct_Override(this, scope, id)
	leftout.Note(this, "Athena named queries", dropped)
	stack := awscdk.Stack_Of(this)
	accounts, regions := p.Accounts, p.Regions
	if len(accounts) == 0 {
		accounts = []string{*stack.Account()}
	}
	if len(regions) == 0 {
		regions = []string{*stack.Region()}
	}
	def, err := athena.NewTable(format, layout, *p.Bucket.BucketName(), accounts, regions)
	if err != nil {
		panic(fmt.Sprintf("flowlogsathena: the table for this format and layout: %v", err))
	}
	this.def = def

	this.database = awsglue.NewCfnDatabase(this, jsii.String("Database"), &awsglue.CfnDatabaseProps{
		CatalogId: stack.Account(),
		DatabaseInput: &awsglue.CfnDatabase_DatabaseInputProperty{
			Name:        jsii.String(dbName),
			Description: jsii.String("VPC flow logs delivered to S3 (vpc-flow-logs)"),
		},
	})
	this.table = awsglue.NewCfnTable(this, jsii.String("Table"), &awsglue.CfnTableProps{
		CatalogId:    stack.Account(),
		DatabaseName: this.database.Ref(),
		TableInput:   tableInput(tableName, format, def),
	})

	this.results = p.ResultsBucket
	if this.results == nil {
		bp := logbucket.LogBucketProps{
			TransitionToInfrequentAccessAfterDays: jsii.Number(0),
			TransitionToGlacierAfterDays:          jsii.Number(0),
			ExpireAfterDays:                       jsii.Number(DefaultResultsExpireDays),
		}
		if p.ResultsBucketProps != nil {
			bp = *p.ResultsBucketProps
		}
		this.results = logbucket.NewLogBucket(this, jsii.String("ResultsBucket"), &bp).Bucket()
	}

	encryption := &awsathena.CfnWorkGroup_EncryptionConfigurationProperty{EncryptionOption: jsii.String("SSE_S3")}
	if p.EncryptionKey != nil {
		encryption = &awsathena.CfnWorkGroup_EncryptionConfigurationProperty{
			EncryptionOption: jsii.String("SSE_KMS"), KmsKey: p.EncryptionKey.KeyArn()}
	}
	this.wg = awsathena.NewCfnWorkGroup(this, jsii.String("WorkGroup"), &awsathena.CfnWorkGroupProps{
		Name:        jsii.String(wgName),
		Description: jsii.String("Investigations of the VPC flow logs in " + dbName + "." + tableName + " (vpc-flow-logs)"),
		State:       jsii.String("ENABLED"),
		// Lets the stack delete the workgroup although it holds named queries and query history
		// (https://docs.aws.amazon.com/athena/latest/APIReference/API_DeleteWorkGroup.html); the
		// results bucket and the flow logs are not touched.
		RecursiveDeleteOption: jsii.Bool(true),
		WorkGroupConfiguration: &awsathena.CfnWorkGroup_WorkGroupConfigurationProperty{
			// Queries cannot override the result location, expected bucket owner or encryption
			// (https://docs.aws.amazon.com/athena/latest/ug/workgroups-settings-override.html).
			EnforceWorkGroupConfiguration:   jsii.Bool(true),
			BytesScannedCutoffPerQuery:      jsii.Number(cutoff),
			PublishCloudWatchMetricsEnabled: jsii.Bool(true),
			EngineVersion: &awsathena.CfnWorkGroup_EngineVersionProperty{
				SelectedEngineVersion: jsii.String("Athena engine version 3"),
			},
			ResultConfiguration: &awsathena.CfnWorkGroup_ResultConfigurationProperty{
				OutputLocation:          jsii.String("s3://" + *this.results.BucketName() + "/" + ResultsPrefix),
				ExpectedBucketOwner:     stack.Account(),
				EncryptionConfiguration: encryption,
			},
		},
	})

	queries := constructs.NewConstruct(this, jsii.String("Queries"))
	table := dbName + "." + tableName
	recent, err := def.RecentDaysPredicate(int(window))
	if err != nil {
		panic(fmt.Sprintf("flowlogsathena: QueryWindowDays: %v", err))
	}
	for _, inv := range invs {
		sql, err := inv.AthenaSQLWhere(table, format, recent)
		if err != nil {
			panic(fmt.Sprintf("flowlogsathena: investigation %s: %v", inv.Name, err))
		}
		q := awsathena.NewCfnNamedQuery(queries, jsii.String(names.PascalCase(inv.Name)), &awsathena.CfnNamedQueryProps{
			Name:        jsii.String(inv.Name),
			Description: jsii.String(describe(inv, def, int(window))),
			Database:    jsii.String(dbName),
			QueryString: jsii.String(sql),
			WorkGroup:   this.wg.Ref(),
		})
		// The query names the table, which must exist when someone runs it.
		q.Node().AddDependency(this.table)
		this.queries = append(this.queries, q)
	}
	return this
}

// describe is a named query's description: the title and the question, the parameters a
// query takes (Athena prompts for '?' values when it is run from the console), and the window of
// days its partition condition reads.
func describe(inv investigations.Investigation, t athena.Table, days int) string {
	d := inv.Title + ": " + inv.Question
	if ps := inv.Params(); len(ps) > 0 {
		list := make([]string, len(ps))
		for i, prm := range ps {
			list[i] = prm.Name
		}
		d += " Parameters, in order: " + strings.Join(list, ", ") + "."
	}
	cols := `"` + athena.PartDate + `"`
	if t.Layout.Hive {
		cols = `"` + athena.PartYear + `", "` + athena.PartMonth + `", "` + athena.PartDay + `"`
	}
	when := fmt.Sprintf("today's objects and those of the %d days before (UTC)", days)
	if days == 0 {
		when = "today's objects only (UTC)"
	}
	d += " Reads " + when + ", by the condition on " + cols + "; widen or drop it to read more."
	if len(d) > 1024 {
		d = d[:1024]
	}
	return d
}

func tableInput(name string, format flowlog.Format, t athena.Table) *awsglue.CfnTable_TableInputProperty {
	cols := func(cs []athena.Column) *[]any {
		out := make([]any, len(cs))
		for i, c := range cs {
			col := &awsglue.CfnTable_ColumnProperty{Name: jsii.String(c.Name), Type: jsii.String(c.Type)}
			if c.Comment != "" {
				col.Comment = jsii.String(c.Comment)
			}
			out[i] = col
		}
		return &out
	}
	params := func(m map[string]string) map[string]any {
		out := make(map[string]any, len(m))
		for _, k := range slices.Sorted(maps.Keys(m)) {
			out[k] = m[k]
		}
		return out
	}
	serde := &awsglue.CfnTable_SerdeInfoProperty{SerializationLibrary: jsii.String(t.SerDe)}
	if len(t.SerDeParams) > 0 {
		serde.Parameters = params(t.SerDeParams)
	}
	return &awsglue.CfnTable_TableInputProperty{
		Name:          jsii.String(name),
		Description:   jsii.String("VPC flow logs in the format " + format.String()),
		TableType:     jsii.String("EXTERNAL_TABLE"),
		Parameters:    params(t.Parameters),
		PartitionKeys: cols(t.PartitionKeys),
		StorageDescriptor: &awsglue.CfnTable_StorageDescriptorProperty{
			Columns:      cols(t.Columns),
			Location:     jsii.String(t.Location),
			InputFormat:  jsii.String(t.InputFormat),
			OutputFormat: jsii.String(t.OutputFormat),
			SerdeInfo:    serde,
		},
	}
}

// validateGlueName applies Athena's rule for database and table names: lower-case letters,
// digits and underscores (https://docs.aws.amazon.com/athena/latest/ug/tables-databases-columns-names.html).
func validateGlueName(s string) error {
	if s == "" || len(s) > 255 {
		return fmt.Errorf("use 1 to 255 characters")
	}
	for _, r := range s {
		lower, digit := r >= 'a' && r <= 'z', r >= '0' && r <= '9'
		if !lower && !digit && r != '_' {
			return fmt.Errorf("use lower-case letters, digits and underscores only")
		}
	}
	return nil
}

func orString(v *string, d string) string {
	if v == nil || *v == "" {
		return d
	}
	return *v
}
