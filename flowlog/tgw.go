package flowlog

import "strings"

// Transit gateway flow logs have their own field set: 18 fields shared with
// VPC flow logs (srcaddr, packets, tcp-flags, ...) and 18 of their own
// (resource-type, tgw-*, packets-lost-*), all in the records AWS calls
// version 6. The fields of their own are not [Field]s: a [Record] holds VPC,
// subnet and network-interface records, and the parser does not read transit
// gateway records. They are listed here so that a transit gateway flow log's
// LogFormat is built and checked from one table, as VPC formats are from the
// registry.
//
// Sources:
//   - Amazon VPC Transit Gateways guide, "Transit Gateway Flow Log records",
//     available fields and default format:
//     https://docs.aws.amazon.com/vpc/latest/tgw/tgw-flow-logs.html#flow-log-records
//   - "Create and manage Transit Gateway Flow Logs using APIs or the CLI"
//     (without a LogFormat, a transit gateway flow log records every field):
//     https://docs.aws.amazon.com/vpc/latest/tgw/flow-logs-api-cli.html
//
// The default format below was checked against the guide's field table order
// as reproduced by AWS sample code; field descriptions of the shared fields
// come from the VPC registry.

const srcTGWRecords = "https://docs.aws.amazon.com/vpc/latest/tgw/tgw-flow-logs.html#flow-log-records"

// TransitGatewayField is one field of a transit gateway flow-log record.
type TransitGatewayField struct {
	// Name is the hyphenated field name, e.g. "tgw-attachment-id".
	Name string
	// Shared is the VPC flow-log field of the same name, or the zero Field
	// for a field only transit gateway flow logs have.
	Shared Field
	// Description says what the field holds.
	Description string
	// Source is the AWS page the field is documented on.
	Source string
}

// Token returns the field's LogFormat token, e.g. "${tgw-id}".
func (f TransitGatewayField) Token() string { return "${" + f.Name + "}" }

func tgwOnly(name, desc string) TransitGatewayField {
	return TransitGatewayField{Name: name, Description: desc, Source: srcTGWRecords}
}

func tgwShared(f Field) TransitGatewayField {
	return TransitGatewayField{Name: f.Name(), Shared: f, Description: f.Description(), Source: srcTGWRecords}
}

// tgwFields is every transit gateway field, in the order of the default format.
var tgwFields = []TransitGatewayField{
	tgwShared(Version),
	tgwOnly("resource-type", "Type of the resource the flow log is on: TransitGateway or TransitGatewayAttachment."),
	tgwShared(AccountID),
	tgwOnly("tgw-id", "ID of the transit gateway the traffic is recorded for."),
	tgwOnly("tgw-attachment-id", "ID of the transit gateway attachment the traffic is recorded for."),
	tgwOnly("tgw-src-vpc-account-id", "Account ID of the source VPC."),
	tgwOnly("tgw-dst-vpc-account-id", "Account ID of the destination VPC."),
	tgwOnly("tgw-src-vpc-id", "ID of the source VPC."),
	tgwOnly("tgw-dst-vpc-id", "ID of the destination VPC."),
	tgwOnly("tgw-src-subnet-id", "ID of the subnet of the source transit gateway attachment."),
	tgwOnly("tgw-dst-subnet-id", "ID of the subnet of the destination transit gateway attachment."),
	tgwOnly("tgw-src-eni", "ID of the source transit gateway attachment network interface."),
	tgwOnly("tgw-dst-eni", "ID of the destination transit gateway attachment network interface."),
	tgwOnly("tgw-src-az-id", "ID of the Availability Zone of the source transit gateway attachment."),
	tgwOnly("tgw-dst-az-id", "ID of the Availability Zone of the destination transit gateway attachment."),
	tgwOnly("tgw-pair-attachment-id", "The other attachment of the flow: the egress attachment for ingress traffic, the ingress attachment for egress traffic."),
	tgwShared(SrcAddr),
	tgwShared(DstAddr),
	tgwShared(SrcPort),
	tgwShared(DstPort),
	tgwShared(Protocol),
	tgwShared(Packets),
	tgwShared(Bytes),
	tgwShared(Start),
	tgwShared(End),
	tgwShared(LogStatus),
	tgwShared(Type),
	tgwOnly("packets-lost-no-route", "Packets dropped because no route matched."),
	tgwOnly("packets-lost-blackhole", "Packets dropped by a blackhole route."),
	tgwOnly("packets-lost-mtu-exceeded", "Packets dropped because they exceeded the MTU."),
	tgwOnly("packets-lost-ttl-expired", "Packets dropped because their time to live expired."),
	tgwShared(TCPFlags),
	tgwShared(Region),
	tgwShared(FlowDirection),
	tgwShared(PktSrcAWSService),
	tgwShared(PktDstAWSService),
}

var tgwByName = func() map[string]int {
	m := make(map[string]int, len(tgwFields))
	for i, f := range tgwFields {
		m[f.Name] = i
	}
	return m
}()

// TransitGatewayFields returns every transit gateway flow-log field in the
// order of the default format. The slice is a copy.
func TransitGatewayFields() []TransitGatewayField {
	return append([]TransitGatewayField(nil), tgwFields...)
}

// TransitGatewayFieldByName returns the transit gateway field with the given
// hyphenated name.
func TransitGatewayFieldByName(name string) (TransitGatewayField, bool) {
	i, ok := tgwByName[name]
	if !ok {
		return TransitGatewayField{}, false
	}
	return tgwFields[i], true
}

// TransitGatewayFormat is the LogFormat of a transit gateway flow log: an
// ordered set of distinct transit gateway fields. It is comparable with ==.
// The zero value has no fields.
type TransitGatewayFormat struct {
	s string // the canonical LogFormat string
	n int
}

// DefaultTransitGatewayFormat is every transit gateway field in AWS's order,
// which is what EC2 records when a transit gateway flow log has no LogFormat.
func DefaultTransitGatewayFormat() TransitGatewayFormat {
	names := make([]string, len(tgwFields))
	for i, f := range tgwFields {
		names[i] = f.Name
	}
	f, err := NewTransitGatewayFormat(names...)
	if err != nil {
		panic(err)
	}
	return f
}

// NewTransitGatewayFormat returns the format of the named fields, in order.
// It fails with a *FormatError for no fields, a field transit gateway flow
// logs do not have (for example "action" or "vpc-id", which only VPC flow
// logs record) or a repeated field.
func NewTransitGatewayFormat(names ...string) (TransitGatewayFormat, error) {
	if len(names) == 0 {
		return TransitGatewayFormat{}, &FormatError{Err: ErrEmptyFormat}
	}
	seen := make(map[string]bool, len(names))
	toks := make([]string, len(names))
	for i, name := range names {
		f, ok := TransitGatewayFieldByName(name)
		if !ok {
			e := &FormatError{Offset: i, Token: "${" + name + "}", Err: ErrUnknownField}
			if _, vpc := FieldByName(name); vpc {
				e.Msg = "a VPC flow-log field that transit gateway flow logs do not record"
			} else if sug, ok := suggestTGW(name); ok {
				e.Suggest = sug.Token()
			}
			return TransitGatewayFormat{}, e
		}
		if seen[name] {
			return TransitGatewayFormat{}, &FormatError{Offset: i, Token: f.Token(), Err: ErrDuplicateField}
		}
		seen[name] = true
		toks[i] = f.Token()
	}
	return TransitGatewayFormat{s: strings.Join(toks, " "), n: len(names)}, nil
}

// ParseTransitGatewayFormat parses a transit gateway LogFormat string such as
// "${tgw-id} ${srcaddr} ${dstaddr}", with the syntax rules of [ParseFormat].
func ParseTransitGatewayFormat(s string) (TransitGatewayFormat, error) {
	if s == "" {
		return TransitGatewayFormat{}, &FormatError{Err: ErrEmptyFormat}
	}
	var names []string
	off := 0
	for _, tok := range strings.Split(s, " ") {
		if tok == "" {
			return TransitGatewayFormat{}, &FormatError{Offset: off, Token: " ", Msg: "leading, trailing or repeated space", Err: ErrFormatSyntax}
		}
		if !strings.HasPrefix(tok, "${") || !strings.HasSuffix(tok, "}") || strings.Count(tok, "${") != 1 || strings.Count(tok, "}") != 1 {
			return TransitGatewayFormat{}, &FormatError{Offset: off, Token: tok, Msg: "text outside ${...}", Err: ErrFormatSyntax}
		}
		names = append(names, tok[2:len(tok)-1])
		off += len(tok) + 1
	}
	f, err := NewTransitGatewayFormat(names...)
	if fe, ok := err.(*FormatError); ok {
		// Report the byte offset in s, not the field index.
		fe.Offset = strings.Index(s, fe.Token)
	}
	return f, err
}

// String returns the LogFormat string, e.g. "${tgw-id} ${srcaddr}".
func (f TransitGatewayFormat) String() string { return f.s }

// Len returns the number of fields.
func (f TransitGatewayFormat) Len() int { return f.n }

// Fields returns the format's fields in order.
func (f TransitGatewayFormat) Fields() []TransitGatewayField {
	if f.s == "" {
		return nil
	}
	toks := strings.Split(f.s, " ")
	out := make([]TransitGatewayField, len(toks))
	for i, t := range toks {
		out[i], _ = TransitGatewayFieldByName(t[2 : len(t)-1])
	}
	return out
}

// TransitGatewayFormatOf converts a VPC flow-log format to a transit gateway
// one. It fails with a *FormatError naming the first field transit gateway
// flow logs do not record (e.g. ${action}: a transit gateway has no security
// groups or network ACLs that accept or reject).
func TransitGatewayFormatOf(f Format) (TransitGatewayFormat, error) {
	names := make([]string, f.Len())
	for i, fld := range f.Fields() {
		names[i] = fld.Name()
	}
	return NewTransitGatewayFormat(names...)
}

func suggestTGW(s string) (TransitGatewayField, bool) {
	best, bestD := -1, 1<<30
	for i, f := range tgwFields {
		if d := editDistance(s, f.Name); d < bestD {
			best, bestD = i, d
		}
	}
	if best >= 0 && bestD <= max(2, len(tgwFields[best].Name)/3) {
		return tgwFields[best], true
	}
	return TransitGatewayField{}, false
}
