package review

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// What AWS documents for flow logs delivered to Amazon Data Firehose.
const (
	svcFirehose = "firehose.amazonaws.com"

	// CrossAccountRolePrefix starts the name of the destination-account role of
	// cross-account Firehose delivery (docFirehoseCross).
	CrossAccountRolePrefix = "AWSLogDeliveryFirehoseCrossAccountRole"

	// LogDeliveryTag is the stream tag the service-linked role
	// AWSServiceRoleForLogDelivery requires ("true") to write to a stream.
	LogDeliveryTag = "LogDeliveryEnabled"

	docFirehoseCross = "https://docs.aws.amazon.com/vpc/latest/userguide/firehose-cross-account-delivery.html"
	// The service-linked role's policy: firehose:PutRecord and PutRecordBatch on
	// streams whose aws:ResourceTag/LogDeliveryEnabled is "true".
	docLogDeliverySLR = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-V2-Firehose.html"
	// The trust policy for firehose.amazonaws.com with sts:ExternalId set to the
	// account ID: "This ensures that only you can request Firehose to assume the IAM role."
	docFirehoseTrust = "https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-s3"
	// KeyType AWS_OWNED_CMK or CUSTOMER_MANAGED_CMK (server-side encryption at rest).
	docFirehoseSSE = "https://docs.aws.amazon.com/firehose/latest/APIReference/API_DeliveryStreamEncryptionConfigurationInput.html"
	// iam:AWSServiceName limits iam:CreateServiceLinkedRole to one service's role.
	docCreateSLR = "https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html"
)

// policyStatement is a statement of an identity policy and the resource it sits in.
type policyStatement struct {
	PolicyID string // the role (inline policy) or the AWS::IAM::Policy / ManagedPolicy
	Statement
}

// roleStatements returns the statements of every policy of the template that
// applies to the role: its inline Policies, the AWS::IAM::Policy and
// ManagedPolicy resources whose Roles name it, and the template's managed
// policies its ManagedPolicyArns Ref.
func roleStatements(t *Template, role string) []policyStatement {
	var out []policyStatement
	r := t.Resources[role]
	for i, p := range Strings(r.Properties["Policies"]) {
		pm, _ := p.(map[string]any)
		for _, s := range Statements(pm["PolicyDocument"], fmt.Sprintf("Policies[%d].PolicyDocument", i)) {
			out = append(out, policyStatement{role, s})
		}
	}
	ids := attachedPolicies(t, role)
	for _, m := range Strings(r.Properties["ManagedPolicyArns"]) {
		if id, attr, ok := Target(m); ok && attr == "" && t.Resources[id].Type == "AWS::IAM::ManagedPolicy" {
			ids = appendNew(ids, id)
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		for _, s := range Statements(t.Resources[id].Properties["PolicyDocument"], "PolicyDocument") {
			out = append(out, policyStatement{id, s})
		}
	}
	return out
}

// actionMatches reports whether an Action entry (which may use the * and ?
// wildcards) covers the action, case-insensitively as IAM matches actions.
func actionMatches(pattern, action string) bool {
	var re strings.Builder
	re.WriteString("(?i)^")
	for _, c := range pattern {
		switch c {
		case '*':
			re.WriteString(".*")
		case '?':
			re.WriteString(".")
		default:
			re.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	re.WriteString("$")
	ok, err := regexp.MatchString(re.String(), action)
	return err == nil && ok
}

// grants reports whether any of the statement's actions covers the action.
func (s Statement) grants(action string) bool {
	for _, a := range s.Actions {
		if actionMatches(a, action) {
			return true
		}
	}
	return false
}

// rolesTrusting returns the roles of t whose trust policy lets the service assume them.
func rolesTrusting(t *Template, service string) []string {
	var out []string
	for _, id := range t.IDs(TypeRole) {
		if len(trustStatements(t.Resources[id], service)) > 0 {
			out = append(out, id)
		}
	}
	return out
}

var ruleFirehoseSourceRole = Rule{
	ID: "PROJECT.FIREHOSE_SOURCE_ROLE", Severity: SeverityHigh, DocURL: docFirehoseCross,
	Summary: "every Allow of iam:PassRole in the policies of a role trusted by delivery.logs.amazonaws.com has StringEquals iam:PassedToService delivery.logs.amazonaws.com and StringLike iam:AssociatedResourceARN",
	applies: func(t *Template) bool { return len(rolesTrusting(t, svcDelivery)) > 0 },
	check: func(t *Template, emit func(string, string, string, ...Severity)) {
		for _, role := range rolesTrusting(t, svcDelivery) {
			for _, ps := range roleStatements(t, role) {
				if ps.Effect != "Allow" || !ps.grants("iam:PassRole") {
					continue
				}
				// AWS's source role: "The condition statements ensure that this
				// role is passed only to the log delivery service, and only when
				// monitoring the specified resource" (docFirehoseCross).
				var missing []string
				if v, ok := ps.ConditionKey("iam:PassedToService", "StringEquals"); !ok || !onlyValue(v, svcDelivery) {
					missing = append(missing, "StringEquals iam:PassedToService "+svcDelivery)
				}
				if _, ok := ps.ConditionKey("iam:AssociatedResourceARN", "StringLike"); !ok {
					missing = append(missing, "StringLike iam:AssociatedResourceARN (the VPCs, subnets or interfaces logged)")
				}
				if len(missing) > 0 {
					emit(ps.PolicyID, ps.Path+".Condition", fmt.Sprintf("%s may pass roles (iam:PassRole) without %s: it could hand its delivery role to another service or for another resource", role, strings.Join(missing, " and without ")))
				}
			}
		}
	},
}

// onlyValue reports whether a condition value is exactly the one literal.
func onlyValue(v any, want string) bool {
	vs := Strings(v)
	return len(vs) == 1 && Show(vs[0]) == want
}

// roleARN matches an IAM role ARN as Show renders it (the partition may be ${AWS::Partition}).
var roleARN = regexp.MustCompile(`^arn:(aws[a-z-]*|\$\{AWS::Partition\}):iam::[^:]*:role/.+`)

// destinationRoles returns the roles of t named like AWS's destination-account
// role of cross-account Firehose delivery.
func destinationRoles(t *Template) []string {
	var out []string
	for _, id := range t.IDs(TypeRole) {
		if name, ok := Literal(t.Resources[id].Properties["RoleName"]); ok && strings.HasPrefix(name, CrossAccountRolePrefix) {
			out = append(out, id)
		}
	}
	return out
}

// destinationRoleActions are what AWS's destination role grants (docFirehoseCross).
var destinationRoleActions = []string{"iam:CreateServiceLinkedRole", "firehose:TagDeliveryStream"}

var ruleFirehoseDestinationRole = Rule{
	ID: "PROJECT.FIREHOSE_DESTINATION_ROLE", Severity: SeverityHigh, DocURL: docFirehoseCross,
	Summary: "a role named " + CrossAccountRolePrefix + "* is trusted only by IAM role ARNs (or by an account narrowed to role ARNs with aws:PrincipalArn) and its policies grant iam:CreateServiceLinkedRole (with an iam:AWSServiceName condition) and firehose:TagDeliveryStream, nothing else",
	applies: func(t *Template) bool { return len(destinationRoles(t)) > 0 },
	check: func(t *Template, emit func(string, string, string, ...Severity)) {
		for _, role := range destinationRoles(t) {
			trusted := false
			for _, s := range Statements(t.Resources[role].Properties["AssumeRolePolicyDocument"], "AssumeRolePolicyDocument") {
				if s.Effect != "Allow" {
					continue
				}
				trusted = true
				p := s.Principal
				if p.Everyone() || len(p.Service)+len(p.Federated) > 0 || len(p.AWS) == 0 || s.NotPrincipal {
					emit(role, s.Path+".Principal", fmt.Sprintf("the destination role trusts %s; AWS's destination role trusts only the source account's role (Principal AWS arn:aws:iam::SOURCE:role/NAME)", p))
					continue
				}
				for _, a := range p.AWS {
					narrowed := accountRoot.MatchString(a) && principalArnIsRole(t, s)
					if !isRoleARN(t, a) && !narrowed {
						emit(role, s.Path+".Principal.AWS", fmt.Sprintf("the destination role trusts %s, which is not an IAM role ARN nor an account narrowed to role ARNs by aws:PrincipalArn: every principal of that account (or anyone) could assume it", a))
					}
				}
			}
			if !trusted {
				emit(role, "AssumeRolePolicyDocument", "the destination role has no Allow trust statement: the source account's role cannot assume it")
			}
			granted := map[string]bool{}
			for _, ps := range roleStatements(t, role) {
				if ps.Effect != "Allow" {
					continue
				}
				for _, a := range ps.Actions {
					known := false
					for _, want := range destinationRoleActions {
						if strings.EqualFold(a, want) {
							known, granted[want] = true, true
						}
					}
					if !known {
						emit(ps.PolicyID, ps.Path+".Action", fmt.Sprintf("the destination role %s is granted %s; it needs only %s", role, a, strings.Join(destinationRoleActions, " and ")))
					}
				}
				if ps.grants("iam:CreateServiceLinkedRole") {
					if _, ok := ps.ConditionKey("iam:AWSServiceName", "StringEquals", "StringLike"); !ok {
						emit(ps.PolicyID, ps.Path+".Condition", "iam:CreateServiceLinkedRole without an iam:AWSServiceName condition lets the destination role create any service's service-linked role; limit it to "+svcDelivery+" ("+docCreateSLR+")")
					}
				}
			}
			for _, want := range destinationRoleActions {
				if !granted[want] {
					emit(role, "", fmt.Sprintf("no policy in the template grants the destination role %s, which cross-account delivery needs", want))
				}
			}
		}
	},
}

// accountRoot matches an account principal as Show renders it (arn:…:iam::ACCOUNT:root, or a bare
// 12-digit account ID).
var accountRoot = regexp.MustCompile(`^(arn:(aws[a-z-]*|\$\{AWS::Partition\}):iam::\d{12}:root|\d{12})$`)

// principalArnIsRole reports whether a trust statement's condition limits aws:PrincipalArn to
// IAM role ARNs (ArnEquals, ArnLike, StringEquals or StringLike). Trusting the source account
// with this condition is equivalent to trusting the role and, unlike a role principal, IAM
// accepts it before the role exists
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn).
func principalArnIsRole(t *Template, s Statement) bool {
	v, ok := s.ConditionKey("aws:PrincipalArn", "ArnEquals", "ArnLike", "StringEquals", "StringLike")
	if !ok {
		return false
	}
	vs := Strings(v)
	for _, x := range vs {
		if !isRoleARN(t, Show(x)) || strings.Contains(Show(x), "*") {
			return false
		}
	}
	return len(vs) > 0
}

// isRoleARN reports whether a principal, as Show renders it, is an IAM role:
// a role ARN, or the Arn of a role in the template.
func isRoleARN(t *Template, principal string) bool {
	if roleARN.MatchString(principal) {
		return true
	}
	if id, attr, ok := strings.Cut(strings.TrimSuffix(strings.TrimPrefix(principal, "${"), "}"), "."); ok && attr == "Arn" {
		return t.Resources[id].Type == TypeRole
	}
	return false
}

// flowLogStreams returns the delivery streams of t that receive flow logs: the
// ones a flow log of the template names, and, in a destination account, the
// ones the destination role may tag for log delivery (all streams of the
// template when it may tag "*").
func flowLogStreams(t *Template) []string {
	out := flowLogDestinations(t, TypeStream)
	for _, role := range destinationRoles(t) {
		for _, ps := range roleStatements(t, role) {
			if ps.Effect != "Allow" || !ps.grants("firehose:TagDeliveryStream") {
				continue
			}
			for _, res := range ps.Resources {
				if Show(res) == "*" {
					return t.IDs(TypeStream)
				}
				for _, id := range Targets(res) {
					if t.Resources[id].Type == TypeStream {
						out = appendNew(out, id)
					}
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// tagValue returns the value of a resource's tag, from a Tags list of Key/Value pairs.
func tagValue(r Resource, key string) (any, bool) {
	for _, x := range Strings(r.Properties["Tags"]) {
		if m, ok := x.(map[string]any); ok && Show(m["Key"]) == key {
			return m["Value"], true
		}
	}
	return nil, false
}

var ruleFirehoseStream = Rule{
	ID: "PROJECT.FIREHOSE_STREAM", Severity: SeverityError, DocURL: docFirehose,
	Summary: "a Firehose stream that receives flow logs is DirectPut, encrypted at rest (DeliveryStreamEncryptionConfigurationInput), tagged " + LogDeliveryTag + "=true, and the role it writes with trusts firehose.amazonaws.com only with an sts:ExternalId condition",
	applies: func(t *Template) bool { return len(flowLogStreams(t)) > 0 },
	check: func(t *Template, emit func(string, string, string, ...Severity)) {
		for _, id := range flowLogStreams(t) {
			r := t.Resources[id]
			// Log delivery writes with firehose:PutRecord and PutRecordBatch
			// (docLogDeliverySLR), which only a Direct PUT stream accepts.
			if v, ok := r.Properties["DeliveryStreamType"]; ok && Show(v) != "DirectPut" {
				emit(id, "DeliveryStreamType", fmt.Sprintf("DeliveryStreamType %s: flow logs are delivered with firehose:PutRecord/PutRecordBatch, which only a DirectPut stream accepts", Show(v)))
			}
			if _, ok := r.Properties["DeliveryStreamEncryptionConfigurationInput"]; !ok {
				emit(id, "DeliveryStreamEncryptionConfigurationInput", "no DeliveryStreamEncryptionConfigurationInput: records wait in the stream unencrypted; set KeyType AWS_OWNED_CMK or CUSTOMER_MANAGED_CMK ("+docFirehoseSSE+")", SeverityMedium)
			}
			switch v, ok := tagValue(r, LogDeliveryTag); {
			case !ok:
				emit(id, "Tags", "no "+LogDeliveryTag+" tag: the service-linked role AWSServiceRoleForLogDelivery writes only to streams tagged "+LogDeliveryTag+"=true, so delivery depends on AWS adding the tag when the flow log is created; declare it ("+docLogDeliverySLR+")", SeverityMedium)
			case Show(v) != "true":
				emit(id, "Tags", fmt.Sprintf("tag %s=%s: the service-linked role AWSServiceRoleForLogDelivery writes only to streams tagged %s=true (%s)", LogDeliveryTag, Show(v), LogDeliveryTag, docLogDeliverySLR))
			}
			for _, role := range Targets(r.Properties) {
				if t.Resources[role].Type != TypeRole {
					continue
				}
				for _, s := range trustStatements(t.Resources[role], svcFirehose) {
					if _, ok := s.ConditionKey("sts:ExternalId", "StringEquals"); !ok {
						emit(role, s.Path+".Condition", "the trust for firehose.amazonaws.com has no StringEquals sts:ExternalId condition (the account ID), so Firehose would assume the role for any account's stream ("+docFirehoseTrust+")", SeverityHigh)
					}
				}
			}
		}
	},
}
