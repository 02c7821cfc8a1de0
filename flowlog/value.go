package flowlog

import (
	"math"
	"net/netip"
	"strconv"
	"time"
)

// Value is the value of one field of a [Record], for generic access.
// The zero Value is absent.
type Value struct {
	field Field
	ok    bool
	num   uint64
	addr  netip.Addr
	str   string
}

// Get returns the value of field f in r. It is absent (Valid reports false)
// if f is absent from r or invalid.
func (r *Record) Get(f Field) Value {
	if !r.Has(f) {
		return Value{field: f}
	}
	v := Value{field: f, ok: true}
	switch f {
	case Version:
		v.num = uint64(r.version)
	case SrcAddr:
		v.addr = r.srcAddr
	case DstAddr:
		v.addr = r.dstAddr
	case SrcPort:
		v.num = uint64(r.srcPort)
	case DstPort:
		v.num = uint64(r.dstPort)
	case Protocol:
		v.num = uint64(r.protocol)
	case Packets:
		v.num = r.packets
	case Bytes:
		v.num = r.bytes
	case Start:
		v.num = uint64(r.start)
	case End:
		v.num = uint64(r.end)
	case Action:
		v.num, v.str = uint64(r.action), r.action.String()
	case LogStatus:
		v.num, v.str = uint64(r.status), r.status.String()
	case TCPFlags:
		v.num = uint64(r.tcpFlags)
	case Type:
		v.num, v.str = uint64(r.typ), r.typ.String()
	case PktSrcAddr:
		v.addr = r.pktSrc
	case PktDstAddr:
		v.addr = r.pktDst
	case FlowDirection:
		v.num, v.str = uint64(r.dir), r.dir.String()
	case TrafficPath:
		v.num = uint64(r.path)
	case EncryptionStatus:
		v.num = uint64(r.enc)
	case PacketsLostNoRoute, PacketsLostBlackhole, PacketsLostMTUExceeded, PacketsLostTTLExpired:
		v.num = r.lost[f-PacketsLostNoRoute]
	default:
		v.str = r.str[strSlot[f]]
	}
	return v
}

// Field returns the field the value belongs to.
func (v Value) Field() Field { return v.field }

// Kind returns the kind of the value's field.
func (v Value) Kind() Kind { return v.field.Kind() }

// Valid reports whether the value is present.
func (v Value) Valid() bool { return v.ok }

// Uint returns the number of an integer or time field, or the code of an
// enum field (e.g. [Accept]); 0 otherwise.
func (v Value) Uint() uint64 {
	if v.Kind() == KindAddr || v.Kind() == KindString {
		return 0
	}
	return v.num
}

// Int returns v.Uint() as an int64 (all flow-log numbers fit).
func (v Value) Int() int64 { return int64(v.Uint()) }

// Addr returns the address of an address field; the zero Addr otherwise.
func (v Value) Addr() netip.Addr { return v.addr }

// Time returns the time of a time field (start, end) in UTC; the zero
// Time otherwise.
func (v Value) Time() time.Time {
	if !v.ok || v.Kind() != KindTime {
		return time.Time{}
	}
	return time.Unix(int64(v.num), 0).UTC()
}

// Str returns the text of a string or enum field; "" otherwise.
func (v Value) Str() string {
	if v.Kind() == KindString || v.Kind() == KindEnum {
		return v.str
	}
	return ""
}

// String returns the value as it appears in a flow-log line: "-" if absent.
func (v Value) String() string { return string(v.AppendText(nil)) }

// AppendText appends the value as it appears in a flow-log line ("-" if
// absent) to dst.
func (v Value) AppendText(dst []byte) []byte {
	if !v.ok {
		return append(dst, '-')
	}
	switch v.Kind() {
	case KindAddr:
		return v.addr.AppendTo(dst)
	case KindString, KindEnum:
		return append(dst, v.str...)
	}
	return strconv.AppendUint(dst, v.num, 10)
}

// SetText parses text as the value of field f in r, as [ParseLine] would:
// "-" makes the field absent. Errors wrap ErrSyntax or ErrRange. Text
// containing spaces or control characters, or empty text, is ErrSyntax.
// String fields keep a reference to text.
func (r *Record) SetText(f Field, text string) error {
	if !f.Valid() {
		return &ParseError{Text: f.String(), Err: ErrSyntax, Msg: "invalid field"}
	}
	if text == "-" {
		r.clear(f)
		return nil
	}
	for i := 0; i < len(text); i++ {
		if text[i] <= ' ' {
			return &ParseError{Name: f.Name(), Text: errText(text), Err: ErrSyntax, Msg: "space or control character"}
		}
	}
	if text == "" {
		return &ParseError{Name: f.Name(), Err: ErrSyntax, Msg: "empty value"}
	}
	if err := r.set(f, text); err != nil {
		r.clear(f)
		return &ParseError{Name: f.Name(), Text: errText(text), Err: err}
	}
	r.has.add(f)
	return nil
}

// SetUint sets an integer, time or enum-code field of r to n. It fails
// with ErrRange if n does not fit the field and ErrSyntax if the field is
// not numeric or n is not a known enum code.
func (r *Record) SetUint(f Field, n uint64) error {
	bad := func(err error) error {
		return &ParseError{Name: f.Name(), Text: strconv.FormatUint(n, 10), Err: err}
	}
	var lim uint64
	switch f.Kind() {
	case KindUint8:
		lim = math.MaxUint8
	case KindUint16:
		lim = math.MaxUint16
	case KindUint64:
		lim = math.MaxUint64
	case KindTime:
		lim = math.MaxInt64
	case KindEnum:
		lim = 3
		if f == Action || f == FlowDirection {
			lim = 2
		}
		if n == 0 {
			return bad(ErrSyntax)
		}
	default:
		return bad(ErrSyntax)
	}
	if n > lim {
		return bad(ErrRange)
	}
	switch f {
	case Version:
		r.version = uint8(n)
	case Protocol:
		r.protocol = uint8(n)
	case TCPFlags:
		r.tcpFlags = uint8(n)
	case TrafficPath:
		r.path = uint8(n)
	case EncryptionStatus:
		r.enc = uint8(n)
	case SrcPort:
		r.srcPort = uint16(n)
	case DstPort:
		r.dstPort = uint16(n)
	case Packets:
		r.packets = n
	case Bytes:
		r.bytes = n
	case Start:
		r.start = int64(n)
	case End:
		r.end = int64(n)
	case Action:
		r.action = Verdict(n)
	case LogStatus:
		r.status = Status(n)
	case Type:
		r.typ = AddrType(n)
	case FlowDirection:
		r.dir = Direction(n)
	case PacketsLostNoRoute, PacketsLostBlackhole, PacketsLostMTUExceeded, PacketsLostTTLExpired:
		r.lost[f-PacketsLostNoRoute] = n
	}
	r.has.add(f)
	return nil
}

// SetAddr sets an address field of r. An invalid (zero) Addr makes the
// field absent. Addresses with a zone are ErrSyntax.
func (r *Record) SetAddr(f Field, a netip.Addr) error {
	if f.Kind() != KindAddr || a.Zone() != "" {
		return &ParseError{Name: f.Name(), Text: a.String(), Err: ErrSyntax}
	}
	if !a.IsValid() {
		r.clear(f)
		return nil
	}
	switch f {
	case SrcAddr:
		r.srcAddr = a
	case DstAddr:
		r.dstAddr = a
	case PktSrcAddr:
		r.pktSrc = a
	case PktDstAddr:
		r.pktDst = a
	}
	r.has.add(f)
	return nil
}

// SetTime sets start or end to t, truncated to Unix seconds. Times before
// 1970 are ErrRange.
func (r *Record) SetTime(f Field, t time.Time) error {
	s := t.Unix()
	if s < 0 {
		return &ParseError{Name: f.Name(), Text: t.String(), Err: ErrRange}
	}
	return r.SetUint(f, uint64(s))
}

// AppendText appends r as a line in format f, without a line terminator:
// the values separated by single spaces, "-" for absent fields.
func (r *Record) AppendText(dst []byte, f Format) []byte {
	for i, fld := range f.fields[:f.n] {
		if i > 0 {
			dst = append(dst, ' ')
		}
		if !r.has.has(fld) {
			dst = append(dst, '-')
			continue
		}
		switch fld {
		case Version:
			dst = strconv.AppendUint(dst, uint64(r.version), 10)
		case SrcAddr:
			dst = r.srcAddr.AppendTo(dst)
		case DstAddr:
			dst = r.dstAddr.AppendTo(dst)
		case SrcPort:
			dst = strconv.AppendUint(dst, uint64(r.srcPort), 10)
		case DstPort:
			dst = strconv.AppendUint(dst, uint64(r.dstPort), 10)
		case Protocol:
			dst = strconv.AppendUint(dst, uint64(r.protocol), 10)
		case Packets:
			dst = strconv.AppendUint(dst, r.packets, 10)
		case Bytes:
			dst = strconv.AppendUint(dst, r.bytes, 10)
		case Start:
			dst = strconv.AppendInt(dst, r.start, 10)
		case End:
			dst = strconv.AppendInt(dst, r.end, 10)
		case Action:
			dst = append(dst, r.action.String()...)
		case LogStatus:
			dst = append(dst, r.status.String()...)
		case TCPFlags:
			dst = strconv.AppendUint(dst, uint64(r.tcpFlags), 10)
		case Type:
			dst = append(dst, r.typ.String()...)
		case PktSrcAddr:
			dst = r.pktSrc.AppendTo(dst)
		case PktDstAddr:
			dst = r.pktDst.AppendTo(dst)
		case FlowDirection:
			dst = append(dst, r.dir.String()...)
		case TrafficPath:
			dst = strconv.AppendUint(dst, uint64(r.path), 10)
		case EncryptionStatus:
			dst = strconv.AppendUint(dst, uint64(r.enc), 10)
		case PacketsLostNoRoute, PacketsLostBlackhole, PacketsLostMTUExceeded, PacketsLostTTLExpired:
			dst = strconv.AppendUint(dst, r.lost[fld-PacketsLostNoRoute], 10)
		default:
			dst = append(dst, r.str[strSlot[fld]]...)
		}
	}
	return dst
}

// Text returns r as a line in format f, without a line terminator.
func (r *Record) Text(f Format) string { return string(r.AppendText(nil, f)) }
