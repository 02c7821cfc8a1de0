package review

import (
	"fmt"
	"sort"
	"strings"

	"github.com/seed-e6b90e5a/vpc-flow-logs/flowlog"
)

// Change is one difference in posture between a base and a head template.
type Change struct {
	FlowLog   string `json:"flowLog"`            // logical ID in the head (in the base when removed)
	BaseID    string `json:"baseId,omitempty"`   // logical ID in the base when it differs
	Kind      string `json:"kind"`               // e.g. "capture-narrowed"; see the Kind* constants
	Weakening bool   `json:"weakening"`          // less is captured, kept, protected or constrained
	Message   string `json:"message"`            // one line, in words
	Resource  string `json:"resource,omitempty"` // the related resource (role, log group, bucket), when not the flow log
}

// Kinds of [Change].
const (
	KindFlowLogRemoved      = "flow-log-removed"
	KindFlowLogAdded        = "flow-log-added"
	KindCaptureNarrowed     = "capture-narrowed"
	KindCaptureWidened      = "capture-widened"
	KindIntervalCoarser     = "interval-coarser"
	KindIntervalFiner       = "interval-finer"
	KindFieldsRemoved       = "fields-removed"
	KindFieldsAdded         = "fields-added"
	KindDestinationChanged  = "destination-changed"
	KindFileFormatChanged   = "file-format-changed"
	KindTrustDropped        = "trust-conditions-dropped"
	KindTrustAdded          = "trust-conditions-added"
	KindTrustUnpinned       = "trust-condition-unpinned"
	KindTrustWidened        = "trust-widened" // others than the delivery service may assume the role
	KindDeliveryDropped     = "delivery-conditions-dropped"
	KindDeliveryUnpinned    = "delivery-condition-unpinned"
	KindPermissionsWidened  = "permissions-widened"
	KindPermissionsNarrowed = "permissions-narrowed"
	KindRetentionShortened  = "retention-shortened"
	KindRetentionLengthened = "retention-lengthened"
	KindRetentionSet        = "retention-set" // a log group or bucket that kept logs forever now expires them
	KindReplacePolicy       = "update-replace-policy-changed"
	KindDeletionPolicy      = "deletion-policy-changed"
	KindEncryptionRemoved   = "encryption-weakened"
	KindEncryptionAdded     = "encryption-strengthened"
	KindProtectionRemoved   = "protection-removed"
	KindAccessWidened       = "access-widened"
)

// Diff is the result of [Compare].
type Diff struct {
	Base             string    `json:"base"`
	Head             string    `json:"head"`
	Changes          []Change  `json:"changes"`
	NewFindings      []Finding `json:"newFindings"`
	ResolvedFindings []Finding `json:"resolvedFindings"`
}

// Weakened reports whether the head weakens the base: a weakening change, or
// a new finding at or above the severity that is not an allowed exception.
func (d Diff) Weakened(min Severity) bool {
	for _, c := range d.Changes {
		if c.Weakening {
			return true
		}
	}
	for _, f := range d.NewFindings {
		if f.Severity >= min && !f.Allowed {
			return true
		}
	}
	return false
}

// Compare reports how the flow-log posture changed from base to head. Flow logs
// are matched by logical ID, then by resource and destination (logical IDs
// change when constructs move), then by resource type and destination type
// when that pairing is unique.
func Compare(base, head *Template) Diff {
	b, h := Explain(base), Explain(head)
	d := Diff{Base: base.Path, Head: head.Path, Changes: []Change{}}
	pairs, removed, added := matchFlowLogs(b.FlowLogs, h.FlowLogs)
	for _, o := range removed {
		d.Changes = append(d.Changes, Change{FlowLog: o.LogicalID, Kind: KindFlowLogRemoved, Weakening: true,
			Message: fmt.Sprintf("flow log on %s %s to %s removed", o.ResourceType, o.Resource, destinationLine(o.Destination))})
	}
	for _, n := range added {
		d.Changes = append(d.Changes, Change{FlowLog: n.LogicalID, Kind: KindFlowLogAdded,
			Message: fmt.Sprintf("new flow log on %s %s to %s", n.ResourceType, n.Resource, destinationLine(n.Destination))})
	}
	for _, p := range pairs {
		d.Changes = append(d.Changes, compareFlowLog(p[0], p[1])...)
	}
	d.NewFindings, d.ResolvedFindings = diffFindings(b.Findings, h.Findings)
	if d.NewFindings == nil {
		d.NewFindings = []Finding{}
	}
	if d.ResolvedFindings == nil {
		d.ResolvedFindings = []Finding{}
	}
	return d
}

func matchFlowLogs(base, head []FlowLogReport) (pairs [][2]FlowLogReport, removed, added []FlowLogReport) {
	usedB, usedH := map[int]bool{}, map[int]bool{}
	match := func(key func(FlowLogReport) string, unique bool) {
		count := func(list []FlowLogReport, used map[int]bool) map[string]int {
			c := map[string]int{}
			for i, f := range list {
				if !used[i] {
					c[key(f)]++
				}
			}
			return c
		}
		cb, ch := count(base, usedB), count(head, usedH)
		free := map[string][]int{} // unused head flow logs by key, in order
		for j, n := range head {
			if !usedH[j] {
				k := key(n)
				free[k] = append(free[k], j)
			}
		}
		for i, o := range base {
			if usedB[i] {
				continue
			}
			k := key(o)
			if unique && (cb[k] != 1 || ch[k] != 1) {
				continue
			}
			if js := free[k]; len(js) > 0 {
				j := js[0]
				free[k] = js[1:]
				usedB[i], usedH[j] = true, true
				pairs = append(pairs, [2]FlowLogReport{o, head[j]})
			}
		}
	}
	match(func(f FlowLogReport) string { return f.LogicalID }, false)
	match(func(f FlowLogReport) string {
		return f.ResourceType + "\x00" + f.Resource + "\x00" + f.Destination.Type + "\x00" + f.Destination.Target
	}, false)
	match(func(f FlowLogReport) string { return f.ResourceType + "\x00" + f.Destination.Type }, true)
	for i, o := range base {
		if !usedB[i] {
			removed = append(removed, o)
		}
	}
	for j, n := range head {
		if !usedH[j] {
			added = append(added, n)
		}
	}
	return pairs, removed, added
}

// captured returns the traffic verdicts a TrafficType captures: ALL captures
// every other value of flowlog.TrafficTypes (ACCEPT and REJECT), the others
// themselves.
func captured(tt string) map[string]bool {
	out := map[string]bool{}
	for _, v := range flowlog.TrafficTypes {
		if v != "ALL" && (tt == "ALL" || tt == v) {
			out[v] = true
		}
	}
	return out
}

func compareFlowLog(o, n FlowLogReport) []Change {
	var out []Change
	add := func(kind string, weak bool, resource, format string, args ...any) {
		c := Change{FlowLog: n.LogicalID, Kind: kind, Weakening: weak, Resource: resource, Message: fmt.Sprintf(format, args...)}
		if o.LogicalID != n.LogicalID {
			c.BaseID = o.LogicalID
		}
		out = append(out, c)
	}
	if o.TrafficType != n.TrafficType && !IsTransitGateway(n.ResourceType) {
		oc, nc := captured(o.TrafficType), captured(n.TrafficType)
		var lost []string
		for k := range oc {
			if !nc[k] {
				lost = append(lost, k)
			}
		}
		sort.Strings(lost)
		if len(lost) > 0 {
			add(KindCaptureNarrowed, true, "", "capture narrowed from %s to %s: %s traffic is no longer logged", orDefault(o.TrafficType, "(not set)"), orDefault(n.TrafficType, "(not set)"), strings.Join(lost, " and "))
		} else {
			add(KindCaptureWidened, false, "", "capture widened from %s to %s", orDefault(o.TrafficType, "(not set)"), n.TrafficType)
		}
	}
	if o.Interval != n.Interval && o.Interval > 0 && n.Interval > 0 {
		if n.Interval > o.Interval {
			add(KindIntervalCoarser, true, "", "aggregation interval coarser: %d s -> %d s (records are later and flows merge over longer windows)", o.Interval, n.Interval)
		} else {
			add(KindIntervalFiner, false, "", "aggregation interval finer: %d s -> %d s", o.Interval, n.Interval)
		}
	}
	if o.Format.Checked && n.Format.Checked {
		of, nf := fieldSet(o.Format), fieldSet(n.Format)
		if rem := minus(of, nf); len(rem) > 0 {
			add(KindFieldsRemoved, true, "", "fields removed from the format: %s", strings.Join(rem, ", "))
		}
		if ad := minus(nf, of); len(ad) > 0 {
			add(KindFieldsAdded, false, "", "fields added to the format: %s", strings.Join(ad, ", "))
		}
	} else if o.Format.Checked && !n.Format.Checked && n.Format.Error != "" {
		add(KindFieldsRemoved, true, "", "the format no longer decodes: %s", n.Format.Error)
	}
	if o.Destination.Type != n.Destination.Type || o.Destination.Target != n.Destination.Target {
		add(KindDestinationChanged, false, "", "destination changed from %s to %s", destinationLine(o.Destination), destinationLine(n.Destination))
	} else if o.Destination.FileFormat != n.Destination.FileFormat || o.Destination.Hive != n.Destination.Hive || o.Destination.PerHour != n.Destination.PerHour || o.Destination.Prefix != n.Destination.Prefix {
		add(KindFileFormatChanged, false, "", "S3 layout changed from [%s] to [%s]: queries and tables over the old layout need updating", destinationLine(o.Destination), destinationLine(n.Destination))
	}
	// Resources paired across a logical-ID change compare as the same, so a
	// renamed log group does not read as a new grant.
	headToBase := map[string]string{n.LogicalID: o.LogicalID}
	if o.Delivery != nil && n.Delivery != nil {
		headToBase[n.Delivery.LogicalID] = o.Delivery.LogicalID
	}
	type pair struct{ o, n StorageReport }
	var stores []pair
	for _, ns := range n.Storage {
		for _, os := range o.Storage {
			if os.Type == ns.Type {
				stores = append(stores, pair{os, ns})
				headToBase[ns.LogicalID] = os.LogicalID
				break
			}
		}
	}
	rename := renamer(headToBase)
	compareRole(o.Delivery, n.Delivery, rename, add)
	compareDeliveryConditions(o, n, add)
	for _, p := range stores {
		compareStorage(p.o, p.n, rename, add)
	}
	return out
}

func fieldSet(f FormatReport) map[string]string {
	s := map[string]string{}
	for _, x := range f.Fields {
		s[x.Name] = x.Name
	}
	return s
}

// minus returns the values of a whose keys b lacks, sorted.
func minus[V any](a, b map[string]V) []string {
	var out []string
	for k, v := range a {
		if _, ok := b[k]; !ok {
			out = append(out, fmt.Sprint(v))
		}
	}
	sort.Strings(out)
	return out
}

// conditionKeys returns the condition keys of statements for a principal, by
// their lower-case form (IAM compares keys case-insensitively) to the key as written.
func conditionKeys(sts []StatementReport, principal string) map[string]string {
	keys := map[string]string{}
	eachCondition(sts, principal, func(_, key string) {
		if _, ok := keys[strings.ToLower(key)]; !ok {
			keys[strings.ToLower(key)] = key
		}
	})
	return keys
}

// eachCondition calls fn with the operator and key of every condition of
// the statements for a principal, as the report writes them ("OPERATOR KEY ...").
func eachCondition(sts []StatementReport, principal string, fn func(op, key string)) {
	for _, s := range sts {
		if !strings.Contains(s.Principal, principal) {
			continue
		}
		for _, c := range s.Conditions {
			if f := strings.Fields(c); len(f) >= 2 {
				fn(f[0], f[1])
			}
		}
	}
}

// unpinned returns the confused-deputy keys that pin one account in the
// base's statements for principal and are still there in the head's, but
// no longer pin (a value changed to "*" or to an ARN with a wildcard account).
// Keys that disappeared are reported as dropped instead.
func unpinned(base, head []StatementReport, principal string) []string {
	state := func(sts []StatementReport) (present, loose map[string]string) {
		present, loose = map[string]string{}, map[string]string{}
		for k, v := range conditionKeys(sts, principal) {
			if k == "aws:sourceaccount" || k == "aws:sourcearn" {
				present[k] = v
			}
		}
		for _, s := range sts {
			if strings.Contains(s.Principal, principal) {
				for _, k := range s.Unpinned {
					loose[strings.ToLower(k)] = k
				}
			}
		}
		return present, loose
	}
	bp, bl := state(base)
	hp, hl := state(head)
	var out []string
	for k, v := range bp {
		_, wasLoose := bl[k]
		_, stillThere := hp[k]
		_, isLoose := hl[k]
		if !wasLoose && stillThere && isLoose {
			out = append(out, v)
		}
	}
	sort.Strings(out)
	return out
}

func compareRole(o, n *RoleReport, rename func(string) string, add func(string, bool, string, string, ...any)) {
	if o == nil || n == nil {
		return
	}
	if who := newAssumers(o.Trust, n.Trust); len(who) > 0 {
		before := "only the log delivery service"
		if others := otherAssumers(o.Trust); len(others) > 0 {
			before = "the log delivery service and " + strings.Join(others, ", ")
		}
		add(KindTrustWidened, true, n.LogicalID, "delivery role may now be assumed by %s (before: %s)", strings.Join(who, ", "), before)
	}
	ok, nk := conditionKeys(o.Trust, svcFlowLogs), conditionKeys(n.Trust, svcFlowLogs)
	// Conditions are lost only where the service is still trusted; a trust
	// that moved to another principal is the change above.
	if rem := minus(ok, nk); len(rem) > 0 && hasPrincipal(n.Trust, svcFlowLogs) {
		add(KindTrustDropped, true, n.LogicalID, "delivery role trust lost its %s condition: vpc-flow-logs.amazonaws.com may assume it on behalf of other accounts or flow logs", strings.Join(rem, ", "))
	}
	if ad := minus(nk, ok); len(ad) > 0 {
		add(KindTrustAdded, false, n.LogicalID, "delivery role trust gained its %s condition", strings.Join(ad, ", "))
	}
	if un := unpinned(o.Trust, n.Trust, svcFlowLogs); len(un) > 0 {
		add(KindTrustUnpinned, true, n.LogicalID, "delivery role trust's %s no longer pins one account: vpc-flow-logs.amazonaws.com may assume it on behalf of other accounts", strings.Join(un, ", "))
	}
	if ie := ifExists(o.Trust, n.Trust, svcFlowLogs); len(ie) > 0 {
		add(KindTrustUnpinned, true, n.LogicalID, "delivery role trust now tests %s only if present: a request without the key passes", strings.Join(ie, ", "))
	}
	og, ng := allowGrants(o.Permissions, same), allowGrants(n.Permissions, rename)
	if ad := uncovered(og, ng, nil); len(ad) > 0 {
		add(KindPermissionsWidened, true, n.LogicalID, "delivery role may now also: %s", strings.Join(ad, "; "))
	}
	if rem := uncovered(ng, og, nil); len(rem) > 0 {
		add(KindPermissionsNarrowed, false, n.LogicalID, "delivery role may no longer: %s", strings.Join(rem, "; "))
	}
}

func compareDeliveryConditions(o, n FlowLogReport, add func(string, bool, string, string, ...any)) {
	for _, ns := range n.Storage {
		for _, os := range o.Storage {
			if os.Type != ns.Type || ns.Type != TypeBucket {
				continue
			}
			ok, nk := conditionKeys(os.Policy, svcDelivery), conditionKeys(ns.Policy, svcDelivery)
			if rem := minus(ok, nk); len(rem) > 0 && hasPrincipal(ns.Policy, svcDelivery) {
				add(KindDeliveryDropped, true, ns.LogicalID, "bucket policy for delivery.logs.amazonaws.com lost its %s condition", strings.Join(rem, ", "))
			}
			if un := unpinned(os.Policy, ns.Policy, svcDelivery); len(un) > 0 {
				add(KindDeliveryUnpinned, true, ns.LogicalID, "bucket policy for delivery.logs.amazonaws.com: %s no longer pins one account", strings.Join(un, ", "))
			}
			if ie := ifExists(os.Policy, ns.Policy, svcDelivery); len(ie) > 0 {
				add(KindDeliveryUnpinned, true, ns.LogicalID, "bucket policy for delivery.logs.amazonaws.com now tests %s only if present: a request without the key passes", strings.Join(ie, ", "))
			}
		}
	}
}

// compareStorage compares a log group, bucket or stream. Retention: keeping
// flow logs for less time than before is a weakening (evidence is gone
// sooner), but a log group or bucket that kept them forever and now expires
// them is the fix of a finding (PROJECT.LOG_GROUP_RETENTION,
// PROJECT.S3_LOG_EXPIRATION), so it is reported as retention set, not
// shortened; the reverse (N days -> forever) is a new finding, not a
// weakening change.
func compareStorage(o, n StorageReport, rename func(string) string, add func(string, bool, string, string, ...any)) {
	days := func(d int) string {
		if d == 0 {
			return "never expire"
		}
		return fmt.Sprintf("%d days", d)
	}
	// A retention that depends on a condition or parameter counts as its
	// shortest value and is shown with all of them; one known only at
	// deploy time may be anything, so a change to it is taken as shortened.
	shown := func(s StorageReport, d int) string {
		if s.Type == TypeLogGroup && s.RetentionWritten != "" {
			return s.RetentionWritten
		}
		return days(d)
	}
	ret := func(s StorageReport) int {
		if s.Type == TypeBucket && s.Lifecycle != nil {
			return s.Lifecycle.ExpirationDays
		}
		return s.RetentionDays
	}
	or, nr := ret(o), ret(n)
	// A log group retention CloudWatch Logs rejects (an error finding) was
	// never in force: there is nothing to compare.
	invalid := func(d int) bool { return o.Type == TypeLogGroup && d != 0 && !flowlog.ValidRetentionDays(d) }
	if o.Type == TypeLogGroup && n.RetentionUnknown && o.RetentionWritten != n.RetentionWritten {
		add(KindRetentionShortened, true, n.LogicalID, "retention of %s %s may be shortened: %s -> %s", storageName(n.Type), n.LogicalID, shown(o, or), n.RetentionWritten)
	} else if or != nr && (o.Type == TypeLogGroup || o.Type == TypeBucket) && !invalid(or) && !invalid(nr) {
		what := storageName(n.Type) + " " + n.LogicalID
		switch {
		case or == 0:
			add(KindRetentionSet, false, n.LogicalID, "retention set on %s: %s -> %s", what, shown(o, or), shown(n, nr))
		case nr != 0 && nr < or:
			add(KindRetentionShortened, true, n.LogicalID, "retention shortened on %s: %s -> %s", what, shown(o, or), shown(n, nr))
		default:
			add(KindRetentionLengthened, false, n.LogicalID, "retention lengthened on %s: %s -> %s", what, shown(o, or), shown(n, nr))
		}
	}
	retained := func(p string) bool { return strings.HasPrefix(p, "Retain") || p == "Snapshot" }
	if o.DeletionPolicy != n.DeletionPolicy {
		add(KindDeletionPolicy, retained(o.DeletionPolicy) && !retained(n.DeletionPolicy), n.LogicalID,
			"DeletionPolicy of %s %s changed: %s -> %s", storageName(n.Type), n.LogicalID, o.DeletionPolicy, n.DeletionPolicy)
	}
	if o.UpdateReplacePolicy != n.UpdateReplacePolicy && retained(orDefault(o.UpdateReplacePolicy, "Delete")) != retained(orDefault(n.UpdateReplacePolicy, "Delete")) {
		add(KindReplacePolicy, retained(orDefault(o.UpdateReplacePolicy, "Delete")), n.LogicalID,
			"UpdateReplacePolicy of %s %s changed: %s -> %s (a replacement now %s the old one)", storageName(n.Type), n.LogicalID,
			orDefault(o.UpdateReplacePolicy, "Delete (default)"), orDefault(n.UpdateReplacePolicy, "Delete (default)"),
			map[bool]string{true: "keeps", false: "deletes"}[retained(orDefault(n.UpdateReplacePolicy, "Delete"))])
	}
	og := allowGrants(o.Policy, same)
	// Conditions dropped from log-delivery statements are their own change
	// (compareDeliveryConditions).
	deliveryConds := func(h grant) bool {
		if h.principal != "service "+svcDelivery {
			return false
		}
		for _, b := range og {
			if b.coversUnconditioned(h) {
				return true
			}
		}
		return false
	}
	if ad := uncovered(og, allowGrants(n.Policy, rename), deliveryConds); len(ad) > 0 {
		add(KindAccessWidened, true, n.LogicalID, "the policy of %s %s now also allows: %s", storageName(n.Type), n.LogicalID, strings.Join(ad, "; "))
	}
	kms := func(e string) bool { return strings.Contains(e, "KMS") || strings.Contains(e, "kms") }
	switch {
	case kms(o.Encryption) && !kms(n.Encryption):
		add(KindEncryptionRemoved, true, n.LogicalID, "KMS encryption removed from %s %s: %s -> %s", storageName(n.Type), n.LogicalID, o.Encryption, n.Encryption)
	case !kms(o.Encryption) && kms(n.Encryption):
		add(KindEncryptionAdded, false, n.LogicalID, "%s %s now encrypted with %s", storageName(n.Type), n.LogicalID, n.Encryption)
	}
	if o.Type == TypeBucket {
		if o.ObjectLock && !n.ObjectLock {
			add(KindProtectionRemoved, true, n.LogicalID, "Object Lock removed from bucket %s", n.LogicalID)
		}
		if o.Versioning == "Enabled" && n.Versioning != "Enabled" {
			add(KindProtectionRemoved, true, n.LogicalID, "versioning no longer enabled on bucket %s", n.LogicalID)
		}
		if o.PublicAccessBlocked && !n.PublicAccessBlocked {
			add(KindProtectionRemoved, true, n.LogicalID, "public access no longer fully blocked on bucket %s", n.LogicalID)
		}
	}
}

func diffFindings(base, head []Finding) (added, resolved []Finding) {
	key := func(f Finding) string { return f.Rule + "\x00" + f.LogicalID + "\x00" + f.Path }
	inBase, inHead := map[string]bool{}, map[string]bool{}
	for _, f := range base {
		inBase[key(f)] = true
	}
	for _, f := range head {
		inHead[key(f)] = true
		if !inBase[key(f)] {
			added = append(added, f)
		}
	}
	for _, f := range base {
		if !inHead[key(f)] {
			resolved = append(resolved, f)
		}
	}
	return added, resolved
}
