package flowlog

import (
	"errors"
	"strings"
	"testing"
)

const defaultFormatString = "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}"

func TestDefaultFormat(t *testing.T) {
	f := DefaultFormat()
	if f.String() != defaultFormatString {
		t.Errorf("DefaultFormat().String() = %q", f.String())
	}
	if f.Len() != 14 || f.Version() != 2 {
		t.Errorf("len %d version %d", f.Len(), f.Version())
	}
	g, err := ParseFormat(defaultFormatString)
	if err != nil || g != f {
		t.Errorf("ParseFormat(default) = %v, %v", g, err)
	}
	if f.Header() != "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status" {
		t.Errorf("Header() = %q", f.Header())
	}
	if f.Index(SrcAddr) != 3 || f.Index(VpcID) != -1 || f.Index(0) != -1 || (Format{}).Index(Version) != -1 {
		t.Error("Index")
	}
}

func TestParseFormatErrors(t *testing.T) {
	tests := []struct {
		in      string
		err     error
		offset  int
		token   string
		suggest string
	}{
		{"", ErrEmptyFormat, 0, "", ""},
		{"${srcadr}", ErrUnknownField, 0, "${srcadr}", "${srcaddr}"},
		{"${version} ${acount-id}", ErrUnknownField, 11, "${acount-id}", "${account-id}"},
		{"${version} ${account_id}", ErrUnknownField, 11, "${account_id}", "${account-id}"},
		{"${version} ${zzzzzzzzzzzzzzzzzzz}", ErrUnknownField, 11, "${zzzzzzzzzzzzzzzzzzz}", ""},
		{"${version} ${version}", ErrDuplicateField, 11, "${version}", ""},
		{"${version} ", ErrFormatSyntax, 10, " ", ""},
		{" ${version}", ErrFormatSyntax, 0, " ", ""},
		{"${version}  ${end}", ErrFormatSyntax, 10, "  ", ""},
		{"${version}   ", ErrFormatSyntax, 10, "   ", ""},
		{"version srcaddr", ErrFormatSyntax, 0, "version", "${version}"},
		{"${version},${end}", ErrFormatSyntax, 0, "${version},${end}", ""},
		{"${version}${end}", ErrFormatSyntax, 0, "${version}${end}", ""},
		{"${version", ErrFormatSyntax, 0, "${version", "${version}"},
		{"${}", ErrUnknownField, 0, "${}", ""},
		{"${version}\t${end}", ErrFormatSyntax, 0, "${version}\t${end}", ""},
	}
	for _, tt := range tests {
		_, err := ParseFormat(tt.in)
		var fe *FormatError
		if !errors.As(err, &fe) {
			t.Errorf("ParseFormat(%q) error = %v, want *FormatError", tt.in, err)
			continue
		}
		if !errors.Is(err, tt.err) || fe.Offset != tt.offset || fe.Token != tt.token || fe.Suggest != tt.suggest {
			t.Errorf("ParseFormat(%q) = %#v, want %v at %d %q suggest %q", tt.in, fe, tt.err, tt.offset, tt.token, tt.suggest)
		}
		if tt.token != "" && !strings.Contains(err.Error(), tt.token) && !strings.Contains(err.Error(), `"`) {
			t.Errorf("error %q does not quote the token", err)
		}
		if tt.suggest != "" && !strings.Contains(err.Error(), "did you mean") {
			t.Errorf("error %q has no suggestion", err)
		}
	}
}

func TestFormatRoundTrip(t *testing.T) {
	for _, name := range PresetNames() {
		f, ok := Preset(name)
		if !ok {
			t.Fatalf("Preset(%q) missing", name)
		}
		g, err := ParseFormat(f.String())
		if err != nil || g != f {
			t.Errorf("%s: ParseFormat(String()) = %v, %v", name, g, err)
		}
		h, err := ParseHeader(f.Header() + "\n")
		if err != nil || h != f {
			t.Errorf("%s: ParseHeader(Header()) = %v, %v", name, h, err)
		}
		c, err := ParseColumns(f.Columns())
		if err != nil || c != f {
			t.Errorf("%s: ParseColumns(Columns()) = %v, %v", name, c, err)
		}
		n, err := NewFormat(f.Fields()...)
		if err != nil || n != f {
			t.Errorf("%s: NewFormat(Fields()) = %v, %v", name, n, err)
		}
	}
	if all, _ := Preset("all"); all.Len() != int(ResourceType)-1 || all.Version() != 11 || !all.InVPCFlowLogs() || all.InTransitGatewayFlowLogs() {
		t.Errorf("all: len %d version %d", all.Len(), all.Version())
	}
	if v5, _ := Preset("v5"); v5.Len() != 29 || v5.Version() != 5 {
		t.Errorf("v5: len %d version %d", v5.Len(), v5.Version())
	}
	if _, ok := Preset("nope"); ok {
		t.Error("Preset(nope) ok")
	}
}

func TestFormatVersion(t *testing.T) {
	f := MustFormat(SrcAddr, VpcID, Region)
	if f.Version() != 4 {
		t.Errorf("version = %d, want 4 (highest field version)", f.Version())
	}
}

func TestParseHeaderAndColumnsErrors(t *testing.T) {
	if _, err := ParseHeader("version srcadr"); !errors.Is(err, ErrUnknownField) || !strings.Contains(err.Error(), `did you mean "srcaddr"`) {
		t.Errorf("ParseHeader unknown: %v", err)
	}
	if _, err := ParseHeader("  \r\n"); !errors.Is(err, ErrEmptyFormat) {
		t.Errorf("ParseHeader empty: %v", err)
	}
	if _, err := ParseHeader("version version"); !errors.Is(err, ErrDuplicateField) {
		t.Errorf("ParseHeader dup: %v", err)
	}
	f, err := ParseHeader("version  account-id\r\n")
	if err != nil || f != MustFormat(Version, AccountID) {
		t.Errorf("ParseHeader double space: %v %v", f, err)
	}
	if _, err := ParseColumns([]string{"version", "account-id"}); !errors.Is(err, ErrUnknownField) || !strings.Contains(err.Error(), `"account_id"`) {
		t.Errorf("ParseColumns hyphen: %v", err)
	}
	if _, err := ParseColumns(nil); !errors.Is(err, ErrEmptyFormat) {
		t.Errorf("ParseColumns empty: %v", err)
	}
	if _, err := NewFormat(Version, Version); !errors.Is(err, ErrDuplicateField) {
		t.Errorf("NewFormat dup: %v", err)
	}
	if _, err := NewFormat(Field(99)); !errors.Is(err, ErrUnknownField) {
		t.Errorf("NewFormat invalid: %v", err)
	}
	if _, err := NewFormat(); !errors.Is(err, ErrEmptyFormat) {
		t.Errorf("NewFormat empty: %v", err)
	}
}
