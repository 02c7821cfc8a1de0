package flowlog

import (
	"strings"
	"testing"
)

func TestRegistryComplete(t *testing.T) {
	fs := Fields()
	if len(fs) != NumFields {
		t.Fatalf("Fields() has %d fields, want %d", len(fs), NumFields)
	}
	athena := map[string]bool{"int": true, "bigint": true, "string": true}
	parquet := map[string]bool{"INT_32": true, "INT_64": true, "STRING": true}
	for i, f := range fs {
		if f != Field(i+1) {
			t.Errorf("Fields()[%d] = %v, want registry order", i, f)
		}
		if f.Name() == "" || f.Description() == "" || f.Source() == "" || f.Kind() == KindInvalid {
			t.Errorf("%d: incomplete registry entry %+v", f, *f.info())
		}
		if v := f.Version(); v < 2 || v > 11 || v == 6 {
			t.Errorf("%s: version %d", f, v)
		}
		if !athena[f.AthenaType()] || !parquet[f.ParquetType()] {
			t.Errorf("%s: types %q %q", f, f.AthenaType(), f.ParquetType())
		}
		if f.Token() != "${"+f.Name()+"}" || f.Column() != strings.ReplaceAll(f.Name(), "-", "_") || f.String() != f.Name() {
			t.Errorf("%s: token %q column %q", f, f.Token(), f.Column())
		}
		if g, ok := FieldByName(f.Name()); !ok || g != f {
			t.Errorf("FieldByName(%q) = %v, %v", f.Name(), g, ok)
		}
		if g, ok := FieldByColumn(f.Column()); !ok || g != f {
			t.Errorf("FieldByColumn(%q) = %v, %v", f.Column(), g, ok)
		}
	}
	fs[0] = End
	if Fields()[0] != Version {
		t.Error("Fields() is not a copy")
	}
	if Field(0).Valid() || Field(numFields).Valid() || Field(0).Name() != "" || Field(200).String() != "Field(200)" {
		t.Error("invalid fields")
	}
}

// TestRegistryFacts pins facts from the AWS documentation that other
// packages (constructs, Athena DDL, Insights queries) rely on.
func TestRegistryFacts(t *testing.T) {
	tests := []struct {
		f       Field
		name    string
		version int
		athena  string
		parquet string
	}{
		// https://docs.aws.amazon.com/athena/latest/ug/vpc-flow-logs-create-table-statement.html
		// https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html
		{Version, "version", 2, "int", "INT_32"},
		{AccountID, "account-id", 2, "string", "STRING"},
		{SrcAddr, "srcaddr", 2, "string", "STRING"},
		{SrcPort, "srcport", 2, "int", "INT_32"},
		{Protocol, "protocol", 2, "bigint", "INT_32"},
		{Packets, "packets", 2, "bigint", "INT_64"},
		{Bytes, "bytes", 2, "bigint", "INT_64"},
		{Start, "start", 2, "bigint", "INT_64"},
		{End, "end", 2, "bigint", "INT_64"},
		{LogStatus, "log-status", 2, "string", "STRING"},
		{VpcID, "vpc-id", 3, "string", "STRING"},
		{TCPFlags, "tcp-flags", 3, "int", "INT_32"},
		{Type, "type", 3, "string", "STRING"},
		{PktDstAddr, "pkt-dstaddr", 3, "string", "STRING"},
		{AZID, "az-id", 4, "string", "STRING"},
		{SublocationID, "sublocation-id", 4, "string", "STRING"},
		{PktSrcAWSService, "pkt-src-aws-service", 5, "string", "STRING"},
		{FlowDirection, "flow-direction", 5, "string", "STRING"},
		{TrafficPath, "traffic-path", 5, "int", "INT_32"},
		{ECSClusterARN, "ecs-cluster-arn", 7, "string", "STRING"},
		{ECSTaskID, "ecs-task-id", 7, "string", "STRING"},
		{RejectReason, "reject-reason", 8, "string", "STRING"},
		{ResourceID, "resource-id", 9, "string", "STRING"},
		{EncryptionStatus, "encryption-status", 10, "int", "INT_32"},
		{InstanceTag, "instance-tag", 11, "string", "STRING"},
		{NextHopInterfaceType, "next-hop-interface-type", 11, "string", "STRING"},
	}
	for _, tt := range tests {
		if tt.f.Name() != tt.name || tt.f.Version() != tt.version || tt.f.AthenaType() != tt.athena || tt.f.ParquetType() != tt.parquet {
			t.Errorf("%v: got %s v%d %s %s, want %s v%d %s %s", int(tt.f), tt.f.Name(), tt.f.Version(), tt.f.AthenaType(), tt.f.ParquetType(),
				tt.name, tt.version, tt.athena, tt.parquet)
		}
	}
	count := map[int]int{}
	for _, f := range Fields() {
		count[f.Version()]++
	}
	// v2: 14 default fields; v3: 7 (AWS blog on v7 lists the v3 additions);
	// v4: 4; v5: 4; v7: 10 ECS fields.
	for v, n := range map[int]int{2: 14, 3: 7, 4: 4, 5: 4, 7: 10, 8: 1, 9: 1, 10: 1} {
		if count[v] != n {
			t.Errorf("version %d has %d fields, want %d", v, count[v], n)
		}
	}
}

func TestSpecialValuesCopy(t *testing.T) {
	s := LogStatus.SpecialValues()
	if len(s) != 3 || !strings.HasPrefix(s[1], "NODATA") {
		t.Fatalf("LogStatus.SpecialValues() = %q", s)
	}
	s[0] = "x"
	if LogStatus.SpecialValues()[0] == "x" {
		t.Error("SpecialValues is not a copy")
	}
	if len(TrafficPath.SpecialValues()) != 9 || len(EncryptionStatus.SpecialValues()) != 5 {
		t.Error("traffic-path or encryption-status special values incomplete")
	}
}
