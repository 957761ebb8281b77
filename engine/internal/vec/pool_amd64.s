//go:build !noasm && !gccgo && !safe

#include "textflag.h"

// The 2×2 max pool and unpool on 16 outputs at a time (AVX-512F), with
// the bits and indices of the AVX2 passes (MP8, MU8 in vec_amd64.s). A
// row's last partial group reads and writes only its own values, with K
// masks: K6 its t = ow mod 16 outputs, K4 and K5 the first and second 16
// of its 2t inputs of a row. Every row of a call has the same ow, so the
// masks are set once (poolMasks).

// evens16 is 0, 2, …, 30: the even elements of a pair of vectors for
// VPERMT2PS, and each output's first input column within a group.
DATA evens16<>+0(SB)/4, $0
DATA evens16<>+4(SB)/4, $2
DATA evens16<>+8(SB)/4, $4
DATA evens16<>+12(SB)/4, $6
DATA evens16<>+16(SB)/4, $8
DATA evens16<>+20(SB)/4, $10
DATA evens16<>+24(SB)/4, $12
DATA evens16<>+28(SB)/4, $14
DATA evens16<>+32(SB)/4, $16
DATA evens16<>+36(SB)/4, $18
DATA evens16<>+40(SB)/4, $20
DATA evens16<>+44(SB)/4, $22
DATA evens16<>+48(SB)/4, $24
DATA evens16<>+52(SB)/4, $26
DATA evens16<>+56(SB)/4, $28
DATA evens16<>+60(SB)/4, $30
GLOBL evens16<>(SB), RODATA|NOPTR, $64

// interleave16 is 0, 16, 1, 17, …, 15, 31: for VPERMT2PS, the elements
// of two vectors alternately (the first 8 of each for the low half of the
// result, with 8 added to each index for the high half).
DATA interleave16<>+0(SB)/4, $0
DATA interleave16<>+4(SB)/4, $16
DATA interleave16<>+8(SB)/4, $1
DATA interleave16<>+12(SB)/4, $17
DATA interleave16<>+16(SB)/4, $2
DATA interleave16<>+20(SB)/4, $18
DATA interleave16<>+24(SB)/4, $3
DATA interleave16<>+28(SB)/4, $19
DATA interleave16<>+32(SB)/4, $4
DATA interleave16<>+36(SB)/4, $20
DATA interleave16<>+40(SB)/4, $5
DATA interleave16<>+44(SB)/4, $21
DATA interleave16<>+48(SB)/4, $6
DATA interleave16<>+52(SB)/4, $22
DATA interleave16<>+56(SB)/4, $7
DATA interleave16<>+60(SB)/4, $23
GLOBL interleave16<>(SB), RODATA|NOPTR, $64

// MASKS loads the tail masks that the Go side packed into AX: K6 from
// bits 0–15, K4 from 16–31, K5 from 32–47.
#define MASKS \
	KMOVW AX, K6; \
	SHRQ $16, AX; \
	KMOVW AX, K4; \
	SHRQ $16, AX; \
	KMOVW AX, K5

// NEXTPAIR moves on to the next row pair (R8, the index R10 of its column
// 0) and output row (R11, R12), and loops to row while R13 counts rows.
#define NEXTPAIR(row) \
	LEAQ (R8)(R9*2), R8; \
	MOVQ R9, AX; \
	SHRQ $1, AX; \
	ADDL AX, R10; \
	LEAQ (R11)(DX*4), R11; \
	LEAQ (R12)(DX*4), R12; \
	DECQ R13; \
	JNZ row

// MP16 computes the 16 outputs at column CX from the inputs Z0, Z1 (row 0,
// 32 values from column 2·CX) and Z2, Z3 (row 1): the larger of each
// row's even and odd value (the odd only if strictly larger), then of the
// two rows' (row 1's only if strictly larger), into Z4, and its index
// into Z11. Z31 holds evens16, Z29 w and Z28 1 in every lane; R10 is the
// index of row 0's column 0.
#define MP16 \
	VMOVAPS Z0, Z4; \
	VPERMT2PS Z1, Z31, Z4; \
	VPERMT2PS Z1, Z30, Z0; \
	VMOVAPS Z2, Z6; \
	VPERMT2PS Z3, Z31, Z6; \
	VPERMT2PS Z3, Z30, Z2; \
	VCMPPS $1, Z0, Z4, K1; \
	VBLENDMPS Z0, Z4, K1, Z4; \
	VCMPPS $1, Z2, Z6, K2; \
	VBLENDMPS Z2, Z6, K2, Z6; \
	LEAQ (CX)(CX*1), BX; \
	ADDL R10, BX; \
	VPBROADCASTD BX, Z10; \
	VPADDD Z31, Z10, Z10; \
	VMOVDQA32 Z10, Z11; \
	VPADDD Z28, Z10, K1, Z11; \
	VPADDD Z29, Z10, Z12; \
	VMOVDQA32 Z12, Z13; \
	VPADDD Z28, Z12, K2, Z13; \
	VCMPPS $1, Z6, Z4, K3; \
	VBLENDMPS Z6, Z4, K3, Z4; \
	VPBLENDMD Z13, Z11, K3, Z11

// func maxPool2AVX512(x *float32, w, oh int, y *float32, arg *int32, base int32, masks uint64)
// Registers: R8 row 0 of the pair, R9 w·4 (row 1 = R8+R9), R10 top (base +
// 2·oy·w), R11 y row, R12 arg row, R13 rows left, DX ow, R14 full groups
// a row, SI groups left, CX ox, AX/BX scratch; Z30 the odd indices.
TEXT ·maxPool2AVX512(SB), NOSPLIT, $0-56
	MOVQ x+0(FP), R8
	MOVQ w+8(FP), R9
	MOVQ oh+16(FP), R13
	MOVQ y+24(FP), R11
	MOVQ arg+32(FP), R12
	MOVL base+40(FP), R10
	MOVQ R9, DX
	SHRQ $1, DX
	VPBROADCASTD R9, Z29
	MOVL $1, AX
	VPBROADCASTD AX, Z28
	VMOVDQU32 evens16<>(SB), Z31
	VPADDD Z28, Z31, Z30
	SHLQ $2, R9
	MOVQ masks+48(FP), AX
	MASKS
	MOVQ DX, R14
	SHRQ $4, R14
mpzrow:
	XORQ CX, CX
	MOVQ R14, SI
	TESTQ SI, SI
	JZ mpztail
mpzfull:
	LEAQ (R8)(CX*8), AX
	VMOVUPS (AX), Z0
	VMOVUPS 64(AX), Z1
	VMOVUPS (AX)(R9*1), Z2
	VMOVUPS 64(AX)(R9*1), Z3
	MP16
	PREFETCHT0 512(R11)(CX*4)
	PREFETCHT0 512(R12)(CX*4)
	VMOVUPS Z4, (R11)(CX*4)
	VMOVDQU32 Z11, (R12)(CX*4)
	ADDQ $16, CX
	DECQ SI
	JNZ mpzfull
mpztail:
	KORTESTW K6, K6
	JZ mpznext
	LEAQ (R8)(CX*8), AX
	VMOVUPS.Z (AX), K4, Z0
	VMOVUPS.Z 64(AX), K5, Z1
	VMOVUPS.Z (AX)(R9*1), K4, Z2
	VMOVUPS.Z 64(AX)(R9*1), K5, Z3
	MP16
	PREFETCHT0 512(R11)(CX*4)
	PREFETCHT0 512(R12)(CX*4)
	VMOVUPS Z4, K6, (R11)(CX*4)
	VMOVDQU32 Z11, K6, (R12)(CX*4)
mpznext:
	NEXTPAIR(mpzrow)
	VZEROUPPER
	RET

// MU16 spreads the 16 gradients Z1 (already + 0) to their windows' winners
// at column CX, as named by their indices Z0: each window's four values,
// zero but the winner's, are put in column order by interleaving the even
// and odd columns, Z6 and Z2 for row 0, Z7 and Z4 for row 1. Z31 holds
// evens16, Z26 0, Z28 1, Z29 w and Z27 w+1 in every lane, Z25 interleave16
// and Z24 interleave16 + 8; R10 is the index of row 0's column 0.
#define MU16 \
	LEAQ (CX)(CX*1), BX; \
	ADDL R10, BX; \
	VPBROADCASTD BX, Z10; \
	VPADDD Z31, Z10, Z10; \
	VPSUBD Z10, Z0, Z0; \
	VPCMPEQD Z26, Z0, K1; \
	VPCMPEQD Z28, Z0, K2; \
	VPCMPEQD Z29, Z0, K3; \
	VPCMPEQD Z27, Z0, K7; \
	VMOVAPS.Z Z1, K1, Z2; \
	VMOVAPS.Z Z1, K2, Z3; \
	VMOVAPS.Z Z1, K3, Z4; \
	VMOVAPS.Z Z1, K7, Z5; \
	VMOVAPS Z2, Z6; \
	VPERMT2PS Z3, Z25, Z6; \
	VPERMT2PS Z3, Z24, Z2; \
	VMOVAPS Z4, Z7; \
	VPERMT2PS Z5, Z25, Z7; \
	VPERMT2PS Z5, Z24, Z4; \
	LEAQ (R8)(CX*8), AX

// func maxUnpool2AVX512(dy *float32, arg *int32, base int32, w, oh int, dx *float32, masks uint64)
// Registers as maxPool2AVX512's, with R8 the dx rows and R11 the dy row.
TEXT ·maxUnpool2AVX512(SB), NOSPLIT, $0-56
	MOVQ dy+0(FP), R11
	MOVQ arg+8(FP), R12
	MOVL base+16(FP), R10
	MOVQ w+24(FP), R9
	MOVQ oh+32(FP), R13
	MOVQ dx+40(FP), R8
	MOVQ R9, DX
	SHRQ $1, DX
	VPBROADCASTD R9, Z29
	MOVL $1, AX
	VPBROADCASTD AX, Z28
	VPADDD Z28, Z29, Z27
	VPXORD Z26, Z26, Z26
	VMOVDQU32 evens16<>(SB), Z31
	VMOVDQU32 interleave16<>(SB), Z25
	MOVL $8, AX
	VPBROADCASTD AX, Z24
	VPADDD Z25, Z24, Z24
	SHLQ $2, R9
	MOVQ masks+48(FP), AX
	MASKS
	MOVQ DX, R14
	SHRQ $4, R14
muzrow:
	XORQ CX, CX
	MOVQ R14, SI
	TESTQ SI, SI
	JZ muztail
muzfull:
	VMOVDQU32 (R12)(CX*4), Z0
	VMOVUPS (R11)(CX*4), Z1
	VADDPS Z26, Z1, Z1
	MU16
	VMOVUPS Z6, (AX)
	VMOVUPS Z2, 64(AX)
	VMOVUPS Z7, (AX)(R9*1)
	VMOVUPS Z4, 64(AX)(R9*1)
	ADDQ $16, CX
	DECQ SI
	JNZ muzfull
muztail:
	KORTESTW K6, K6
	JZ muznext
	VMOVDQU32.Z (R12)(CX*4), K6, Z0
	VMOVUPS.Z (R11)(CX*4), K6, Z1
	VADDPS Z26, Z1, Z1
	MU16
	VMOVUPS Z6, K4, (AX)
	VMOVUPS Z2, K5, 64(AX)
	VMOVUPS Z7, K4, (AX)(R9*1)
	VMOVUPS Z4, K5, 64(AX)(R9*1)
muznext:
	NEXTPAIR(muzrow)
	VZEROUPPER
	RET
