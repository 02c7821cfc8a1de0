package flowlog

import (
	"errors"
	"strings"
)

// Transit gateway flow logs record 36 fields: 18 they share with VPC flow
// logs (srcaddr, packets, tcp-flags, ...) and 18 of their own (resource-type,
// tgw-*, packets-lost-*, version 6). All are [Field]s of the one registry,
// which says which flow logs record each ([Field.InTransitGatewayFlowLogs]),
// so a transit gateway record is parsed, written, encoded as JSON and listed
// like a VPC one. This file holds what is particular to them: the order of
// their default format, and TransitGatewayFormat, a Format that only
// transit gateway flow logs can have, for the constructs.
//
// Sources:
//   - Amazon VPC Transit Gateways guide, "Transit Gateway Flow Log records",
//     available fields and default format ("all version 2 to version 6
//     fields, in the order shown in the available fields table"):
//     https://docs.aws.amazon.com/vpc/latest/tgw/tgw-flow-logs.html#flow-log-records
//   - "Create and manage Transit Gateway Flow Logs using APIs or the CLI"
//     (without a LogFormat, a transit gateway flow log records every field):
//     https://docs.aws.amazon.com/vpc/latest/tgw/flow-logs-api-cli.html

// tgwDefaultFields is every transit gateway field in the order of the
// guide's table, which is the default format. It is also what makes a field
// one that transit gateway flow logs record (registry init).
var tgwDefaultFields = [...]Field{
	Version, ResourceType, AccountID, TGWID, TGWAttachmentID,
	TGWSrcVpcAccountID, TGWDstVpcAccountID, TGWSrcVpcID, TGWDstVpcID,
	TGWSrcSubnetID, TGWDstSubnetID, TGWSrcENI, TGWDstENI, TGWSrcAZID, TGWDstAZID,
	TGWPairAttachmentID, SrcAddr, DstAddr, SrcPort, DstPort, Protocol,
	Packets, Bytes, Start, End, LogStatus, Type,
	PacketsLostNoRoute, PacketsLostBlackhole, PacketsLostMTUExceeded, PacketsLostTTLExpired,
	TCPFlags, Region, FlowDirection, PktSrcAWSService, PktDstAWSService,
}

var tgwDefaultFormat = MustFormat(tgwDefaultFields[:]...)

// TransitGatewayField describes one field of transit gateway flow logs.
type TransitGatewayField struct {
	// Field is the field in the registry.
	Field Field
	// Name is the hyphenated field name, e.g. "tgw-attachment-id".
	Name string
	// Shared is Field if VPC flow logs record it too, or the zero Field for
	// a field only transit gateway flow logs have.
	Shared Field
	// Description says what the field holds.
	Description string
	// Source is the AWS page the field is documented on.
	Source string
}

func tgwField(f Field) TransitGatewayField {
	tf := TransitGatewayField{Field: f, Name: f.Name(), Description: f.Description(), Source: srcTGWRecords}
	if f.InVPCFlowLogs() {
		tf.Shared = f
	}
	return tf
}

// Token returns the field's LogFormat token, e.g. "${tgw-id}".
func (f TransitGatewayField) Token() string { return f.Field.Token() }

// TransitGatewayFields returns every transit gateway flow-log field in the
// order of the default format.
func TransitGatewayFields() []TransitGatewayField {
	out := make([]TransitGatewayField, len(tgwDefaultFields))
	for i, f := range tgwDefaultFields {
		out[i] = tgwField(f)
	}
	return out
}

// TransitGatewayFieldByName returns the transit gateway field with the given
// hyphenated name.
func TransitGatewayFieldByName(name string) (TransitGatewayField, bool) {
	f, ok := FieldByName(name)
	if !ok || !f.InTransitGatewayFlowLogs() {
		return TransitGatewayField{}, false
	}
	return tgwField(f), true
}

// TransitGatewayFormat is the LogFormat of a transit gateway flow log: a
// [Format] whose fields transit gateway flow logs all record. It is
// comparable with ==. The zero value has no fields.
type TransitGatewayFormat struct{ f Format }

// DefaultTransitGatewayFormat is every transit gateway field in AWS's order,
// which is what EC2 records when a transit gateway flow log has no LogFormat.
func DefaultTransitGatewayFormat() TransitGatewayFormat {
	return TransitGatewayFormat{tgwDefaultFormat}
}

// The messages for a field the flow log's kind does not record.
const (
	errNotTGW = "a VPC flow-log field that transit gateway flow logs do not record"
	errNotVPC = "a transit gateway flow-log field that VPC flow logs do not record"
)

// NewTransitGatewayFormat returns the format of the named fields, in order.
// It fails with a *FormatError for no fields, a field transit gateway flow
// logs do not have (for example "action" or "vpc-id", which only VPC flow
// logs record) or a repeated field.
func NewTransitGatewayFormat(names ...string) (TransitGatewayFormat, error) {
	if len(names) == 0 {
		return TransitGatewayFormat{}, &FormatError{Err: ErrEmptyFormat}
	}
	toks := make([]string, len(names))
	for i, name := range names {
		toks[i] = "${" + name + "}"
	}
	f, err := ParseTransitGatewayFormat(strings.Join(toks, " "))
	var fe *FormatError
	if errors.As(err, &fe) && fe.Err != ErrEmptyFormat {
		// Report the index of the name, not a byte offset.
		for i, t := range toks {
			if t == fe.Token {
				fe.Offset = i
				break
			}
		}
	}
	return f, err
}

// ParseTransitGatewayFormat parses a transit gateway LogFormat string such as
// "${tgw-id} ${srcaddr} ${dstaddr}", with the syntax rules of [ParseFormat],
// and fails with ErrUnknownField for a field only VPC flow logs record.
func ParseTransitGatewayFormat(s string) (TransitGatewayFormat, error) {
	f, err := parseFormat(s, onTGW)
	return TransitGatewayFormat{f}, err
}

// String returns the LogFormat string, e.g. "${tgw-id} ${srcaddr}".
func (f TransitGatewayFormat) String() string { return f.f.String() }

// Len returns the number of fields.
func (f TransitGatewayFormat) Len() int { return f.f.Len() }

// Format returns the format as a [Format], to parse and write its records.
func (f TransitGatewayFormat) Format() Format { return f.f }

// Fields returns the format's fields in order.
func (f TransitGatewayFormat) Fields() []TransitGatewayField {
	out := make([]TransitGatewayField, f.f.Len())
	for i, fld := range f.f.fields[:f.f.n] {
		out[i] = tgwField(fld)
	}
	return out
}

// TransitGatewayFormatOf converts a format to a transit gateway one. It
// fails with a *FormatError naming the first field transit gateway flow
// logs do not record (e.g. ${action}: a transit gateway has no security
// groups or network ACLs that accept or reject).
func TransitGatewayFormatOf(f Format) (TransitGatewayFormat, error) {
	if f.n == 0 {
		return TransitGatewayFormat{}, &FormatError{Err: ErrEmptyFormat}
	}
	for i, fld := range f.fields[:f.n] {
		if !fld.InTransitGatewayFlowLogs() {
			// Offset is the field's index, as for NewFormat.
			return TransitGatewayFormat{}, &FormatError{Offset: i, Token: fld.Token(), Msg: errNotTGW, Err: ErrUnknownField}
		}
	}
	return TransitGatewayFormat{f}, nil
}
