package review

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// Report is what [Explain] says about one template.
type Report struct {
	Template string          `json:"template"`
	FlowLogs []FlowLogReport `json:"flowLogs"`
	Findings []Finding       `json:"findings"` // every rule's findings on the template, most severe first
}

// FlowLogReport describes one AWS::EC2::FlowLog and what it depends on.
type FlowLogReport struct {
	LogicalID    string `json:"logicalId"`
	ResourceType string `json:"resourceType"`           // VPC, Subnet, NetworkInterface, TransitGateway, TransitGatewayAttachment
	Resource     string `json:"resource"`               // ResourceId as written (${Id} for a Ref)
	ResourceKind string `json:"resourceKind,omitempty"` // the CloudFormation type ResourceId names, when in the template
	TrafficType  string `json:"trafficType"`            // "" when not set
	Interval     int    `json:"intervalSeconds"`        // 0 when not set or not a literal
	// IntervalWritten is MaxAggregationInterval as written when it is not a
	// literal (a Ref to a parameter, an Fn::If), with the values it may take.
	IntervalWritten string          `json:"intervalWritten,omitempty"`
	Destination     Destination     `json:"destination"`
	Format          FormatReport    `json:"format"`
	Delivery        *RoleReport     `json:"deliveryRole,omitempty"`
	CrossAccount    string          `json:"deliverCrossAccountRole,omitempty"`
	Storage         []StorageReport `json:"storage,omitempty"` // the destination resources in the template
	Analytics       []Analytic      `json:"analytics,omitempty"`
	Findings        []Finding       `json:"findings,omitempty"` // findings on the flow log and the resources above
}

// Destination is where a flow log delivers.
type Destination struct {
	Type       string `json:"type"`                 // cloud-watch-logs, s3 or kinesis-data-firehose
	Target     string `json:"target"`               // LogDestination or LogGroupName as written
	ResourceID string `json:"resourceId,omitempty"` // the log group, bucket or stream in the template
	Prefix     string `json:"prefix,omitempty"`     // S3 key prefix after the bucket ARN
	FileFormat string `json:"fileFormat,omitempty"` // S3: plain-text or parquet
	Hive       bool   `json:"hiveCompatiblePartitions,omitempty"`
	PerHour    bool   `json:"perHourPartition,omitempty"`
	// OptionsCase is "camelCase" when DestinationOptions uses the keys CDK's
	// ec2.FlowLog writes (fileFormat, ...) instead of the schema's PascalCase.
	OptionsCase string `json:"optionsCase,omitempty"`
}

// FormatReport is a flow log's LogFormat decoded with the field registry.
type FormatReport struct {
	Written  string        `json:"written,omitempty"` // LogFormat as written; "" for the AWS default
	Default  bool          `json:"default"`
	Version  int           `json:"version,omitempty"` // highest field version; 0 when not decoded
	Fields   []FieldReport `json:"fields,omitempty"`
	Error    string        `json:"error,omitempty"` // why it could not be decoded
	TagKeys  []TagKeys     `json:"tagFieldSpecifications,omitempty"`
	Checked  bool          `json:"checked"` // decoded with the registry (false for transit gateway formats)
	Comments []string      `json:"comments,omitempty"`
}

// FieldReport is one field of a format.
type FieldReport struct {
	Name        string `json:"name"`
	Version     int    `json:"version"`
	Description string `json:"description"`
	TagKey      string `json:"tagKey,omitempty"` // for v11 tag fields: the tag key it carries
}

// TagKeys is one entry of TagFieldSpecifications.
type TagKeys struct {
	ResourceType string   `json:"resourceType"`
	Keys         []string `json:"tagKeys"`
}

// RoleReport is the delivery role: who may assume it, under which
// conditions, and what it may do.
type RoleReport struct {
	Ref         string            `json:"ref"`                 // DeliverLogsPermissionArn as written
	LogicalID   string            `json:"logicalId,omitempty"` // the role, when in the template
	Trust       []StatementReport `json:"trust,omitempty"`
	Permissions []StatementReport `json:"permissions,omitempty"`
	Managed     []string          `json:"managedPolicyArns,omitempty"`
}

// StatementReport is a policy statement for people.
type StatementReport struct {
	Source     string   `json:"source,omitempty"` // the resource it comes from
	Effect     string   `json:"effect"`
	Principal  string   `json:"principal,omitempty"`
	Actions    []string `json:"actions,omitempty"`
	Resources  []string `json:"resources,omitempty"`
	Conditions []string `json:"conditions,omitempty"`
	// Unpinned are the confused-deputy keys (aws:SourceAccount,
	// aws:SourceArn) present with values that match any account.
	Unpinned []string `json:"unpinnedConditions,omitempty"`
}

// StorageReport describes a log group, bucket or stream that receives flow logs.
type StorageReport struct {
	LogicalID     string `json:"logicalId"`
	Type          string `json:"type"`
	Encryption    string `json:"encryption"`
	KMSKey        string `json:"kmsKey,omitempty"`        // the customer managed key in the template, if any
	RetentionDays int    `json:"retentionDays,omitempty"` // log group; 0: never expires; the shortest when it depends on a condition or parameter
	// RetentionWritten is set when RetentionInDays is not a literal: every
	// value it may take ("1 or 365 days"), or the expression when it is known
	// only at deploy time (then RetentionUnknown is set).
	RetentionWritten    string            `json:"retentionWritten,omitempty"`
	RetentionUnknown    bool              `json:"retentionUnknown,omitempty"`
	LogGroupClass       string            `json:"logGroupClass,omitempty"`
	Lifecycle           *Lifecycle        `json:"lifecycle,omitempty"` // bucket
	Versioning          string            `json:"versioning,omitempty"`
	ObjectLock          bool              `json:"objectLock,omitempty"`
	PublicAccessBlocked bool              `json:"publicAccessBlocked,omitempty"`
	DeletionPolicy      string            `json:"deletionPolicy"`
	UpdateReplacePolicy string            `json:"updateReplacePolicy,omitempty"`
	Policy              []StatementReport `json:"policy,omitempty"` // bucket policy statements
	Notes               []string          `json:"notes,omitempty"`
}

// Analytic is a resource that queries, alarms on or catalogues the flow logs.
type Analytic struct {
	LogicalID string `json:"logicalId"`
	Type      string `json:"type"`
	Summary   string `json:"summary"`
	Metrics   int    `json:"metrics,omitempty"` // metric filters: how many metrics they publish
	KMSKey    string `json:"kmsKey,omitempty"`  // an SNS topic's key (KmsMasterKeyId), when a key of the template
}

// Explain describes every flow log of t and runs the rules over t.
func Explain(t *Template) Report {
	rep := Report{Template: t.Path, Findings: Check(t), FlowLogs: []FlowLogReport{}}
	if rep.Findings == nil {
		rep.Findings = []Finding{} // [] in JSON, not null
	}
	byResource := map[string][]int{} // indices into rep.Findings
	for i, f := range rep.Findings {
		byResource[f.LogicalID] = append(byResource[f.LogicalID], i)
	}
	for _, id := range t.IDs(TypeFlowLog) {
		rep.FlowLogs = append(rep.FlowLogs, explainFlowLog(t, id, rep.Findings, byResource))
	}
	return rep
}

// explainFlowLog describes flow log id; findings are the template's, and
// byResource their indices by logical ID.
func explainFlowLog(t *Template, id string, findings []Finding, byResource map[string][]int) FlowLogReport {
	r := t.Resources[id]
	fl := FlowLogReport{LogicalID: id, ResourceType: r.Str("ResourceType"), Resource: Show(r.Properties["ResourceId"])}
	if target, _, ok := Target(r.Properties["ResourceId"]); ok {
		fl.ResourceKind = t.Resources[target].Type
	}
	if v, ok := r.Properties["TrafficType"]; ok {
		fl.TrafficType = Show(v) + t.mayBe(v)
	}
	fl.Interval, _ = Int(r.Properties["MaxAggregationInterval"])
	if v, ok := r.Properties["MaxAggregationInterval"]; ok && fl.Interval == 0 {
		fl.IntervalWritten = Show(v) + t.mayBe(v)
	}
	fl.Destination = explainDestination(t, r)
	fl.Format = explainFormat(r)
	if v, ok := r.Properties["DeliverLogsPermissionArn"]; ok {
		fl.Delivery = explainRole(t, v)
	}
	if v, ok := r.Properties["DeliverCrossAccountRole"]; ok {
		fl.CrossAccount = Show(v)
	}
	related := map[string]bool{id: true}
	if fl.Delivery != nil && fl.Delivery.LogicalID != "" {
		related[fl.Delivery.LogicalID] = true
		for _, p := range attachedPolicies(t, fl.Delivery.LogicalID) {
			related[p] = true
		}
	}
	for _, d := range Destinations(t, r) {
		st := explainStorage(t, d)
		fl.Storage = append(fl.Storage, st)
		related[d] = true
		for _, ps := range st.Policy { // bucket and log-group resource policies
			if ps.Source != "" {
				related[ps.Source] = true
			}
		}
		for _, p := range bucketPolicies(t)[d] {
			related[p] = true
		}
		if k := keyOf(t, d); k != "" {
			related[k] = true
		}
	}
	fl.Analytics = analytics(t, id, Destinations(t, r))
	var mine []int
	for rid := range related {
		mine = append(mine, byResource[rid]...)
	}
	slices.Sort(mine) // the template's order
	for _, i := range mine {
		fl.Findings = append(fl.Findings, findings[i])
	}
	return fl
}

func explainDestination(t *Template, r Resource) Destination {
	d := Destination{Type: DestinationType(r)}
	if v, ok := r.Properties["LogDestination"]; ok {
		d.Target = Show(v)
	} else if v, ok := r.Properties["LogGroupName"]; ok {
		d.Target = Show(v)
	}
	if ds := Destinations(t, r); len(ds) > 0 {
		d.ResourceID = ds[0]
	}
	if d.Type == DestS3 {
		d.Prefix = s3Prefix(r.Properties["LogDestination"])
		opts, _ := r.Properties["DestinationOptions"].(map[string]any)
		get := func(pascal string) (any, bool) {
			if v, ok := opts[pascal]; ok {
				return v, true
			}
			camel := strings.ToLower(pascal[:1]) + pascal[1:]
			if v, ok := opts[camel]; ok {
				d.OptionsCase = "camelCase"
				return v, true
			}
			return nil, false
		}
		d.FileFormat = "plain-text"
		if v, ok := get("FileFormat"); ok {
			d.FileFormat = Show(v)
		}
		if v, ok := get("HiveCompatiblePartitions"); ok {
			d.Hive, _ = Bool(v)
		}
		if v, ok := get("PerHourPartition"); ok {
			d.PerHour, _ = Bool(v)
		}
	}
	return d
}

// s3Prefix returns the key prefix of an S3 LogDestination: what follows the
// bucket ARN ("arn:aws:s3:::bucket/prefix/", also in an Fn::Sub without
// variables, or Fn::Join [GetAtt Arn, "/prefix"]).
func s3Prefix(v any) string {
	p, _ := s3PrefixOf(v)
	return p
}

// s3PrefixOf is s3Prefix, with known false when part of the prefix is known
// only at deploy time (a Ref, an import, ...): it cannot be checked offline.
// In an Fn::Join the bucket may itself be such a part
// (["arn:aws:s3:::", !ImportValue bucket]): that leaves the prefix empty and
// known, not an import shown as a prefix.
func s3PrefixOf(v any) (prefix string, known bool) {
	if s, ok := Literal(v); ok {
		rest := strings.TrimPrefix(s, "arn:aws:s3:::")
		if _, p, ok := strings.Cut(rest, "/"); ok {
			return p, true
		}
		return "", true
	}
	m, _ := v.(map[string]any)
	j, _ := m["Fn::Join"].([]any)
	if len(j) != 2 {
		return "", !strings.Contains(Show(v), "/")
	}
	sep, _ := j[0].(string)
	parts, _ := j[1].([]any)
	var b strings.Builder
	lastOpaque := -1 // end offset of the last part that is not a literal
	for i, p := range parts {
		if i > 0 {
			b.WriteString(sep)
		}
		if s, ok := Literal(p); ok {
			b.WriteString(s)
			continue
		}
		b.WriteString(Show(p))
		lastOpaque = b.Len()
	}
	s := b.String()
	start := 0
	if i := strings.Index(s, ":s3:::"); i >= 0 {
		start = i + len(":s3:::")
	}
	slash := strings.IndexByte(s[start:], '/')
	if slash < 0 {
		return "", true
	}
	start += slash + 1
	return s[start:], lastOpaque <= start
}

func explainFormat(r Resource) FormatReport {
	var fr FormatReport
	for _, spec := range Strings(r.Properties["TagFieldSpecifications"]) {
		m, _ := spec.(map[string]any)
		tk := TagKeys{ResourceType: Show(m["ResourceType"])}
		for _, k := range Strings(m["TagKeys"]) {
			tk.Keys = append(tk.Keys, Show(k))
		}
		fr.TagKeys = append(fr.TagKeys, tk)
	}
	raw, ok := r.Properties["LogFormat"]
	tgw := IsTransitGateway(r.Str("ResourceType"))
	if !ok {
		fr.Default = true
		if tgw {
			fr.Comments = append(fr.Comments, "without a LogFormat a transit gateway flow log records every transit gateway field ("+docTGWCLI+")")
			return decodeTGW(fr, flowlog.DefaultTransitGatewayFormat())
		}
		return decode(fr, flowlog.DefaultFormat())
	}
	fr.Written = Show(raw)
	s, ok := Literal(raw)
	if !ok {
		fr.Error = "not a literal string"
		return fr
	}
	if tgw {
		f, err := flowlog.ParseTransitGatewayFormat(s)
		if err != nil {
			fr.Error = strings.TrimPrefix(err.Error(), "flowlog: format: ")
			return fr
		}
		return decodeTGW(fr, f)
	}
	f, err := flowlog.ParseFormat(s)
	if err != nil {
		fr.Error = strings.TrimPrefix(err.Error(), "flowlog: format: ")
		return fr
	}
	if f == flowlog.DefaultFormat() {
		fr.Comments = append(fr.Comments, "written out, but exactly the fields of the AWS default format")
	}
	return decode(fr, f)
}

func decode(fr FormatReport, f flowlog.Format) FormatReport {
	fr.Checked = true
	fr.Version = f.Version()
	for _, fld := range f.Fields() {
		rep := FieldReport{Name: fld.Name(), Version: fld.Version(), Description: fld.Description()}
		rep.TagKey = tagKeyFor(fld.Name(), fr.TagKeys)
		if fld.Version() == 11 && strings.Contains(fld.Name(), "tag") && rep.TagKey == "" {
			rep.TagKey = "(no key in TagFieldSpecifications: the field stays empty)"
		}
		fr.Fields = append(fr.Fields, rep)
	}
	return fr
}

// tgwRecordVersion is the version of transit gateway flow-log records (docTGWRecords).
const tgwRecordVersion = 6

func decodeTGW(fr FormatReport, f flowlog.TransitGatewayFormat) FormatReport {
	fr.Checked = true
	fr.Version = tgwRecordVersion
	for _, fld := range f.Fields() {
		fr.Fields = append(fr.Fields, FieldReport{Name: fld.Name, Version: tgwRecordVersion, Description: fld.Description})
	}
	return fr
}

// tagKeyFor returns the tag key a v11 tag field carries: the first or second
// key of the TagFieldSpecifications entry for its resource kind.
func tagKeyFor(field string, specs []TagKeys) string {
	kind, second := strings.CutSuffix(field, "-2")
	var want string
	switch kind {
	case "instance-tag":
		want = "instance"
	case "interface-tag":
		want = "interface"
	case "asg-tag":
		want = "auto"
	default:
		return ""
	}
	for _, s := range specs {
		rt := strings.ToLower(strings.ReplaceAll(s.ResourceType, "-", ""))
		matches := strings.Contains(rt, want) || (want == "auto" && strings.Contains(rt, "asg"))
		if !matches {
			continue
		}
		i := 0
		if second {
			i = 1
		}
		if i < len(s.Keys) {
			return s.Keys[i]
		}
	}
	return ""
}

func explainRole(t *Template, v any) *RoleReport {
	rr := &RoleReport{Ref: Show(v)}
	id, _, ok := Target(v)
	r, inTemplate := t.Resources[id]
	if !ok || !inTemplate || r.Type != TypeRole {
		return rr
	}
	rr.LogicalID = id
	for _, s := range Statements(r.Properties["AssumeRolePolicyDocument"], "AssumeRolePolicyDocument") {
		rr.Trust = append(rr.Trust, statementReport("", s))
	}
	for i, p := range Strings(r.Properties["Policies"]) {
		pm, _ := p.(map[string]any)
		for _, s := range Statements(pm["PolicyDocument"], fmt.Sprintf("Policies[%d].PolicyDocument", i)) {
			rr.Permissions = append(rr.Permissions, statementReport(id+" inline "+Show(pm["PolicyName"]), s))
		}
	}
	for _, pid := range attachedPolicies(t, id) {
		for _, s := range Statements(t.Resources[pid].Properties["PolicyDocument"], "PolicyDocument") {
			rr.Permissions = append(rr.Permissions, statementReport(pid, s))
		}
	}
	for _, m := range Strings(r.Properties["ManagedPolicyArns"]) {
		rr.Managed = append(rr.Managed, Show(m))
	}
	return rr
}

// attachedPolicies returns the AWS::IAM::Policy and ManagedPolicy resources whose Roles name the role.
func attachedPolicies(t *Template, role string) []string {
	var out []string
	for _, id := range append(slices.Clone(t.IDs("AWS::IAM::Policy")), t.IDs("AWS::IAM::ManagedPolicy")...) {
		r := t.Resources[id]
		for _, x := range Strings(r.Properties["Roles"]) {
			if target, _, ok := Target(x); ok && target == role {
				out = append(out, id)
			}
		}
	}
	return out
}

func statementReport(source string, s Statement) StatementReport {
	sr := StatementReport{Source: source, Effect: s.Effect, Actions: s.Actions, Conditions: s.Conditions(), Unpinned: s.UnpinnedDeputyKeys()}
	if s.Principal.Star || len(s.Principal.AWS)+len(s.Principal.Service)+len(s.Principal.Federated) > 0 {
		sr.Principal = s.Principal.String()
	}
	if s.NotResource {
		sr.Resources = []string{"NotResource ..."}
	}
	for _, r := range s.Resources {
		sr.Resources = append(sr.Resources, Show(r))
	}
	return sr
}

// keyOf returns the KMS key in t that encrypts a log group or bucket.
func keyOf(t *Template, id string) string {
	r := t.Resources[id]
	var v any
	switch r.Type {
	case TypeLogGroup:
		v = r.Properties["KmsKeyId"]
	case TypeBucket:
		cfg, _ := r.Prop("BucketEncryption.ServerSideEncryptionConfiguration")
		for _, c := range Strings(cfg) {
			cm, _ := c.(map[string]any)
			def, _ := cm["ServerSideEncryptionByDefault"].(map[string]any)
			v = def["KMSMasterKeyID"]
		}
	}
	if target, _, ok := Target(v); ok && t.Resources[target].Type == TypeKey {
		return target
	}
	return ""
}

func explainStorage(t *Template, id string) StorageReport {
	r := t.Resources[id]
	sr := StorageReport{LogicalID: id, Type: r.Type, DeletionPolicy: orDefault(r.DeletionPolicy, "Delete (default)"), UpdateReplacePolicy: r.UpdateReplacePolicy, KMSKey: keyOf(t, id)}
	switch r.Type {
	case TypeLogGroup:
		sr.Policy = logGroupPolicies(t, id)
		sr.RetentionDays, sr.RetentionWritten, sr.RetentionUnknown = retention(t, r.Properties["RetentionInDays"])
		sr.LogGroupClass = orDefault(r.Str("LogGroupClass"), "STANDARD (default)")
		sr.Encryption = "CloudWatch Logs managed"
		if k, ok := r.Properties["KmsKeyId"]; ok {
			sr.Encryption = "KMS key " + Show(k)
		}
	case TypeBucket:
		alg, key := bucketEncryption(r)
		switch {
		case alg == "":
			sr.Encryption = "SSE-S3 (S3 default)"
		case key != "":
			sr.Encryption = alg + " with key " + key
		case alg == "AES256":
			sr.Encryption = "SSE-S3 (AES256)"
		default:
			sr.Encryption = alg
		}
		lc := BucketLifecycle(r)
		sr.Lifecycle = &lc
		sr.Versioning = orDefault(r.Str("VersioningConfiguration.Status"), "not enabled")
		sr.ObjectLock, _ = Bool(r.Properties["ObjectLockEnabled"])
		pab, _ := r.Properties["PublicAccessBlockConfiguration"].(map[string]any)
		sr.PublicAccessBlocked = len(pab) == 4
		for k := range pab {
			if b, _ := Bool(pab[k]); !b {
				sr.PublicAccessBlocked = false
			}
		}
		for _, p := range bucketPolicies(t)[id] {
			for _, s := range Statements(t.Resources[p].Properties["PolicyDocument"], "PolicyDocument") {
				sr.Policy = append(sr.Policy, statementReport(p, s))
			}
		}
	case TypeStream:
		sr.Encryption = "not set"
		if e, ok := r.Properties["DeliveryStreamEncryptionConfigurationInput"]; ok {
			sr.Encryption = Show(e)
		}
		sr.Notes = append(sr.Notes, "stream type "+orDefault(r.Str("DeliveryStreamType"), "DirectPut (default)"))
	}
	return sr
}

// logGroupPolicies returns the statements of AWS::Logs::ResourcePolicy
// resources that name the log group (by reference or by its literal name).
// Their PolicyDocument is a JSON string, often built with Fn::Sub or
// Fn::Join; it is read with intrinsics shown in ${...} form.
func logGroupPolicies(t *Template, logGroup string) []StatementReport {
	name, _ := t.Resources[logGroup].Properties["LogGroupName"].(string)
	var out []StatementReport
	for _, id := range t.IDs("AWS::Logs::ResourcePolicy") {
		raw := t.Resources[id].Properties["PolicyDocument"]
		text := Show(raw)
		if !contains(Targets(raw), logGroup) && (name == "" || !strings.Contains(text, name)) {
			continue
		}
		doc, err := logsResourcePolicy(t.Resources[id])
		if err != nil {
			out = append(out, StatementReport{Source: id, Effect: "(policy document not readable: " + err.Error() + ")"})
			continue
		}
		for _, s := range Statements(doc, "PolicyDocument") {
			out = append(out, statementReport(id, s))
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// analyticsTypes are the resource types that query, alarm on or catalogue logs.
var analyticsTypes = map[string]bool{
	"AWS::Glue::Database": true, "AWS::Glue::Table": true, "AWS::Athena::WorkGroup": true,
	"AWS::Athena::NamedQuery": true, "AWS::Athena::PreparedStatement": true, "AWS::Logs::QueryDefinition": true,
	"AWS::Logs::MetricFilter": true, "AWS::Logs::SubscriptionFilter": true, "AWS::CloudWatch::Alarm": true,
	"AWS::CloudWatch::InsightRule": true, "AWS::CloudWatch::Dashboard": true, "AWS::Logs::AccountPolicy": true,
	TypeTopic: true,
}

// TypeTopic is an SNS topic: linked as analytics when an alarm of a flow log notifies it.
const TypeTopic = "AWS::SNS::Topic"

// analytics returns the analytics resources linked to a flow log: those that
// refer (by Ref, GetAtt, Sub or a literal name) to the flow log, its
// destinations or an already linked analytics resource, followed to a fixed point.
func analytics(t *Template, flowLog string, dests []string) []Analytic {
	linked := map[string]bool{flowLog: true}
	for _, d := range dests {
		linked[d] = true
	}
	names := literalNames(t)
	ids := analyticsIDs(t)
	for changed := true; changed; {
		changed = false
		for _, id := range ids {
			r := t.Resources[id]
			if !linked[id] && refersTo(t, r, linked, names) {
				linked[id] = true
				changed = true
			}
			// A linked table belongs to its database, a linked saved query runs in
			// its workgroup, a linked alarm notifies its topics: link what they
			// name, too.
			if linked[id] && (r.Type == "AWS::Glue::Table" || r.Type == "AWS::Athena::NamedQuery" || r.Type == "AWS::CloudWatch::Alarm") {
				for _, target := range Targets(r.Properties) {
					if analyticsTypes[t.Resources[target].Type] && !linked[target] {
						linked[target] = true
						changed = true
					}
				}
			}
		}
	}
	var out []Analytic
	for _, id := range ids {
		r := t.Resources[id]
		if linked[id] {
			a := Analytic{LogicalID: id, Type: r.Type, Summary: analyticSummary(r), Metrics: len(Strings(r.Properties["MetricTransformations"]))}
			if key, _, ok := Target(r.Properties["KmsMasterKeyId"]); ok && r.Type == TypeTopic && t.Resources[key].Type == TypeKey {
				a.KMSKey = key
			}
			out = append(out, a)
		}
	}
	return out
}

// analyticsIDs returns the logical IDs of the analytics resources of t, sorted.
func analyticsIDs(t *Template) []string {
	var ids []string
	for ty := range analyticsTypes {
		ids = append(ids, t.IDs(ty)...)
	}
	slices.Sort(ids)
	return ids
}

// literalNames maps the names resources give themselves (a log group's
// LogGroupName, a bucket's BucketName, a Glue database's or table's name, a
// workgroup's or insight rule's name, a metric filter's "namespace/metric") to
// their logical IDs, so references by literal name link too.
// The map is shared: do not modify it.
func literalNames(t *Template) map[string]string { return t.index().names }

func literalNamesOf(t *Template) map[string]string {
	out := map[string]string{}
	add := func(v any, id string) {
		if s, ok := v.(string); ok && s != "" {
			out[s] = id
		}
	}
	for id, r := range t.Resources {
		switch r.Type {
		case TypeLogGroup:
			add(r.Properties["LogGroupName"], id)
		case TypeBucket:
			add(r.Properties["BucketName"], id)
		case "AWS::Glue::Database":
			v, _ := r.Prop("DatabaseInput.Name")
			add(v, id)
		case "AWS::Glue::Table":
			v, _ := r.Prop("TableInput.Name")
			add(v, id)
		case "AWS::Athena::WorkGroup":
			add(r.Properties["Name"], id)
		case "AWS::CloudWatch::InsightRule":
			add(r.Properties["RuleName"], id)
		case "AWS::Logs::MetricFilter":
			for _, mt := range Strings(r.Properties["MetricTransformations"]) {
				m, _ := mt.(map[string]any)
				ns, _ := m["MetricNamespace"].(string)
				name, _ := m["MetricName"].(string)
				if ns != "" && name != "" {
					out[ns+"/"+name] = id
				}
			}
		}
	}
	return out
}

// refersTo reports whether r names a linked resource: by Ref, GetAtt or Sub;
// by a property value equal to its literal name; an alarm by the namespace
// and name of a linked metric filter's metric; or a rule, dashboard or query
// body that mentions a linked log group's or bucket's literal name.
func refersTo(t *Template, r Resource, linked map[string]bool, names map[string]string) bool {
	for _, id := range Targets(r.Properties) {
		if linked[id] {
			return true
		}
	}
	if ns, ok := r.Properties["Namespace"].(string); ok {
		if name, ok := r.Properties["MetricName"].(string); ok && linked[names[ns+"/"+name]] {
			return true
		}
	}
	found := false
	walkStrings(r.Properties, func(s string) {
		if id, ok := names[s]; ok && linked[id] {
			found = true
			return
		}
		for name, id := range names {
			ty := t.Resources[id].Type
			if linked[id] && (ty == TypeLogGroup || ty == TypeBucket) && len(name) > 3 && strings.Contains(s, name) {
				found = true
				return
			}
		}
	})
	return found
}

// walkStrings calls f with every string inside v.
func walkStrings(v any, f func(string)) {
	switch x := v.(type) {
	case string:
		f(x)
	case map[string]any:
		for _, e := range x {
			walkStrings(e, f)
		}
	case []any:
		for _, e := range x {
			walkStrings(e, f)
		}
	}
}

func analyticSummary(r Resource) string {
	p := r.Properties
	switch r.Type {
	case "AWS::Glue::Table":
		loc, _ := r.Prop("TableInput.StorageDescriptor.Location")
		name, _ := r.Prop("TableInput.Name")
		proj, _ := r.Prop("TableInput.Parameters.projection.enabled")
		s := fmt.Sprintf("table %s at %s", Show(name), Show(loc))
		if b, _ := Bool(proj); b {
			s += ", partition projection on"
		}
		return s
	case "AWS::Glue::Database":
		name, _ := r.Prop("DatabaseInput.Name")
		return "database " + Show(name)
	case "AWS::Athena::WorkGroup":
		s := "workgroup " + Show(p["Name"])
		if c, ok := r.Prop("WorkGroupConfiguration.BytesScannedCutoffPerQuery"); ok {
			s += fmt.Sprintf(", at most %s bytes scanned per query", Show(c))
		}
		return s
	case "AWS::Athena::NamedQuery", "AWS::Logs::QueryDefinition":
		return "saved query " + Show(p["Name"])
	case "AWS::Logs::MetricFilter":
		var metrics []string
		for _, mt := range Strings(p["MetricTransformations"]) {
			m, _ := mt.(map[string]any)
			metrics = append(metrics, Show(m["MetricNamespace"])+"/"+Show(m["MetricName"]))
		}
		return fmt.Sprintf("pattern %s -> metric %s", Show(p["FilterPattern"]), strings.Join(metrics, ", "))
	case "AWS::CloudWatch::Alarm":
		metric := Show(p["Namespace"]) + "/" + Show(p["MetricName"])
		if _, ok := p["Metrics"]; ok {
			metric = "metric math"
		}
		return fmt.Sprintf("alarm on %s %s %s", metric, Show(p["ComparisonOperator"]), Show(p["Threshold"]))
	case "AWS::CloudWatch::InsightRule":
		return fmt.Sprintf("Contributor Insights rule %s (%s)", Show(p["RuleName"]), orDefault(r.Str("RuleState"), "state not set"))
	case "AWS::Logs::SubscriptionFilter":
		return "subscription to " + Show(p["DestinationArn"])
	case "AWS::CloudWatch::Dashboard":
		return "dashboard " + Show(p["DashboardName"])
	case TypeTopic:
		s := "alarm topic"
		if name, ok := p["TopicName"]; ok {
			s += " " + Show(name)
		}
		if key, ok := p["KmsMasterKeyId"]; ok {
			s += ", encrypted with " + Show(key)
		}
		return s
	}
	return r.Type
}

// retention returns the retention a log group's RetentionInDays gives: a
// literal's days; for an Fn::If or a parameter, the shortest of the values it
// may take (the one that keeps evidence least long) and all of them written
// out; for a value known only at deploy time, the expression.
func retention(t *Template, v any) (days int, written string, unknown bool) {
	if v == nil {
		return 0, "", false
	}
	if d, ok := Int(v); ok {
		return d, "", false
	}
	vals, ok := t.Values(v)
	if !ok || len(vals) == 0 {
		return 0, Show(v) + " (known only at deploy time)", true
	}
	var all []int
	never := false
	for _, x := range vals {
		d, isInt := Int(x.V)
		switch {
		case x.V == nil:
			never = true
		case !isInt:
			return 0, Show(v) + " (known only at deploy time)", true
		case !slices.Contains(all, d):
			all = append(all, d)
		}
	}
	slices.Sort(all)
	var parts []string
	for _, d := range all {
		parts = append(parts, strconv.Itoa(d))
	}
	if len(parts) > 0 {
		written = strings.Join(parts, " or ") + " days"
		days = all[0]
	}
	if never {
		written = strings.TrimPrefix(written+" or never expires", " or ")
	}
	return days, written, false
}
