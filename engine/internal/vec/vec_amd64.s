//go:build !noasm && !gccgo && !safe

#include "textflag.h"

// func biasReLUAVX2(y []float32, b float32)
// y = max(0, y+b) + 0: VMAXPS with 0 as the first operand returns the
// second for NaN, and the +0 turns a −0 into +0, as Go's max does.
TEXT ·biasReLUAVX2(SB), NOSPLIT, $0-28
	MOVQ y_base+0(FP), DI
	MOVQ y_len+8(FP), CX
	VBROADCASTSS b+24(FP), Y1
	VXORPS Y0, Y0, Y0
brl16:
	CMPQ CX, $16
	JL brl8
	VADDPS (DI), Y1, Y2
	VADDPS 32(DI), Y1, Y3
	VMAXPS Y2, Y0, Y2
	VMAXPS Y3, Y0, Y3
	VADDPS Y0, Y2, Y2
	VADDPS Y0, Y3, Y3
	VMOVUPS Y2, (DI)
	VMOVUPS Y3, 32(DI)
	ADDQ $64, DI
	SUBQ $16, CX
	JMP brl16
brl8:
	CMPQ CX, $8
	JL brl1
	VADDPS (DI), Y1, Y2
	VMAXPS Y2, Y0, Y2
	VADDPS Y0, Y2, Y2
	VMOVUPS Y2, (DI)
	ADDQ $32, DI
	SUBQ $8, CX
brl1:
	TESTQ CX, CX
	JZ brldone
	VMOVSS (DI), X2
	VADDSS X1, X2, X2
	VMAXSS X2, X0, X2
	VADDSS X0, X2, X2
	VMOVSS X2, (DI)
	ADDQ $4, DI
	DECQ CX
	JMP brl1
brldone:
	VZEROUPPER
	RET

// func biasAddAVX2(y []float32, b float32)
TEXT ·biasAddAVX2(SB), NOSPLIT, $0-28
	MOVQ y_base+0(FP), DI
	MOVQ y_len+8(FP), CX
	VBROADCASTSS b+24(FP), Y1
ba8:
	CMPQ CX, $8
	JL ba1
	VADDPS (DI), Y1, Y2
	VMOVUPS Y2, (DI)
	ADDQ $32, DI
	SUBQ $8, CX
	JMP ba8
ba1:
	TESTQ CX, CX
	JZ badone
	VMOVSS (DI), X2
	VADDSS X1, X2, X2
	VMOVSS X2, (DI)
	ADDQ $4, DI
	DECQ CX
	JMP ba1
badone:
	VZEROUPPER
	RET

// func reluGradSumAVX2(dx, dy, y []float32) float32
// dx = dy AND NOT (y == +0 bitwise); sums in Y4/Y5 (vectors), X6 (tail).
TEXT ·reluGradSumAVX2(SB), NOSPLIT, $0-76
	MOVQ dx_base+0(FP), DI
	MOVQ dx_len+8(FP), CX
	MOVQ dy_base+24(FP), SI
	MOVQ y_base+48(FP), DX
	VPXOR Y0, Y0, Y0
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS X6, X6, X6
rg16:
	CMPQ CX, $16
	JL rg8
	VPCMPEQD (DX), Y0, Y1
	VPCMPEQD 32(DX), Y0, Y3
	VANDNPS (SI), Y1, Y2
	VANDNPS 32(SI), Y3, Y3
	VMOVUPS Y2, (DI)
	VMOVUPS Y3, 32(DI)
	VADDPS Y2, Y4, Y4
	VADDPS Y3, Y5, Y5
	ADDQ $64, DI
	ADDQ $64, SI
	ADDQ $64, DX
	SUBQ $16, CX
	JMP rg16
rg8:
	CMPQ CX, $8
	JL rg1
	VPCMPEQD (DX), Y0, Y1
	VANDNPS (SI), Y1, Y2
	VMOVUPS Y2, (DI)
	VADDPS Y2, Y4, Y4
	ADDQ $32, DI
	ADDQ $32, SI
	ADDQ $32, DX
	SUBQ $8, CX
rg1:
	TESTQ CX, CX
	JZ rgdone
	VMOVSS (DX), X1
	VPCMPEQD X0, X1, X1
	VMOVSS (SI), X2
	VANDNPS X2, X1, X2
	VMOVSS X2, (DI)
	VADDSS X2, X6, X6
	ADDQ $4, DI
	ADDQ $4, SI
	ADDQ $4, DX
	DECQ CX
	JMP rg1
rgdone:
	VADDPS Y5, Y4, Y4
	VEXTRACTF128 $1, Y4, X1
	VADDPS X1, X4, X4
	VHADDPS X4, X4, X4
	VHADDPS X4, X4, X4
	VADDSS X6, X4, X4
	VMOVSS X4, ret+72(FP)
	VZEROUPPER
	RET

// func sumAVX2(x []float32) float32
TEXT ·sumAVX2(SB), NOSPLIT, $0-28
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS X6, X6, X6
s16:
	CMPQ CX, $16
	JL s8
	VADDPS (SI), Y4, Y4
	VADDPS 32(SI), Y5, Y5
	ADDQ $64, SI
	SUBQ $16, CX
	JMP s16
s8:
	CMPQ CX, $8
	JL s1
	VADDPS (SI), Y4, Y4
	ADDQ $32, SI
	SUBQ $8, CX
s1:
	TESTQ CX, CX
	JZ sdone
	VADDSS (SI), X6, X6
	ADDQ $4, SI
	DECQ CX
	JMP s1
sdone:
	VADDPS Y5, Y4, Y4
	VEXTRACTF128 $1, Y4, X1
	VADDPS X1, X4, X4
	VHADDPS X4, X4, X4
	VHADDPS X4, X4, X4
	VADDSS X6, X4, X4
	VMOVSS X4, ret+24(FP)
	VZEROUPPER
	RET

// Even offsets 0, 2, …, 14: the index of each output's window in its row pair.
DATA evens<>+0(SB)/4, $0
DATA evens<>+4(SB)/4, $2
DATA evens<>+8(SB)/4, $4
DATA evens<>+12(SB)/4, $6
DATA evens<>+16(SB)/4, $8
DATA evens<>+20(SB)/4, $10
DATA evens<>+24(SB)/4, $12
DATA evens<>+28(SB)/4, $14
GLOBL evens<>(SB), RODATA|NOPTR, $32

// MP8 computes 8 outputs at column OX (register): inputs from R8 (row 0) and
// R8+R9 (row 1) at 2·OX, outputs to y, arg at OX. Y15 holds w in every
// lane, Y14 the evens, Y13 top in every lane.
// Even/odd values are separated with VSHUFPS (within 128-bit halves) and
// put back in column order with VPERMPD 0xD8.
#define MP8(OX) \
	LEAQ (R8)(OX*8), AX; \
	VMOVUPS (AX), Y0; \
	VMOVUPS 32(AX), Y1; \
	VMOVUPS (AX)(R9*1), Y2; \
	VMOVUPS 32(AX)(R9*1), Y3; \
	VSHUFPS $0x88, Y1, Y0, Y4; \
	VSHUFPS $0xDD, Y1, Y0, Y5; \
	VSHUFPS $0x88, Y3, Y2, Y6; \
	VSHUFPS $0xDD, Y3, Y2, Y7; \
	VPERMPD $0xD8, Y4, Y4; \
	VPERMPD $0xD8, Y5, Y5; \
	VPERMPD $0xD8, Y6, Y6; \
	VPERMPD $0xD8, Y7, Y7; \
	VCMPPS $1, Y5, Y4, Y8; \
	VBLENDVPS Y8, Y5, Y4, Y4; \
	VCMPPS $1, Y7, Y6, Y9; \
	VBLENDVPS Y9, Y7, Y6, Y6; \
	LEAQ (OX)(OX*1), BX; \
	ADDL R10, BX; \
	VMOVD BX, X10; \
	VPBROADCASTD X10, Y10; \
	VPADDD Y14, Y10, Y10; \
	VPSUBD Y8, Y10, Y11; \
	VPADDD Y15, Y10, Y10; \
	VPSUBD Y9, Y10, Y10; \
	VCMPPS $1, Y6, Y4, Y8; \
	VBLENDVPS Y8, Y6, Y4, Y4; \
	VBLENDVPS Y8, Y10, Y11, Y11; \
	VMOVUPS Y4, (R11)(OX*4); \
	VMOVDQU Y11, (R12)(OX*4)

// MP4 is MP8 for 4 outputs, with 128-bit vectors (no reordering needed).
#define MP4(OX) \
	LEAQ (R8)(OX*8), AX; \
	VMOVUPS (AX), X0; \
	VMOVUPS 16(AX), X1; \
	VMOVUPS (AX)(R9*1), X2; \
	VMOVUPS 16(AX)(R9*1), X3; \
	VSHUFPS $0x88, X1, X0, X4; \
	VSHUFPS $0xDD, X1, X0, X5; \
	VSHUFPS $0x88, X3, X2, X6; \
	VSHUFPS $0xDD, X3, X2, X7; \
	VCMPPS $1, X5, X4, X8; \
	VBLENDVPS X8, X5, X4, X4; \
	VCMPPS $1, X7, X6, X9; \
	VBLENDVPS X9, X7, X6, X6; \
	LEAQ (OX)(OX*1), BX; \
	ADDL R10, BX; \
	VMOVD BX, X10; \
	VPBROADCASTD X10, X10; \
	VPADDD X14, X10, X10; \
	VPSUBD X8, X10, X11; \
	VPADDD X15, X10, X10; \
	VPSUBD X9, X10, X10; \
	VCMPPS $1, X6, X4, X8; \
	VBLENDVPS X8, X6, X4, X4; \
	VBLENDVPS X8, X10, X11, X11; \
	VMOVUPS X4, (R11)(OX*4); \
	VMOVDQU X11, (R12)(OX*4)

// func maxPool2AVX2(x *float32, w, oh int, y *float32, arg *int32, base int32)
// Registers: R8 row 0 of the pair, R9 w·4 (row 1 = R8+R9), R10 top (base +
// 2·oy·w), R11 y row, R12 arg row, R13 rows left, DX w/2, CX ox, AX/BX scratch.
// A last block that would pass the row end is moved back to end at it and
// recomputes a few outputs with the same values.
TEXT ·maxPool2AVX2(SB), NOSPLIT, $0-44
	MOVQ x+0(FP), R8
	MOVQ w+8(FP), R9
	MOVQ oh+16(FP), R13
	MOVQ y+24(FP), R11
	MOVQ arg+32(FP), R12
	MOVL base+40(FP), R10
	MOVQ R9, DX
	SHRQ $1, DX
	VMOVD R9, X15
	VPBROADCASTD X15, Y15
	VMOVDQU evens<>(SB), Y14
	SHLQ $2, R9
mprow:
	CMPQ DX, $8
	JL mp4
	XORQ CX, CX
mp8loop:
	LEAQ 8(CX), AX
	CMPQ AX, DX
	JG mp8last
	MP8(CX)
	ADDQ $8, CX
	JMP mp8loop
mp8last:
	CMPQ CX, DX
	JE mpnext
	MOVQ DX, CX
	SUBQ $8, CX
	MP8(CX)
	JMP mpnext
mp4:
	XORQ CX, CX
	MP4(CX)
	CMPQ DX, $4
	JE mpnext
	MOVQ DX, CX
	SUBQ $4, CX
	MP4(CX)
mpnext:
	LEAQ (R8)(R9*2), R8
	MOVQ R9, AX
	SHRQ $1, AX
	ADDL AX, R10
	LEAQ (R11)(DX*4), R11
	LEAQ (R12)(DX*4), R12
	DECQ R13
	JNZ mprow
	VZEROUPPER
	RET



// func adamAVX2(w, g, m, v []float32, b1, c1, b2, c2, step, eps float32)
// Registers: DI w, SI g, DX m, R8 v, CX count; Y10 b1, Y11 c1, Y12 b2,
// Y13 c2, Y14 step, Y15 eps.
// The loop runs with MXCSR's flush-to-zero (bit 15) and
// denormals-are-zero (bit 6) set; the caller's MXCSR, kept at 4(SP), is
// put back before returning. (Go does not preempt assembly
// asynchronously, so no other goroutine runs under these modes.)
TEXT ·adamAVX2(SB), NOSPLIT, $8-120
	STMXCSR 0(SP)
	MOVL 0(SP), AX
	MOVL AX, 4(SP)
	ORL $0x8040, AX
	MOVL AX, 0(SP)
	LDMXCSR 0(SP)
	MOVQ w_base+0(FP), DI
	MOVQ w_len+8(FP), CX
	MOVQ g_base+24(FP), SI
	MOVQ m_base+48(FP), DX
	MOVQ v_base+72(FP), R8
	VBROADCASTSS b1+96(FP), Y10
	VBROADCASTSS c1+100(FP), Y11
	VBROADCASTSS b2+104(FP), Y12
	VBROADCASTSS c2+108(FP), Y13
	VBROADCASTSS step+112(FP), Y14
	VBROADCASTSS eps+116(FP), Y15
ad8:
	CMPQ CX, $8
	JL ad1
	VMOVUPS (SI), Y0
	VMULPS (DX), Y10, Y1
	VMULPS Y0, Y11, Y2
	VADDPS Y2, Y1, Y1
	VMOVUPS Y1, (DX)
	VMULPS (R8), Y12, Y3
	VMULPS Y0, Y13, Y4
	VMULPS Y0, Y4, Y4
	VADDPS Y4, Y3, Y3
	VMOVUPS Y3, (R8)
	VMULPS Y1, Y14, Y1
	VSQRTPS Y3, Y3
	VADDPS Y15, Y3, Y3
	VDIVPS Y3, Y1, Y1
	VMOVUPS (DI), Y5
	VSUBPS Y1, Y5, Y5
	VMOVUPS Y5, (DI)
	ADDQ $32, DI
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, R8
	SUBQ $8, CX
	JMP ad8
ad1:
	TESTQ CX, CX
	JZ addone
	VMOVSS (SI), X0
	VMOVSS (DX), X1
	VMULSS X1, X10, X1
	VMULSS X0, X11, X2
	VADDSS X2, X1, X1
	VMOVSS X1, (DX)
	VMOVSS (R8), X3
	VMULSS X3, X12, X3
	VMULSS X0, X13, X4
	VMULSS X0, X4, X4
	VADDSS X4, X3, X3
	VMOVSS X3, (R8)
	VMULSS X1, X14, X1
	VSQRTSS X3, X3, X3
	VADDSS X15, X3, X3
	VDIVSS X3, X1, X1
	VMOVSS (DI), X5
	VSUBSS X1, X5, X5
	VMOVSS X5, (DI)
	ADDQ $4, DI
	ADDQ $4, SI
	ADDQ $4, DX
	ADDQ $4, R8
	DECQ CX
	JMP ad1
addone:
	LDMXCSR 4(SP)
	VZEROUPPER
	RET

// MU8 writes the 2×16 values of dx for 8 outputs at column OX (register):
// k = arg − (top + 2·OX + evens) picks the window position (0, 1, w, w+1);
// each of the four masked copies of dy (+0, so −0 becomes +0 as in 0 + dy)
// is interleaved into its row with VUNPCKL/HPS and VPERM2F128.
// Y15 w, Y14 evens, Y13 w+1, Y12 zero, Y11 all ones (for k == 1).
#define MU8(OX) \
	LEAQ (OX)(OX*1), BX; \
	ADDL R10, BX; \
	VMOVD BX, X10; \
	VPBROADCASTD X10, Y10; \
	VPADDD Y14, Y10, Y10; \
	VMOVDQU (R12)(OX*4), Y0; \
	VPSUBD Y10, Y0, Y0; \
	VMOVUPS (R11)(OX*4), Y1; \
	VADDPS Y12, Y1, Y1; \
	VPCMPEQD Y12, Y0, Y2; \
	VPCMPEQD Y11, Y0, Y3; \
	VPCMPEQD Y15, Y0, Y4; \
	VPCMPEQD Y13, Y0, Y5; \
	VANDPS Y1, Y2, Y2; \
	VANDPS Y1, Y3, Y3; \
	VANDPS Y1, Y4, Y4; \
	VANDPS Y1, Y5, Y5; \
	VUNPCKLPS Y3, Y2, Y6; \
	VUNPCKHPS Y3, Y2, Y7; \
	VUNPCKLPS Y5, Y4, Y8; \
	VUNPCKHPS Y5, Y4, Y9; \
	LEAQ (R8)(OX*8), AX; \
	VPERM2F128 $0x20, Y7, Y6, Y0; \
	VPERM2F128 $0x31, Y7, Y6, Y1; \
	VMOVUPS Y0, (AX); \
	VMOVUPS Y1, 32(AX); \
	VPERM2F128 $0x20, Y9, Y8, Y0; \
	VPERM2F128 $0x31, Y9, Y8, Y1; \
	VMOVUPS Y0, (AX)(R9*1); \
	VMOVUPS Y1, 32(AX)(R9*1)

// MU4 is MU8 for 4 outputs with 128-bit vectors (VUNPCKL/HPS alone order them).
#define MU4(OX) \
	LEAQ (OX)(OX*1), BX; \
	ADDL R10, BX; \
	VMOVD BX, X10; \
	VPBROADCASTD X10, X10; \
	VPADDD X14, X10, X10; \
	VMOVDQU (R12)(OX*4), X0; \
	VPSUBD X10, X0, X0; \
	VMOVUPS (R11)(OX*4), X1; \
	VADDPS X12, X1, X1; \
	VPCMPEQD X12, X0, X2; \
	VPCMPEQD X11, X0, X3; \
	VPCMPEQD X15, X0, X4; \
	VPCMPEQD X13, X0, X5; \
	VANDPS X1, X2, X2; \
	VANDPS X1, X3, X3; \
	VANDPS X1, X4, X4; \
	VANDPS X1, X5, X5; \
	VUNPCKLPS X3, X2, X6; \
	VUNPCKHPS X3, X2, X7; \
	VUNPCKLPS X5, X4, X8; \
	VUNPCKHPS X5, X4, X9; \
	LEAQ (R8)(OX*8), AX; \
	VMOVUPS X6, (AX); \
	VMOVUPS X7, 16(AX); \
	VMOVUPS X8, (AX)(R9*1); \
	VMOVUPS X9, 16(AX)(R9*1)

// func maxUnpool2AVX2(dy *float32, arg *int32, base int32, w, oh int, dx *float32)
// Registers: R8 dx row 0 of the pair, R9 w·4, R10 top, R11 dy row, R12 arg
// row, R13 rows left, DX w/2, CX ox, AX/BX scratch.
TEXT ·maxUnpool2AVX2(SB), NOSPLIT, $0-48
	MOVQ dy+0(FP), R11
	MOVQ arg+8(FP), R12
	MOVL base+16(FP), R10
	MOVQ w+24(FP), R9
	MOVQ oh+32(FP), R13
	MOVQ dx+40(FP), R8
	MOVQ R9, DX
	SHRQ $1, DX
	VMOVD R9, X15
	VPBROADCASTD X15, Y15
	VMOVDQU evens<>(SB), Y14
	VPXOR Y12, Y12, Y12
	VPCMPEQD Y11, Y11, Y11
	VPSUBD Y11, Y15, Y13
	VPSUBD Y11, Y12, Y11
	SHLQ $2, R9
murow:
	CMPQ DX, $8
	JL mu4
	XORQ CX, CX
mu8loop:
	LEAQ 8(CX), AX
	CMPQ AX, DX
	JG mu8last
	MU8(CX)
	ADDQ $8, CX
	JMP mu8loop
mu8last:
	CMPQ CX, DX
	JE munext
	MOVQ DX, CX
	SUBQ $8, CX
	MU8(CX)
	JMP munext
mu4:
	XORQ CX, CX
	MU4(CX)
	CMPQ DX, $4
	JE munext
	MOVQ DX, CX
	SUBQ $4, CX
	MU4(CX)
munext:
	LEAQ (R8)(R9*2), R8
	MOVQ R9, AX
	SHRQ $1, AX
	ADDL AX, R10
	LEAQ (R11)(DX*4), R11
	LEAQ (R12)(DX*4), R12
	DECQ R13
	JNZ murow
	VZEROUPPER
	RET

// SP8 sums the windows of 8 outputs at column OX (register), as MP8 reads
// them: ((even0 + odd0) + even1) + odd1.
#define SP8(OX) \
	LEAQ (R8)(OX*8), AX; \
	VMOVUPS (AX), Y0; \
	VMOVUPS 32(AX), Y1; \
	VMOVUPS (AX)(R9*1), Y2; \
	VMOVUPS 32(AX)(R9*1), Y3; \
	VSHUFPS $0x88, Y1, Y0, Y4; \
	VSHUFPS $0xDD, Y1, Y0, Y5; \
	VSHUFPS $0x88, Y3, Y2, Y6; \
	VSHUFPS $0xDD, Y3, Y2, Y7; \
	VADDPS Y5, Y4, Y4; \
	VADDPS Y6, Y4, Y4; \
	VADDPS Y7, Y4, Y4; \
	VPERMPD $0xD8, Y4, Y4; \
	VMOVUPS Y4, (R11)(OX*4)

#define SP4(OX) \
	LEAQ (R8)(OX*8), AX; \
	VMOVUPS (AX), X0; \
	VMOVUPS 16(AX), X1; \
	VMOVUPS (AX)(R9*1), X2; \
	VMOVUPS 16(AX)(R9*1), X3; \
	VSHUFPS $0x88, X1, X0, X4; \
	VSHUFPS $0xDD, X1, X0, X5; \
	VSHUFPS $0x88, X3, X2, X6; \
	VSHUFPS $0xDD, X3, X2, X7; \
	VADDPS X5, X4, X4; \
	VADDPS X6, X4, X4; \
	VADDPS X7, X4, X4; \
	VMOVUPS X4, (R11)(OX*4)

// func sumPool2AVX2(x *float32, w, oh int, sum *float32)
// Registers as maxPool2AVX2's: R8 row 0, R9 w·4, R11 sum row, R13 rows
// left, DX w/2, CX ox.
TEXT ·sumPool2AVX2(SB), NOSPLIT, $0-32
	MOVQ x+0(FP), R8
	MOVQ w+8(FP), R9
	MOVQ oh+16(FP), R13
	MOVQ sum+24(FP), R11
	MOVQ R9, DX
	SHRQ $1, DX
	SHLQ $2, R9
sprow:
	CMPQ DX, $8
	JL sp4
	XORQ CX, CX
sp8loop:
	LEAQ 8(CX), AX
	CMPQ AX, DX
	JG sp8last
	SP8(CX)
	ADDQ $8, CX
	JMP sp8loop
sp8last:
	CMPQ CX, DX
	JE spnext
	MOVQ DX, CX
	SUBQ $8, CX
	SP8(CX)
	JMP spnext
sp4:
	XORQ CX, CX
	SP4(CX)
	CMPQ DX, $4
	JE spnext
	MOVQ DX, CX
	SUBQ $4, CX
	SP4(CX)
spnext:
	LEAQ (R8)(R9*2), R8
	LEAQ (R11)(DX*4), R11
	DECQ R13
	JNZ sprow
	VZEROUPPER
	RET

// SD8 writes scale·dy of 8 outputs at column OX (register) to both rows
// of their windows, each value twice in a row (VUNPCKL/HPS, VPERM2F128).
#define SD8(OX) \
	VMULPS (R11)(OX*4), Y15, Y0; \
	VUNPCKLPS Y0, Y0, Y1; \
	VUNPCKHPS Y0, Y0, Y2; \
	VPERM2F128 $0x20, Y2, Y1, Y3; \
	VPERM2F128 $0x31, Y2, Y1, Y4; \
	LEAQ (R8)(OX*8), AX; \
	VMOVUPS Y3, (AX); \
	VMOVUPS Y4, 32(AX); \
	VMOVUPS Y3, (AX)(R9*1); \
	VMOVUPS Y4, 32(AX)(R9*1)

#define SD4(OX) \
	VMULPS (R11)(OX*4), X15, X0; \
	VUNPCKLPS X0, X0, X1; \
	VUNPCKHPS X0, X0, X2; \
	LEAQ (R8)(OX*8), AX; \
	VMOVUPS X1, (AX); \
	VMOVUPS X2, 16(AX); \
	VMOVUPS X1, (AX)(R9*1); \
	VMOVUPS X2, 16(AX)(R9*1)

// func spread2AVX2(dy *float32, scale float32, w, oh int, dx *float32)
// Registers: R11 dy row, R8 dx row 0, R9 w·4, R13 rows left, DX w/2, CX
// ox, Y15 scale.
TEXT ·spread2AVX2(SB), NOSPLIT, $0-40
	MOVQ dy+0(FP), R11
	VBROADCASTSS scale+8(FP), Y15
	MOVQ w+16(FP), R9
	MOVQ oh+24(FP), R13
	MOVQ dx+32(FP), R8
	MOVQ R9, DX
	SHRQ $1, DX
	SHLQ $2, R9
sdrow:
	CMPQ DX, $8
	JL sd4
	XORQ CX, CX
sd8loop:
	LEAQ 8(CX), AX
	CMPQ AX, DX
	JG sd8last
	SD8(CX)
	ADDQ $8, CX
	JMP sd8loop
sd8last:
	CMPQ CX, DX
	JE sdnext
	MOVQ DX, CX
	SUBQ $8, CX
	SD8(CX)
	JMP sdnext
sd4:
	XORQ CX, CX
	SD4(CX)
	CMPQ DX, $4
	JE sdnext
	MOVQ DX, CX
	SUBQ $4, CX
	SD4(CX)
sdnext:
	LEAQ (R8)(R9*2), R8
	LEAQ (R11)(DX*4), R11
	DECQ R13
	JNZ sdrow
	VZEROUPPER
	RET

// func sumSquaresAVX2(x []float32) float64
// Σ x² in float64: four floats widened at a time, on four sums of four.
TEXT ·sumSquaresAVX2(SB), NOSPLIT, $0-32
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
ssq16:
	CMPQ CX, $16
	JL ssq4
	VCVTPS2PD (SI), Y4
	VCVTPS2PD 16(SI), Y5
	VCVTPS2PD 32(SI), Y6
	VCVTPS2PD 48(SI), Y7
	VMULPD Y4, Y4, Y4
	VMULPD Y5, Y5, Y5
	VMULPD Y6, Y6, Y6
	VMULPD Y7, Y7, Y7
	VADDPD Y4, Y0, Y0
	VADDPD Y5, Y1, Y1
	VADDPD Y6, Y2, Y2
	VADDPD Y7, Y3, Y3
	ADDQ $64, SI
	SUBQ $16, CX
	JMP ssq16
ssq4:
	CMPQ CX, $4
	JL ssqred
	VCVTPS2PD (SI), Y4
	VMULPD Y4, Y4, Y4
	VADDPD Y4, Y0, Y0
	ADDQ $16, SI
	SUBQ $4, CX
	JMP ssq4
ssqred:
	VADDPD Y1, Y0, Y0
	VADDPD Y3, Y2, Y2
	VADDPD Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPD X1, X0, X0
	VHADDPD X0, X0, X0
ssq1:
	TESTQ CX, CX
	JZ ssqdone
	VMOVSS (SI), X1
	VCVTSS2SD X1, X1, X1
	VMULSD X1, X1, X1
	VADDSD X1, X0, X0
	ADDQ $4, SI
	DECQ CX
	JMP ssq1
ssqdone:
	VMOVSD X0, ret+24(FP)
	VZEROUPPER
	RET

// func orBitsAVX2(dst []uint32, x []float32)
// len(x) a multiple of 8: each value's bits, where it is not NaN (an
// ordered compare with itself), ORed into dst.
TEXT ·orBitsAVX2(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ x_base+24(FP), SI
	MOVQ x_len+32(FP), CX
ob8:
	CMPQ CX, $8
	JL obdone
	VMOVUPS (SI), Y1
	VCMPPS $7, Y1, Y1, Y2
	VANDPS Y1, Y2, Y2
	VPOR (DI), Y2, Y2
	VMOVDQU Y2, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $8, CX
	JMP ob8
obdone:
	VZEROUPPER
	RET

// func scaleAVX2(y []float32, f float32)
TEXT ·scaleAVX2(SB), NOSPLIT, $0-28
	MOVQ y_base+0(FP), DI
	MOVQ y_len+8(FP), CX
	VBROADCASTSS f+24(FP), Y1
sc8:
	CMPQ CX, $8
	JL sc1
	VMULPS (DI), Y1, Y2
	VMOVUPS Y2, (DI)
	ADDQ $32, DI
	SUBQ $8, CX
	JMP sc8
sc1:
	TESTQ CX, CX
	JZ scdone
	VMOVSS (DI), X2
	VMULSS X1, X2, X2
	VMOVSS X2, (DI)
	ADDQ $4, DI
	DECQ CX
	JMP sc1
scdone:
	VZEROUPPER
	RET
