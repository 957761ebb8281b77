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
