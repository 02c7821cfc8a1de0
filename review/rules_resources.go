package review

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

const (
	TypeLogGroup     = "AWS::Logs::LogGroup"
	TypeBucket       = "AWS::S3::Bucket"
	TypeBucketPolicy = "AWS::S3::BucketPolicy"
	TypeStream       = "AWS::KinesisFirehose::DeliveryStream"
	TypeRole         = "AWS::IAM::Role"
	TypeKey          = "AWS::KMS::Key"

	svcFlowLogs = "vpc-flow-logs.amazonaws.com"
	svcDelivery = "delivery.logs.amazonaws.com"

	docLogGroup      = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-logs-loggroup.html"
	docS3Security    = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html"
	docLeastPriv     = "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege"
	docFlowLogRole   = "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html"
	docS3Permissions = "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-permissions.html"
	docDeletion      = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html"
	docGuardRules    = "https://docs.aws.amazon.com/cfn-guard/latest/ug/writing-rules.html"
	docCWLKMS        = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html"
	docS3Lifecycle   = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lifecycle-mgmt.html"
)

// Destinations returns the logical IDs of the log groups, buckets and Firehose
// streams in t that a flow log delivers to: named by Ref, Fn::GetAtt or
// Fn::Sub, or by a literal name or ARN (an Fn::Sub without variables
// included) of a log group or bucket that names itself in t.
func Destinations(t *Template, r Resource) []string {
	var out []string
	for _, prop := range []string{"LogGroupName", "LogDestination"} {
		for _, id := range Targets(r.Properties[prop]) {
			switch t.Resources[id].Type {
			case TypeLogGroup, TypeBucket, TypeStream:
				out = appendNew(out, id)
			}
		}
		if s, ok := Literal(r.Properties[prop]); ok {
			if id := literalDestination(t, prop, s); id != "" {
				out = appendNew(out, id)
			}
		}
	}
	return out
}

// literalDestination returns the log group or bucket of t that a literal
// LogGroupName, or a LogDestination ARN, names
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-flowlog.html).
func literalDestination(t *Template, prop, s string) string {
	name, ty := s, TypeLogGroup
	if prop == "LogDestination" {
		arn := strings.SplitN(s, ":", 6)
		if len(arn) < 6 {
			return ""
		}
		switch arn[2] {
		case "s3": // arn:aws:s3:::bucket/optional/prefix/
			name, _, _ = strings.Cut(arn[5], "/")
			ty = TypeBucket
		case "logs": // arn:aws:logs:region:account:log-group:name[:*]
			rest, ok := strings.CutPrefix(arn[5], "log-group:")
			if !ok {
				return ""
			}
			name = strings.TrimSuffix(rest, ":*")
		default:
			return ""
		}
	}
	id := literalNames(t)[name]
	if name == "" || t.Resources[id].Type != ty {
		return ""
	}
	return id
}

func appendNew(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

// flowLogDestinations returns every flow-log destination in t of the given type.
func flowLogDestinations(t *Template, resourceType string) []string {
	var out []string
	for _, id := range t.IDs(TypeFlowLog) {
		for _, d := range Destinations(t, t.Resources[id]) {
			if t.Resources[d].Type == resourceType {
				out = appendNew(out, d)
			}
		}
	}
	return out
}

var ruleRetention = Rule{
	ID: "PROJECT.LOG_GROUP_RETENTION", Severity: SeverityMedium, DocURL: docLogGroup,
	Summary: "every AWS::Logs::LogGroup sets RetentionInDays to a value CloudWatch Logs accepts (otherwise its events never expire)",
	applies: has(TypeLogGroup),
	check: func(t *Template, emit func(string, string, string, ...Severity)) {
		for _, id := range t.IDs(TypeLogGroup) {
			v, ok := t.Resources[id].Properties["RetentionInDays"]
			if !ok {
				emit(id, "RetentionInDays", "no RetentionInDays: the log group keeps events forever")
				continue
			}
			vals, known := t.Values(v)
			if !known {
				emit(id, "RetentionInDays", uncheckable("RetentionInDays", v), SeverityInfo)
			}
			for _, x := range vals {
				if x.V == nil {
					emit(id, "RetentionInDays", "RetentionInDays may be "+x.describe()+": the log group then keeps events forever")
				} else if d, isInt := Int(x.V); !isInt || !flowlog.ValidRetentionDays(d) {
					emit(id, "RetentionInDays", fmt.Sprintf("RetentionInDays %s is rejected by CloudWatch Logs: use one of %v (days)", x.describe(), flowlog.LogGroupRetentionDays), SeverityError)
				}
			}
		}
	},
}

// sslOnly reports whether a bucket policy statement denies every S3 action to
// everyone when aws:SecureTransport is false.
func sslOnly(s Statement) bool {
	if s.Effect != "Deny" || !s.Principal.Everyone() || len(s.Actions) == 0 {
		return false
	}
	for _, a := range s.Actions {
		if a != "s3:*" && a != "*" {
			return false
		}
	}
	v, ok := s.ConditionKey("aws:SecureTransport", "Bool")
	if !ok {
		return false
	}
	b, ok := Bool(v)
	return ok && !b && coversBucketAndObjects(s.Resources)
}

// coversBucketAndObjects reports whether bucket-policy resources name both
// the bucket (arn:aws:s3:::bucket, for bucket requests such as ListBucket)
// and its objects (arn:aws:s3:::bucket/*, for object requests): an SSL-only
// deny on one of them leaves the other open to plain HTTP
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html).
func coversBucketAndObjects(resources []any) bool {
	bucket, objects := false, false
	for _, r := range resources {
		x := Show(r)
		switch {
		case x == "*":
			bucket, objects = true, true
		case strings.HasSuffix(x, "/*"):
			objects = true
		case !strings.Contains(x, "/"):
			bucket = true
		}
	}
	return bucket && objects
}

// bucketPolicies returns the bucket policies of t by the bucket they Ref.
// The map is shared: do not modify it.
func bucketPolicies(t *Template) map[string][]string { return t.index().policies }

var ruleSSLOnly = Rule{
	ID: "PROJECT.S3_BUCKET_SSL_ONLY", Severity: SeverityHigh, DocURL: docS3Security,
	Summary: "every AWS::S3::Bucket has an AWS::S3::BucketPolicy that denies s3:* to everyone on the bucket and its objects when aws:SecureTransport is false",
	applies: has(TypeBucket),
	check: func(t *Template, emit func(string, string, string, ...Severity)) {
		pols := bucketPolicies(t)
		for _, b := range t.IDs(TypeBucket) {
			ok := false
			for _, p := range pols[b] {
				for _, s := range Statements(t.Resources[p].Properties["PolicyDocument"], "PolicyDocument") {
					ok = ok || sslOnly(s)
				}
			}
			if !ok {
				emit(b, "", "no bucket policy denies requests without TLS on the bucket and its objects (Deny s3:* to * on arn:aws:s3:::BUCKET and arn:aws:s3:::BUCKET/* when aws:SecureTransport is false)")
			}
		}
	},
}

// identityPolicies returns the policy documents of IAM identity policies in t:
// AWS::IAM::Policy and ManagedPolicy, and inline Policies of roles, users and groups.
func identityPolicies(t *Template) (ids []string, docs []any, paths []string) {
	for _, id := range t.IDs("") {
		r := t.Resources[id]
		switch r.Type {
		case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy":
			ids, docs, paths = append(ids, id), append(docs, r.Properties["PolicyDocument"]), append(paths, "PolicyDocument")
		case TypeRole, "AWS::IAM::User", "AWS::IAM::Group":
			for i, p := range Strings(r.Properties["Policies"]) {
				pm, _ := p.(map[string]any)
				ids, docs, paths = append(ids, id), append(docs, pm["PolicyDocument"]), append(paths, fmt.Sprintf("Policies[%d].PolicyDocument", i))
			}
		}
	}
	return ids, docs, paths
}

// resourcelessActions are actions without a resource type: the Service
// Authorization Reference lists none for them, so a policy can grant them only
// on "*". A statement may take "*" when all its actions are of one group.
var resourcelessActions = [][]string{
	// Log deliveries have no ARN of their own; AWS's source role of
	// cross-account Firehose delivery grants these four on "*" (docFirehoseCross).
	// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html
	{"logs:CreateLogDelivery", "logs:DeleteLogDelivery", "logs:GetLogDelivery", "logs:ListLogDeliveries"},
	// Two of the list actions that ECS flow-log fields need (docRecords).
	// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html
	{"ecs:ListClusters", "ecs:ListTaskDefinitions"},
}

// onlyResourceless reports whether every action of the statement is in one of
// the resourcelessActions groups (literally: a wildcard action is not).
func onlyResourceless(s Statement) bool {
	if len(s.Actions) == 0 {
		return false
	}
	for _, group := range resourcelessActions {
		all := true
		for _, a := range s.Actions {
			all = all && containsFold(group, a)
		}
		if all {
			return true
		}
	}
	return false
}

var ruleWildcard = Rule{
	ID: "PROJECT.IAM_NO_WILDCARD_RESOURCE", Severity: SeverityHigh, DocURL: docLeastPriv,
	Summary: `an IAM policy statement with Effect Allow names its actions and resources (no Action "*", no NotResource, no ARN that is all wildcards such as arn:aws:s3:::*, and "*" only when all its actions have no resource type: logs:Create/Delete/GetLogDelivery and logs:ListLogDeliveries, or ecs:ListClusters and ecs:ListTaskDefinitions)`,
	applies: func(t *Template) bool { ids, _, _ := identityPolicies(t); return len(ids) > 0 },
	check: func(t *Template, emit func(string, string, string, ...Severity)) {
		ids, docs, paths := identityPolicies(t)
		for i, id := range ids {
			for _, s := range Statements(docs[i], paths[i]) {
				if s.Effect != "Allow" {
					continue
				}
				switch {
				case s.Unevaluable:
					emit(id, s.Path, fmt.Sprintf(`the policy has more than %d forms (each Fn::If and each parameter's AllowedValues multiply them) and cannot be evaluated, so it is taken as Allow "*" on Resource "*": write it with fewer conditions`, maxAlternatives))
				case s.NotResource:
					emit(id, s.Path+".NotResource", "Allow with NotResource grants every resource but the ones listed")
				case s.Resources == nil:
					emit(id, s.Path, "Allow statement without Resource")
				case slices.Contains(s.Actions, "*"):
					emit(id, s.Path+".Action", `Allow Action "*": every action of every service`)
				case onlyResourceless(s):
					// Nothing narrower than "*" can be named for these actions.
				default:
					for _, r := range s.Resources {
						if x := Show(r); x != "*" && serviceWide(x) {
							emit(id, s.Path+".Resource", fmt.Sprintf(`Allow %s on %s: every resource of the service`, strings.Join(s.Actions, ", "), x))
							break
						}
					}
					for _, r := range s.Resources {
						if r == "*" {
							emit(id, s.Path+".Resource", fmt.Sprintf(`Allow %s on Resource "*"`, strings.Join(s.Actions, ", ")))
							break
						}
					}
				}
			}
		}
	},
}

// serviceWide reports whether a resource ARN names every resource of its
// service: its resource part is only wildcards (arn:aws:s3:::*,
// arn:aws:logs:*:*:*).
func serviceWide(arn string) bool {
	f := strings.SplitN(arn, ":", 6)
	return len(f) == 6 && strings.Trim(f[5], "*:") == ""
}

// trustStatements returns the Allow statements of a role's trust policy that
// let the service assume it.
func trustStatements(r Resource, service string) []Statement {
	var out []Statement
	for _, s := range Statements(r.Properties["AssumeRolePolicyDocument"], "AssumeRolePolicyDocument") {
		if s.Effect == "Allow" && s.Principal.HasService(service) {
			out = append(out, s)
		}
	}
	return out
}

// deliveryRoles returns the roles of t that deliver flow logs: those trusting
// vpc-flow-logs.amazonaws.com or delivery.logs.amazonaws.com, and those a
// flow log's DeliverLogsPermissionArn names.
func deliveryRoles(t *Template) []string {
	var out []string
	for _, id := range t.IDs(TypeRole) {
		r := t.Resources[id]
		if len(trustStatements(r, svcFlowLogs)) > 0 || len(trustStatements(r, svcDelivery)) > 0 {
			out = append(out, id)
		}
	}
	for _, id := range t.IDs(TypeFlowLog) {
		if role, _, ok := Target(t.Resources[id].Properties["DeliverLogsPermissionArn"]); ok && t.Resources[role].Type == TypeRole && !slices.Contains(out, role) {
			out = append(out, role)
		}
	}
	slices.Sort(out)
	return out
}

// OtherAssumers returns who, besides the log delivery services, an Allow
// statement of a delivery role's trust policy lets assume the role: "*" for
// anyone, the AWS, federated and other service principals as written, and
// "everyone but ..." for NotPrincipal. A delivery role is for
// vpc-flow-logs.amazonaws.com (or, cross-account, delivery.logs.amazonaws.com)
// only (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html).
func (s Statement) OtherAssumers() []string {
	if s.Effect != "Allow" {
		return nil
	}
	if s.NotPrincipal {
		return []string{"everyone but the NotPrincipal"}
	}
	p := s.Principal
	if p.Everyone() {
		return []string{"*"}
	}
	var out []string
	for _, a := range p.AWS {
		out = append(out, "AWS "+a)
	}
	for _, f := range p.Federated {
		out = append(out, "federated "+f)
	}
	for _, svc := range p.Service {
		if svc != svcFlowLogs && svc != svcDelivery {
			out = append(out, "service "+svc)
		}
	}
	return out
}

var ruleTrust = Rule{
	ID: "PROJECT.FLOW_LOG_ROLE_CONFUSED_DEPUTY", Severity: SeverityHigh, DocURL: docFlowLogRole,
	Summary: "the trust policy for vpc-flow-logs.amazonaws.com has aws:SourceAccount and aws:SourceArn conditions that pin one account (no wildcard account), and no other principal may assume a delivery role",
	applies: func(t *Template) bool { return len(deliveryRoles(t)) > 0 },
	check: func(t *Template, emit func(string, string, string, ...Severity)) {
		for _, id := range deliveryRoles(t) {
			r := t.Resources[id]
			for _, s := range trustStatements(r, svcFlowLogs) {
				if gaps := s.DeputyGaps(); len(gaps) > 0 {
					emit(id, s.Path+".Condition", "the trust for vpc-flow-logs.amazonaws.com has "+strings.Join(gaps, " and ")+" (confused deputy); add StringEquals aws:SourceAccount ACCOUNT and ArnLike aws:SourceArn arn:aws:ec2:REGION:ACCOUNT:vpc-flow-log/*")
				}
			}
			for _, s := range Statements(r.Properties["AssumeRolePolicyDocument"], "AssumeRolePolicyDocument") {
				if who := s.OtherAssumers(); len(who) > 0 {
					emit(id, s.Path+".Principal", "the flow-log delivery role may be assumed by "+strings.Join(who, ", ")+": only the log delivery service should assume it (it can write, and read, the flow logs)")
				}
			}
		}
	},
}

// deliveryStatements returns the Allow statements for delivery.logs.amazonaws.com
// in bucket policies and KMS key policies, with the resource they sit in.
func deliveryStatements(t *Template) (ids []string, sts []Statement) {
	for _, id := range t.IDs("") {
		r := t.Resources[id]
		var doc any
		var path string
		switch r.Type {
		case TypeBucketPolicy:
			doc, path = r.Properties["PolicyDocument"], "PolicyDocument"
		case TypeKey:
			doc, path = r.Properties["KeyPolicy"], "KeyPolicy"
		default:
			continue
		}
		for _, s := range Statements(doc, path) {
			if s.Effect == "Allow" && s.Principal.HasService(svcDelivery) {
				ids, sts = append(ids, id), append(sts, s)
			}
		}
	}
	return ids, sts
}

var ruleDeliveryDeputy = Rule{
	ID: "PROJECT.LOG_DELIVERY_CONFUSED_DEPUTY", Severity: SeverityHigh, DocURL: docS3Permissions,
	Summary: "bucket and key policy statements for delivery.logs.amazonaws.com have aws:SourceAccount and aws:SourceArn conditions that pin one account (no wildcard account)",
	applies: func(t *Template) bool { ids, _ := deliveryStatements(t); return len(ids) > 0 },
	check: func(t *Template, emit func(string, string, string, ...Severity)) {
		ids, sts := deliveryStatements(t)
		for i, id := range ids {
			if gaps := sts[i].DeputyGaps(); len(gaps) > 0 {
				emit(id, sts[i].Path+".Condition", fmt.Sprintf("delivery.logs.amazonaws.com is allowed %s with %s: log delivery for any account could use it", strings.Join(sts[i].Actions, ", "), strings.Join(gaps, " and ")))
			}
		}
	},
}

var ruleSuppressions = Rule{
	ID: "PROJECT.NO_CHECKER_SUPPRESSIONS", Severity: SeverityMedium, DocURL: docGuardRules,
	Summary: "no resource or template carries cfn-guard (Metadata.guard) or cfn-lint (Metadata.cfn-lint) suppressions; exceptions belong in gates/allowlist.json",
	applies: func(t *Template) bool {
		if t.Metadata != nil {
			return true
		}
		for _, r := range t.Resources {
			if r.Metadata != nil {
				return true
			}
		}
		return false
	},
	check: func(t *Template, emit func(string, string, string, ...Severity)) {
		if _, ok := t.Metadata["cfn-lint"]; ok {
			emit("", "Metadata.cfn-lint", "the template carries cfn-lint suppression metadata")
		}
		for _, id := range t.IDs("") {
			for _, k := range []string{"guard", "cfn-lint"} {
				if _, ok := t.Resources[id].Metadata[k]; ok {
					emit(id, "Metadata."+k, "the resource carries "+k+" suppression metadata")
				}
			}
		}
	},
}

var ruleDeletion = Rule{
	ID: "PROJECT.LOGS_DELETED_WITH_STACK", Severity: SeverityLow, DocURL: docDeletion,
	Summary: "flow-log log groups and buckets in the template have DeletionPolicy Retain (CloudFormation's default is Delete)",
	applies: func(t *Template) bool {
		return len(flowLogDestinations(t, TypeLogGroup))+len(flowLogDestinations(t, TypeBucket)) > 0
	},
	check: func(t *Template, emit func(string, string, string, ...Severity)) {
		for _, ty := range []string{TypeLogGroup, TypeBucket} {
			for _, id := range flowLogDestinations(t, ty) {
				if p := t.Resources[id].DeletionPolicy; p != "Retain" && p != "RetainExceptOnCreate" {
					if p == "" {
						p = "not set (Delete)"
					}
					emit(id, "DeletionPolicy", "DeletionPolicy "+p+": the flow logs are destroyed with the stack")
				}
			}
		}
	},
}

var ruleEncryption = Rule{
	ID: "PROJECT.LOGS_KMS_ENCRYPTION", Severity: SeverityInfo, DocURL: docCWLKMS,
	Summary: "flow-log log groups and buckets are encrypted with a customer managed KMS key",
	applies: func(t *Template) bool {
		return len(flowLogDestinations(t, TypeLogGroup))+len(flowLogDestinations(t, TypeBucket)) > 0
	},
	check: func(t *Template, emit func(string, string, string, ...Severity)) {
		for _, id := range flowLogDestinations(t, TypeLogGroup) {
			if _, ok := t.Resources[id].Properties["KmsKeyId"]; !ok {
				emit(id, "KmsKeyId", "no KmsKeyId: CloudWatch Logs encrypts with its own key, not one you control")
			}
		}
		for _, id := range flowLogDestinations(t, TypeBucket) {
			if alg, _ := bucketEncryption(t.Resources[id]); !strings.HasPrefix(alg, "aws:kms") {
				emit(id, "BucketEncryption", "default encryption "+orDefault(alg, "not set (SSE-S3)")+", not SSE-KMS with a customer managed key")
			}
		}
	},
}

var ruleExpiration = Rule{
	ID: "PROJECT.S3_LOG_EXPIRATION", Severity: SeverityLow, DocURL: docS3Lifecycle,
	Summary: "flow-log buckets expire objects with an enabled lifecycle rule",
	applies: func(t *Template) bool { return len(flowLogDestinations(t, TypeBucket)) > 0 },
	check: func(t *Template, emit func(string, string, string, ...Severity)) {
		for _, id := range flowLogDestinations(t, TypeBucket) {
			if lc := BucketLifecycle(t.Resources[id]); lc.ExpirationDays == 0 {
				emit(id, "LifecycleConfiguration", "no enabled lifecycle rule expires objects: flow logs are kept (and paid for) forever")
			}
		}
	},
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// bucketEncryption returns a bucket's default SSE algorithm and key, as written.
func bucketEncryption(r Resource) (alg, key string) {
	cfg, _ := r.Prop("BucketEncryption.ServerSideEncryptionConfiguration")
	for _, c := range Strings(cfg) {
		cm, _ := c.(map[string]any)
		def, _ := cm["ServerSideEncryptionByDefault"].(map[string]any)
		if def == nil {
			continue
		}
		alg = Show(def["SSEAlgorithm"])
		if k, ok := def["KMSMasterKeyID"]; ok {
			key = Show(k)
		}
		return alg, key
	}
	return "", ""
}

// Lifecycle is what a bucket's enabled lifecycle rules do to current objects.
type Lifecycle struct {
	Transitions    []Transition `json:"transitions,omitempty"` // in day order
	ExpirationDays int          `json:"expirationDays"`        // 0: never
}

// Transition moves objects to a storage class after Days.
type Transition struct {
	StorageClass string `json:"storageClass"`
	Days         int    `json:"days"`
}

// BucketLifecycle sums up a bucket's enabled lifecycle rules: every
// transition, in day order, and the earliest expiration. Rule filters
// (prefixes, tags) are not weighed: with several rules the result is what the
// bucket's objects may go through, not what each object does.
func BucketLifecycle(r Resource) Lifecycle {
	var lc Lifecycle
	rules, _ := r.Prop("LifecycleConfiguration.Rules")
	var forms []any
	for _, raw := range Strings(rules) {
		// A rule written with Fn::If counts with each branch, so its
		// expiration is the shortest any branch sets.
		alts, ok := alternatives(raw, maxAlternatives)
		if !ok {
			alts = []any{raw}
		}
		forms = append(forms, alts...)
	}
	for _, raw := range forms {
		rule, _ := raw.(map[string]any)
		if Show(rule["Status"]) != "Enabled" {
			continue
		}
		if d, ok := Int(rule["ExpirationInDays"]); ok && (lc.ExpirationDays == 0 || d < lc.ExpirationDays) {
			lc.ExpirationDays = d
		}
		var trs []any
		trs = append(trs, Strings(rule["Transitions"])...)
		if tr, ok := rule["Transition"]; ok {
			trs = append(trs, tr)
		}
		for _, x := range trs {
			tm, _ := x.(map[string]any)
			if d, ok := Int(tm["TransitionInDays"]); ok {
				if tr := (Transition{StorageClass: Show(tm["StorageClass"]), Days: d}); !slices.Contains(lc.Transitions, tr) {
					lc.Transitions = append(lc.Transitions, tr)
				}
			}
		}
	}
	for i := 1; i < len(lc.Transitions); i++ { // insertion sort: a handful at most
		for j := i; j > 0 && lc.Transitions[j].Days < lc.Transitions[j-1].Days; j-- {
			lc.Transitions[j], lc.Transitions[j-1] = lc.Transitions[j-1], lc.Transitions[j]
		}
	}
	return lc
}

var rulePublic = Rule{
	ID: "PROJECT.FLOW_LOGS_NOT_PUBLIC", Severity: SeverityHigh, DocURL: docS3Security,
	Summary: `no bucket policy or CloudWatch Logs resource policy allows anyone (Principal "*", AWS "*" or NotPrincipal) without a condition`,
	applies: has(TypeBucketPolicy, TypeLogsResourcePolicy),
	check: func(t *Template, emit func(string, string, string, ...Severity)) {
		for _, id := range t.IDs(TypeBucketPolicy) {
			for _, s := range Statements(t.Resources[id].Properties["PolicyDocument"], "PolicyDocument") {
				if publicAllow(s) {
					emit(id, s.Path, fmt.Sprintf("the bucket policy allows anyone %s without a condition: the flow logs (every address and port of the VPC) are public", strings.Join(s.Actions, ", ")))
				}
			}
		}
		for _, id := range t.IDs(TypeLogsResourcePolicy) {
			doc, err := logsResourcePolicy(t.Resources[id])
			if err != nil {
				continue
			}
			for _, s := range Statements(doc, "PolicyDocument") {
				if publicAllow(s) {
					emit(id, "PolicyDocument", fmt.Sprintf("the CloudWatch Logs resource policy allows anyone %s without a condition", strings.Join(s.Actions, ", ")))
				}
			}
		}
	},
}

// TypeLogsResourcePolicy is a CloudWatch Logs resource policy.
const TypeLogsResourcePolicy = "AWS::Logs::ResourcePolicy"

// publicAllow reports whether a statement allows anyone, unconditionally.
func publicAllow(s Statement) bool {
	return s.Effect == "Allow" && (s.Principal.Everyone() || s.NotPrincipal) && len(s.Condition) == 0
}

// logsResourcePolicy decodes a CloudWatch Logs resource policy's
// PolicyDocument: a JSON string, often built with Fn::Sub or Fn::Join,
// read with intrinsics shown in ${...} form.
func logsResourcePolicy(r Resource) (any, error) {
	var doc any
	err := json.Unmarshal([]byte(Show(r.Properties["PolicyDocument"])), &doc)
	return doc, err
}

var allRules = []Rule{
	rulePublic,
	ruleInterval, ruleTrafficType, ruleTGW, ruleResource, ruleDestination, ruleEveryVPC, ruleFormat,
	ruleRetention, ruleSSLOnly, ruleWildcard, ruleTrust, ruleDeliveryDeputy, ruleSuppressions,
	ruleDeletion, ruleEncryption, ruleExpiration,
	ruleFirehoseSourceRole, ruleFirehoseDestinationRole, ruleFirehoseStream,
}
