//go:build amd64 && !purego

#include "textflag.h"
#include "go_asm.h"

// func parseDefaultAMD64(line string, r *Record) (acctEnd, ifaceEnd, srcEnd, dstEnd int, src, dst, absent uint64, ok bool)
//
// The default-format parser of parse_default.go for the shapes nearly
// every line has: a one-digit version, two strings, two addresses, 1 to 7
// digit ports, protocol, packets and bytes, 9 to 15 digit times, ACCEPT or
// REJECT, and OK, NODATA or SKIPDATA, separated by single spaces; any of
// the numbers, the action and the log-status may be "-". It parses IPv4
// addresses itself and leaves any other address value ("-", IPv6, an
// error) to Go as a token. It reports false for anything else (runs of
// spaces, errors, longer numbers), and the caller takes the Go path, which
// handles every line. Every load is within line: each is preceded by a
// check against its length.
//
// It sets r's numeric fields (at their offsets from go_asm.h), zero for a
// "-", and returns the ends of the two strings and the two addresses (each
// value starts after the previous one's end, the first at 2), each address
// as a big-endian IPv4 number or 1<<32 for a token, and the mask of the
// fields that were "-"; parseDefault sets the rest. It may have set some
// of r's fields when it fails.
//
// TZCNT is used for bit scans: it is REP BSF, which CPUs without BMI1 run
// as BSF, with the same result for the nonzero operands it gets here; on
// CPUs with BMI1 BSF is slower (here, Zen 3: about 1.6x per scan in a
// throughput loop, measured with bits.TrailingZeros64 at GOAMD64 v1 and v3).
//
// Registers: SI line, R8 len(line), DI r, R9 the offset being parsed.
// Only AX, BX, CX, DX, SI, DI, R8 to R13, X0 to X2, X6 and X7 are used.

// STRING stores the end of the string at R9 to OFF(FP) and moves R9 past
// the space after it. A string is a non-empty run of bytes above 0x20 (a
// byte >= 0x80 is part of it) that a space ends; a control character
// fails. Each step looks at 8 bytes: the lowest byte flagged by
// (x - 0x21..) &^ x & 0x80.. is exactly the first byte <= 0x20.
#define STRING(OFF, LOOP, FOUND) \
	MOVQ R9, R10; \
LOOP: LEAQ 8(R9), AX; \
	CMPQ AX, R8; \
	JGT  fail; \
	MOVQ (SI)(R9*1), AX; \
	MOVQ $0x2121212121212121, BX; \
	MOVQ AX, CX; \
	SUBQ BX, CX; \
	NOTQ AX; \
	ANDQ AX, CX; \
	MOVQ $0x8080808080808080, BX; \
	ANDQ BX, CX; \
	JNZ  FOUND; \
	ADDQ $8, R9; \
	JMP  LOOP; \
FOUND: TZCNTQ CX, CX; \
	SHRQ $3, CX; \
	ADDQ CX, R9; \
	CMPQ R9, R10; \
	JEQ  fail; \
	CMPB (SI)(R9*1), $0x20; \
	JNE  fail; \
	MOVQ R9, OFF(FP); \
	INCQ R9

// OCTET shifts R9 left 8 and adds the octet of length R11 that ends before
// the separator at E: the byte before E, plus 10 and 100 times the two
// before that as the length has them (weights from octetTable, so that
// bytes outside the octet count zero), minus the weighted '0's. The octet
// must lie in [min, 255] for its length: no leading zero, at most 255.
// AX holds octetTable's address. Uses R11, R12, R13.
#define OCTET(E, BAD) \
	MOVBQZX -1(SI)(E*1), R12; \
	SHLQ    $8, R9; \
	LEAQ    (R11)(R11*4), R11; \
	LEAQ    (AX)(R11*8), R11; \
	MOVBQZX -2(SI)(E*1), R13; \
	IMULQ   0(R11), R13; \
	ADDQ    R13, R12; \
	MOVBQZX -3(SI)(E*1), R13; \
	IMULQ   8(R11), R13; \
	ADDQ    R13, R12; \
	SUBQ    16(R11), R12; \
	MOVQ    R12, R13; \
	SUBQ    24(R11), R13; \
	CMPQ    R13, 32(R11); \
	JHI     BAD; \
	ORQ     R12, R9

// LENGTH checks that 1 <= B - A - 1 <= 3 (an octet between separators).
#define LENGTH(A, B, BAD) \
	MOVQ B, R11; \
	SUBQ A, R11; \
	SUBQ $2, R11; \
	CMPQ R11, $2; \
	JHI  BAD

// IPV4 stores the IPv4 address at R9 to OFF(FP) as a big-endian uint32,
// the index of the space after it to ENDOFF(FP), and moves R9 past that
// space. The non-digits among the 16 bytes at R9 are the separators: 4
// octets of 1 to 3 digits, separated by '.', that a space ends. Any other
// value ("-", IPv6, an error) is a token for Go to parse: IPV4 then stores
// 1<<32 to OFF(FP) and the token's end to ENDOFF(FP). The line fails only
// if the token is not a non-empty run of bytes above 0x20 and a space.
// Uses AX, BX, CX, DX, R10 to R13, X0 to X2 and X6.
#define IPV4(OFF, ENDOFF, BAD, LOOP, FOUND, DONE) \
	MOVQ     R9, X6; \
	LEAQ     16(R9), AX; \
	CMPQ     AX, R8; \
	JGT      BAD; \
	MOVOU    (SI)(R9*1), X0; \
	MOVOU    ascii0<>(SB), X1; \
	PSUBB    X1, X0; \
	MOVOU    X0, X1; \
	MOVOU    nine<>(SB), X2; \
	PMINUB   X2, X1; \
	PCMPEQB  X0, X1; \
	PMOVMSKB X1, AX; \
	NOTL     AX; \
	TZCNTL   AX, BX; \
	LEAL     -1(AX), CX; \
	ANDL     CX, AX; \
	TZCNTL   AX, CX; \
	LEAL     -1(AX), DX; \
	ANDL     DX, AX; \
	TZCNTL   AX, DX; \
	LEAL     -1(AX), R10; \
	ANDL     R10, AX; \
	TZCNTL   AX, R10; \
	LEAQ     -1(BX), R11; \
	CMPQ     R11, $2; \
	JHI      BAD; \
	LENGTH(BX, CX, BAD); \
	LENGTH(CX, DX, BAD); \
	LENGTH(DX, R10, BAD); \
	ADDQ     R9, BX; \
	ADDQ     R9, CX; \
	ADDQ     R9, DX; \
	ADDQ     R9, R10; \
	CMPB     (SI)(BX*1), $0x2e; \
	JNE      BAD; \
	CMPB     (SI)(CX*1), $0x2e; \
	JNE      BAD; \
	CMPB     (SI)(DX*1), $0x2e; \
	JNE      BAD; \
	CMPB     (SI)(R10*1), $0x20; \
	JNE      BAD; \
	MOVQ     BX, R11; \
	SUBQ     R9, R11; \
	XORL     R9, R9; \
	LEAQ     octetTable<>(SB), AX; \
	OCTET(BX, BAD); \
	MOVQ     CX, R11; \
	SUBQ     BX, R11; \
	DECQ     R11; \
	OCTET(CX, BAD); \
	MOVQ     DX, R11; \
	SUBQ     CX, R11; \
	DECQ     R11; \
	OCTET(DX, BAD); \
	MOVQ     R10, R11; \
	SUBQ     DX, R11; \
	DECQ     R11; \
	OCTET(R10, BAD); \
	MOVQ     R9, OFF(FP); \
	MOVQ     R10, ENDOFF(FP); \
	LEAQ     1(R10), R9; \
	JMP      DONE; \
BAD: MOVQ    X6, R9; \
	STRING(ENDOFF, LOOP, FOUND); \
	MOVQ     $0x100000000, AX; \
	MOVQ     AX, OFF(FP); \
DONE: NOP

// SWAR8 converts the 8 digit values in AX (the most significant in the
// lowest byte) to their number, in AX. R13 holds 0x000000FF000000FF.
// Uses BX, DX.
#define SWAR8 \
	LEAQ  (AX)(AX*4), DX; \
	ADDQ  DX, DX; \
	SHRQ  $8, AX; \
	ADDQ  DX, AX; \
	MOVQ  AX, DX; \
	ANDQ  R13, DX; \
	SHRQ  $16, AX; \
	ANDQ  R13, AX; \
	MOVQ  $0x000F424000000064, BX; \
	IMULQ BX, DX; \
	MOVQ  $0x0000271000000001, BX; \
	IMULQ BX, AX; \
	ADDQ  DX, AX; \
	SHRQ  $32, AX

// The number macros below expect R10 = 0x3030303030303030 (ASCII '0'),
// R11 = 0x7676767676767676, R12 = 0x8080808080808080 and
// R13 = 0x000000FF000000FF: a byte y of digit values is a digit iff
// ((y + 0x76) | y) & 0x80 is 0.

// DIGITS parses the 1 to 7 digits that a space follows at DISP(SI)(R9)
// into AX, leaving 8 × the count of digits in CX. Uses BX, DX.
#define DIGITS(DISP) \
	MOVQ   DISP(SI)(R9*1), AX; \
	XORQ   R10, AX; \
	LEAQ   (AX)(R11*1), BX; \
	ORQ    AX, BX; \
	ANDQ   R12, BX; \
	JZ     fail; \
	TZCNTQ BX, CX; \
	ANDQ   $0x38, CX; \
	LEAQ   -8(CX), DX; \
	CMPQ   DX, $48; \
	JHI    fail; \
	MOVQ   AX, DX; \
	SHRQ   CX, DX; \
	CMPB   DL, $0x10; \
	JNE    fail; \
	NEGQ   CX; \
	SHLQ   CX, AX; \
	NEGQ   CX; \
	SWAR8

// SHORT stores the 1 to 7 digit number at R9, at most MAX (< 2^31), with
// MOV to OFF(DI). A "-" jumps to ABS, which returns to DONE.
#define SHORT(MOV, OFF, MAX, ABS, DONE) \
	LEAQ 8(R9), AX; \
	CMPQ AX, R8; \
	JGT  fail; \
	CMPW (SI)(R9*1), $0x202D; \
	JEQ  ABS; \
	DIGITS(0); \
	CMPQ AX, $MAX; \
	JHI  fail; \
	MOV  AX, OFF(DI); \
	SHRQ $3, CX; \
	LEAQ 1(R9)(CX*1), R9; \
DONE: NOP

// COUNT stores the 1 to 7 digit number at R9 to OFF(DI), a uint64. A "-"
// jumps to ABS, which returns to DONE.
#define COUNT(OFF, ABS, DONE) \
	LEAQ 8(R9), AX; \
	CMPQ AX, R8; \
	JGT  fail; \
	CMPW (SI)(R9*1), $0x202D; \
	JEQ  ABS; \
	DIGITS(0); \
	MOVQ AX, OFF(DI); \
	SHRQ $3, CX; \
	LEAQ 1(R9)(CX*1), R9; \
DONE: NOP

// LONG stores the 9 to 15 digit number at R9 to OFF(DI): 8 digits, then 1
// to 7 and a space. A "-" jumps to ABS, which returns to DONE. Uses X6, X7.
#define LONG(OFF, ABS, DONE) \
	LEAQ   16(R9), AX; \
	CMPQ   AX, R8; \
	JGT    fail; \
	CMPW   (SI)(R9*1), $0x202D; \
	JEQ    ABS; \
	DIGITS(8); \
	MOVQ   AX, X6; \
	MOVQ   CX, X7; \
	MOVQ   (SI)(R9*1), AX; \
	XORQ   R10, AX; \
	LEAQ   (AX)(R11*1), BX; \
	ORQ    AX, BX; \
	TESTQ  R12, BX; \
	JNZ    fail; \
	SWAR8; \
	MOVQ   X7, CX; \
	SHRQ   $3, CX; \
	LEAQ   pow10tab<>(SB), BX; \
	IMULQ  (BX)(CX*8), AX; \
	MOVQ   X6, BX; \
	ADDQ   BX, AX; \
	MOVQ   AX, OFF(DI); \
	LEAQ   9(R9)(CX*1), R9; \
DONE: NOP

TEXT ·parseDefaultAMD64(SB), NOSPLIT, $0-81
	MOVQ line_base+0(FP), SI
	MOVQ line_len+8(FP), R8
	MOVQ r+16(FP), DI
	MOVQ $0, absent+72(FP)
	CMPQ R8, $27
	JLT  fail

	// version: one digit and a space.
	MOVBQZX (SI), AX
	SUBQ    $0x30, AX
	CMPQ    AX, $9
	JHI     fail
	CMPB    1(SI), $0x20
	JNE     fail
	MOVB    AX, Record_version(DI)
	MOVQ    $2, R9

	STRING(acctEnd+24, acctLoop, acctFound)
	STRING(ifaceEnd+32, ifaceLoop, ifaceFound)
	IPV4(src+56, srcEnd+40, srcToken, srcLoop, srcFound, srcDone)
	IPV4(dst+64, dstEnd+48, dstToken, dstLoop, dstFound, dstDone)

	MOVQ $0x3030303030303030, R10
	MOVQ $0x7676767676767676, R11
	MOVQ $0x8080808080808080, R12
	MOVQ $0x000000FF000000FF, R13
	SHORT(MOVW, Record_srcPort, 0xFFFF, srcPortAbsent, srcPortDone)
	SHORT(MOVW, Record_dstPort, 0xFFFF, dstPortAbsent, dstPortDone)
	SHORT(MOVB, Record_protocol, 0xFF, protocolAbsent, protocolDone)
	COUNT(Record_packets, packetsAbsent, packetsDone)
	COUNT(Record_bytes, bytesAbsent, bytesDone)
	LONG(Record_start, startAbsent, startDone)
	LONG(Record_end, endAbsent, endDone)

	// action: "ACCEPT ", "REJECT " or "- ".
	LEAQ 8(R9), AX
	CMPQ AX, R8
	JGT  fail
	CMPW (SI)(R9*1), $0x202D
	JEQ  actionAbsent
	MOVQ (SI)(R9*1), AX
	MOVQ $0x00FFFFFFFFFFFFFF, BX
	ANDQ BX, AX
	MOVQ $0x0020545045434341, BX
	CMPQ AX, BX
	JNE  notAccept
	MOVB $const_Accept, Record_action(DI)
	ADDQ $7, R9
	JMP  status
notAccept:
	MOVQ $0x00205443454A4552, BX
	CMPQ AX, BX
	JNE  fail
	MOVB $const_Reject, Record_action(DI)
	ADDQ $7, R9

status:
	// log-status, which ends the line at R8 and starts at R9.
	MOVQ R8, CX
	SUBQ R9, CX
	MOVQ -8(SI)(R8*1), AX
	CMPQ CX, $2
	JNE  notOK
	SHRQ $48, AX
	CMPQ AX, $0x0000000000004B4F
	JNE  fail
	MOVB $const_StatusOK, Record_status(DI)
	JMP  done
notOK:
	CMPQ CX, $6
	JNE  notNoData
	SHRQ $16, AX
	MOVQ $0x0000415441444F4E, BX
	CMPQ AX, BX
	JNE  fail
	MOVB $const_StatusNoData, Record_status(DI)
	JMP  done
notNoData:
	CMPQ CX, $1
	JNE  notDash
	CMPB (SI)(R9*1), $0x2D
	JNE  fail
	MOVB $0, Record_status(DI)
	ORQ  $(1<<const_LogStatus), absent+72(FP)
	JMP  done
notDash:
	CMPQ CX, $8
	JNE  fail
	MOVQ $0x4154414450494B53, BX
	CMPQ AX, BX
	JNE  fail
	MOVB $const_StatusSkipData, Record_status(DI)

done:
	MOVB $1, ok+80(FP)
	RET

fail:
	MOVB $0, ok+80(FP)
	RET

// "-": the field is absent and zero.
#define ABSENT(MOV, OFF, FIELD, DONE) \
	MOV  $0, OFF(DI); \
	ORQ  $(1<<FIELD), absent+72(FP); \
	ADDQ $2, R9; \
	JMP  DONE

srcPortAbsent:
	ABSENT(MOVW, Record_srcPort, const_SrcPort, srcPortDone)
dstPortAbsent:
	ABSENT(MOVW, Record_dstPort, const_DstPort, dstPortDone)
protocolAbsent:
	ABSENT(MOVB, Record_protocol, const_Protocol, protocolDone)
packetsAbsent:
	ABSENT(MOVQ, Record_packets, const_Packets, packetsDone)
bytesAbsent:
	ABSENT(MOVQ, Record_bytes, const_Bytes, bytesDone)
startAbsent:
	ABSENT(MOVQ, Record_start, const_Start, startDone)
endAbsent:
	ABSENT(MOVQ, Record_end, const_End, endDone)
actionAbsent:
	ABSENT(MOVB, Record_action, const_Action, status)

DATA ascii0<>+0(SB)/8, $0x3030303030303030
DATA ascii0<>+8(SB)/8, $0x3030303030303030
GLOBL ascii0<>(SB), RODATA|NOPTR, $16

DATA nine<>+0(SB)/8, $0x0909090909090909
DATA nine<>+8(SB)/8, $0x0909090909090909
GLOBL nine<>(SB), RODATA|NOPTR, $16

// octetTable holds, by octet length 1 to 3, the weights of the second and
// third byte before the separator, the weighted '0's to subtract, the
// least value without a leading zero, and 255 minus that value.
DATA octetTable<>+40(SB)/8, $0
DATA octetTable<>+48(SB)/8, $0
DATA octetTable<>+56(SB)/8, $48
DATA octetTable<>+64(SB)/8, $0
DATA octetTable<>+72(SB)/8, $255
DATA octetTable<>+80(SB)/8, $10
DATA octetTable<>+88(SB)/8, $0
DATA octetTable<>+96(SB)/8, $528
DATA octetTable<>+104(SB)/8, $10
DATA octetTable<>+112(SB)/8, $245
DATA octetTable<>+120(SB)/8, $10
DATA octetTable<>+128(SB)/8, $100
DATA octetTable<>+136(SB)/8, $5328
DATA octetTable<>+144(SB)/8, $100
DATA octetTable<>+152(SB)/8, $155
GLOBL octetTable<>(SB), RODATA|NOPTR, $160

DATA pow10tab<>+0(SB)/8, $1
DATA pow10tab<>+8(SB)/8, $10
DATA pow10tab<>+16(SB)/8, $100
DATA pow10tab<>+24(SB)/8, $1000
DATA pow10tab<>+32(SB)/8, $10000
DATA pow10tab<>+40(SB)/8, $100000
DATA pow10tab<>+48(SB)/8, $1000000
DATA pow10tab<>+56(SB)/8, $10000000
GLOBL pow10tab<>(SB), RODATA|NOPTR, $64
