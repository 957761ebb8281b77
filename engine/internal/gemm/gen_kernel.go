// Copyright the lenet-tui authors.

//go:build ignore

// gen_kernel writes kernel_amd64.s, the register-blocked micro-kernels.
// Run it with go generate (see stubs_amd64.go).
package main

import (
	"bytes"
	"fmt"
	"os"
)

var buf bytes.Buffer

func p(format string, args ...any) { fmt.Fprintf(&buf, "\t"+format+"\n", args...) }
func label(l string)               { fmt.Fprintf(&buf, "%s:\n", l) }

// aAddr is the address of row r of the A micro-panel at the current k:
// SI points at row 0, DI at row 3, R8 holds the row stride rsA in bytes.
func aAddr(r int) string {
	base := "SI"
	if r >= 3 {
		base, r = "DI", r-3
	}
	switch r {
	case 0:
		return "(" + base + ")"
	case 1:
		return "(" + base + ")(R8*1)"
	}
	return "(" + base + ")(R8*2)"
}

// cAddr is the address of row r of the C tile: DX points at row 0, R12 at
// row 3, R11 holds ldc in bytes.
func cAddr(r, off int) string {
	base := "DX"
	if r >= 3 {
		base, r = "R12", r-3
	}
	o := ""
	if off != 0 {
		o = fmt.Sprint(off)
	}
	switch r {
	case 0:
		return o + "(" + base + ")"
	case 1:
		return o + "(" + base + ")(R11*1)"
	}
	return o + "(" + base + ")(R11*2)"
}

// loadArgs emits the loads of the arguments the kernels share: CX kc, SI
// A's row 0 and DI its row 3, R8 rsA, R9 csA, BX B, R10 rsB, DX C, R11 ldc.
func loadArgs() {
	p("MOVQ kc+0(FP), CX")
	p("MOVQ a+8(FP), SI")
	p("MOVQ rsA+16(FP), R8")
	p("MOVQ csA+24(FP), R9")
	p("MOVQ b+32(FP), BX")
	p("MOVQ rsB+40(FP), R10")
	p("MOVQ c+48(FP), DX")
	p("MOVQ ldc+56(FP), R11")
	p("LEAQ (R8)(R8*2), DI")
	p("ADDQ SI, DI")
}

// kLoop emits a kernel's loop over the kc steps in CX: step unrolled four
// times, then the last kc mod 4 one at a time (AX counts the fours), ending
// at the label name_store.
func kLoop(name string, step func()) {
	p("MOVQ CX, AX")
	p("SHRQ $2, AX")
	p("JZ %s_tail", name)
	label(name + "_loop4")
	for range 4 {
		step()
	}
	p("DECQ AX")
	p("JNZ %s_loop4", name)
	label(name + "_tail")
	p("ANDQ $3, CX")
	p("JZ %s_store", name)
	label(name + "_loop1")
	step()
	p("DECQ CX")
	p("JNZ %s_loop1", name)
	label(name + "_store")
}

// kernel emits a 6×(nv·8) AVX2 kernel. If masked, C is loaded and stored
// through the column mask in mask[0:nv*8] (VMASKMOVPS).
//
// With k512 (AVX-512VL), the mask is a bit set in the low nv*8 bits of the
// uint32 mask argument and C is accessed with K-masked moves instead.
func kernel(name string, nv int, masked, k512 bool) {
	const (
		mr    = 6
		vec   = "Y"
		width = 32
	)
	if k512 {
		fmt.Fprintf(&buf, "// func %s(kc int, a *float32, rsA, csA uintptr, b *float32, rsB uintptr, c *float32, ldc uintptr, beta float32, mask uint32)\n", name)
		fmt.Fprintf(&buf, "TEXT ·%s(SB), NOSPLIT, $0-72\n", name)
	} else if masked {
		fmt.Fprintf(&buf, "// func %s(kc int, a *float32, rsA, csA uintptr, b *float32, rsB uintptr, c *float32, ldc uintptr, beta float32, mask *int32)\n", name)
		fmt.Fprintf(&buf, "TEXT ·%s(SB), NOSPLIT, $0-80\n", name)
	} else {
		fmt.Fprintf(&buf, "// func %s(kc int, a *float32, rsA, csA uintptr, b *float32, rsB uintptr, c *float32, ldc uintptr, beta float32)\n", name)
		fmt.Fprintf(&buf, "TEXT ·%s(SB), NOSPLIT, $0-68\n", name)
	}
	loadArgs()
	acc := func(r, v int) string { return fmt.Sprintf("%s%d", vec, r*nv+v) }
	nacc := mr * nv
	bReg := func(v int) string { return fmt.Sprintf("%s%d", vec, nacc+v) }
	aReg := func(r int) string { return fmt.Sprintf("%s%d", vec, nacc+nv+r%2) }
	for i := 0; i < nacc; i++ {
		p("VXORPS %s%d, %s%d, %s%d", vec, i, vec, i, vec, i)
	}
	step := func() {
		for v := 0; v < nv; v++ {
			p("VMOVUPS %d(BX), %s", v*width, bReg(v))
		}
		for r := 0; r < mr; r++ {
			p("VBROADCASTSS %s, %s", aAddr(r), aReg(r))
			for v := 0; v < nv; v++ {
				p("VFMADD231PS %s, %s, %s", bReg(v), aReg(r), acc(r, v))
			}
		}
		p("ADDQ R9, SI")
		p("ADDQ R9, DI")
		p("ADDQ R10, BX")
	}
	kLoop(name, step)
	p("LEAQ (R11)(R11*2), R12")
	p("ADDQ DX, R12")
	p("MOVL beta+64(FP), AX")
	p("TESTL $0x7fffffff, AX")
	p("JZ %s_overwrite", name)
	// Free after the loop: the nv B registers and 2 A registers.
	betaReg, tmp := aReg(0), aReg(1)
	mask := bReg
	p("VBROADCASTSS beta+64(FP), %s", betaReg)
	if k512 {
		p("MOVL mask+68(FP), AX")
		p("KMOVW AX, K1")
		p("SHRL $8, AX")
		p("KMOVW AX, K2")
	} else if masked {
		p("MOVQ mask+72(FP), AX")
		for v := 0; v < nv; v++ {
			p("VMOVDQU %d(AX), %s", v*width, mask(v))
		}
	}
	for r := 0; r < mr; r++ {
		for v := 0; v < nv; v++ {
			if k512 {
				p("VMOVUPS.Z %s, K%d, %s", cAddr(r, v*width), v+1, tmp)
				p("VFMADD231PS %s, %s, %s", tmp, betaReg, acc(r, v))
				p("VMOVUPS %s, K%d, %s", acc(r, v), v+1, cAddr(r, v*width))
			} else if masked {
				p("VMASKMOVPS %s, %s, %s", cAddr(r, v*width), mask(v), tmp)
				p("VFMADD231PS %s, %s, %s", tmp, betaReg, acc(r, v))
				p("VMASKMOVPS %s, %s, %s", acc(r, v), mask(v), cAddr(r, v*width))
			} else {
				p("VFMADD231PS %s, %s, %s", cAddr(r, v*width), betaReg, acc(r, v))
				p("VMOVUPS %s, %s", acc(r, v), cAddr(r, v*width))
			}
		}
	}
	p("VZEROUPPER")
	p("RET")
	label(name + "_overwrite")
	if k512 {
		p("MOVL mask+68(FP), AX")
		p("KMOVW AX, K1")
		p("SHRL $8, AX")
		p("KMOVW AX, K2")
	} else if masked {
		p("MOVQ mask+72(FP), AX")
		for v := 0; v < nv; v++ {
			p("VMOVDQU %d(AX), %s", v*width, mask(v))
		}
	}
	for r := 0; r < mr; r++ {
		for v := 0; v < nv; v++ {
			if k512 {
				p("VMOVUPS %s, K%d, %s", acc(r, v), v+1, cAddr(r, v*width))
			} else if masked {
				p("VMASKMOVPS %s, %s, %s", acc(r, v), mask(v), cAddr(r, v*width))
			} else {
				p("VMOVUPS %s, %s", acc(r, v), cAddr(r, v*width))
			}
		}
	}
	p("VZEROUPPER")
	p("RET")
	buf.WriteString("\n")
}

// kernelZ emits a rows×16 AVX-512F kernel (rows 6 or 12): one 16-lane
// accumulator a row, each A value broadcast inside its FMA. Every C
// element is summed over p in the same order, by the same FMAs, as in the
// 6×16 AVX2 kernel, so the results are the same to the bit; a zmm FMA
// does the work of two ymm ones. Twelve rows give twelve independent sums,
// enough to hide the FMA latency; six give six, which is the best a lone
// 6-row panel can do. For 12 rows, rows 6…11 are the A micro-panel at
// a2 (the next panel, or 6 rows further on when A is not packed).
func kernelZ(name string, rows int) {
	args := "kc int, a *float32, rsA, csA uintptr, b *float32, rsB uintptr, c *float32, ldc uintptr, beta float32"
	frame := 68
	if rows == 12 {
		args += ", a2 *float32"
		frame = 80
	}
	fmt.Fprintf(&buf, "// func %s(%s)\n", name, args)
	fmt.Fprintf(&buf, "TEXT ·%s(SB), NOSPLIT, $0-%d\n", name, frame)
	loadArgs()
	if rows == 12 {
		p("MOVQ a2+72(FP), R13")
		p("LEAQ (R8)(R8*2), R14")
		p("ADDQ R13, R14")
	}
	// Row r at base r/3 + (r%3)·stride.
	at := func(bases []string, stride string, r int) string {
		b := "(" + bases[r/3] + ")"
		switch r % 3 {
		case 1:
			return b + "(" + stride + "*1)"
		case 2:
			return b + "(" + stride + "*2)"
		}
		return b
	}
	aBases := []string{"SI", "DI", "R13", "R14"}
	const bReg, betaReg = "Z12", "Z13"
	for r := 0; r < rows; r++ {
		p("VXORPS Z%d, Z%d, Z%d", r, r, r)
	}
	step := func() {
		p("VMOVUPS (BX), %s", bReg)
		for r := 0; r < rows; r++ {
			p("VFMADD231PS.BCST %s, %s, Z%d", at(aBases, "R8", r), bReg, r)
		}
		for _, b := range aBases[:rows/3] {
			p("ADDQ R9, %s", b)
		}
		p("ADDQ R10, BX")
	}
	kLoop(name, step)
	// C rows at DX, R12 = DX + 3·ldc, and for 12 rows SI = DX + 6·ldc and
	// DI = SI + 3·ldc (A's pointers are free now).
	cBases := []string{"DX", "R12", "SI", "DI"}
	p("LEAQ (R11)(R11*2), AX")
	p("LEAQ (DX)(AX*1), R12")
	if rows == 12 {
		p("LEAQ (R12)(AX*1), SI")
		p("LEAQ (SI)(AX*1), DI")
	}
	p("MOVL beta+64(FP), AX")
	p("TESTL $0x7fffffff, AX")
	p("JZ %s_overwrite", name)
	p("VBROADCASTSS beta+64(FP), %s", betaReg)
	for r := 0; r < rows; r++ {
		p("VFMADD231PS %s, %s, Z%d", at(cBases, "R11", r), betaReg, r)
		p("VMOVUPS Z%d, %s", r, at(cBases, "R11", r))
	}
	p("VZEROUPPER")
	p("RET")
	label(name + "_overwrite")
	for r := 0; r < rows; r++ {
		p("VMOVUPS Z%d, %s", r, at(cBases, "R11", r))
	}
	p("VZEROUPPER")
	p("RET")
	buf.WriteString("\n")
}

// packBT emits packBT16AVX2, which transposes a 16×(8·n8) block of rows
// (stride ldb bytes) into dst[p*16+j], as two 8×8 transposes per 8 columns.
func packBT() {
	name := "packBT16AVX2"
	fmt.Fprintf(&buf, "// func %s(n8 int, src *float32, ldb uintptr, dst *float32)\n", name)
	fmt.Fprintf(&buf, "TEXT ·%s(SB), NOSPLIT, $0-32\n", name)
	p("MOVQ n8+0(FP), CX")
	p("MOVQ src+8(FP), SI")
	p("MOVQ ldb+16(FP), R8")
	p("MOVQ dst+24(FP), DX")
	p("LEAQ (R8)(R8*2), R9")
	p("LEAQ (SI)(R8*4), DI")
	p("LEAQ (DI)(R8*4), R10")
	p("LEAQ (R10)(R8*4), R11")
	label(name + "_loop")
	rows := func(base string) []string {
		return []string{"(" + base + ")", "(" + base + ")(R8*1)", "(" + base + ")(R8*2)", "(" + base + ")(R9*1)"}
	}
	for half, bases := range [][2]string{{"SI", "DI"}, {"R10", "R11"}} {
		addrs := append(rows(bases[0]), rows(bases[1])...)
		for j, a := range addrs {
			p("VMOVUPS %s, Y%d", a, j)
		}
		for i := 0; i < 4; i++ { // t = Y8..Y15
			p("VUNPCKLPS Y%d, Y%d, Y%d", 2*i+1, 2*i, 8+2*i)
			p("VUNPCKHPS Y%d, Y%d, Y%d", 2*i+1, 2*i, 9+2*i)
		}
		// u0..u7 into Y0..Y7: u0=(t0,t2,44) u1=(t0,t2,EE) u2=(t1,t3,44) u3=(t1,t3,EE) u4..u7 same with t4..t7.
		for g := 0; g < 2; g++ {
			t := 8 + 4*g
			u := 4 * g
			p("VSHUFPS $0x44, Y%d, Y%d, Y%d", t+2, t, u)
			p("VSHUFPS $0xEE, Y%d, Y%d, Y%d", t+2, t, u+1)
			p("VSHUFPS $0x44, Y%d, Y%d, Y%d", t+3, t+1, u+2)
			p("VSHUFPS $0xEE, Y%d, Y%d, Y%d", t+3, t+1, u+3)
		}
		for q := 0; q < 4; q++ {
			p("VPERM2F128 $0x20, Y%d, Y%d, Y%d", q+4, q, 8+q)
			p("VPERM2F128 $0x31, Y%d, Y%d, Y%d", q+4, q, 12+q)
		}
		for r := 0; r < 8; r++ {
			p("VMOVUPS Y%d, %d(DX)", 8+r, r*64+half*32)
		}
	}
	for _, r := range []string{"SI", "DI", "R10", "R11"} {
		p("ADDQ $32, %s", r)
	}
	p("ADDQ $512, DX")
	p("DECQ CX")
	p("JNZ %s_loop", name)
	p("VZEROUPPER")
	p("RET")
	buf.WriteString("\n")
}

// dot8 emits dot8AVX2: out[r] = Σ_{p<8·n8} a[r*lda+p]·x[p] for 8 rows r.
func dot8() {
	name := "dot8AVX2"
	fmt.Fprintf(&buf, "// func %s(n8 int, a *float32, lda uintptr, x *float32, out *[8]float32)\n", name)
	fmt.Fprintf(&buf, "TEXT ·%s(SB), NOSPLIT, $0-40\n", name)
	p("MOVQ n8+0(FP), CX")
	p("MOVQ a+8(FP), SI")
	p("MOVQ lda+16(FP), R8")
	p("MOVQ x+24(FP), BX")
	p("LEAQ (R8)(R8*2), R9")
	p("LEAQ (SI)(R8*4), DI")
	for i := 0; i < 8; i++ {
		p("VXORPS Y%d, Y%d, Y%d", i, i, i)
	}
	addrs := []string{"(SI)", "(SI)(R8*1)", "(SI)(R8*2)", "(SI)(R9*1)", "(DI)", "(DI)(R8*1)", "(DI)(R8*2)", "(DI)(R9*1)"}
	label(name + "_loop")
	p("VMOVUPS (BX), Y8")
	for r, a := range addrs {
		p("VFMADD231PS %s, Y8, Y%d", a, r)
	}
	p("ADDQ $32, SI")
	p("ADDQ $32, DI")
	p("ADDQ $32, BX")
	p("DECQ CX")
	p("JNZ %s_loop", name)
	p("VHADDPS Y1, Y0, Y0")
	p("VHADDPS Y3, Y2, Y2")
	p("VHADDPS Y2, Y0, Y0")
	p("VHADDPS Y5, Y4, Y4")
	p("VHADDPS Y7, Y6, Y6")
	p("VHADDPS Y6, Y4, Y4")
	p("VPERM2F128 $0x20, Y4, Y0, Y1")
	p("VPERM2F128 $0x31, Y4, Y0, Y2")
	p("VADDPS Y2, Y1, Y1")
	p("MOVQ out+32(FP), DX")
	p("VMOVUPS Y1, (DX)")
	p("VZEROUPPER")
	p("RET")
	buf.WriteString("\n")
}

func main() {
	buf.WriteString("// Code generated by gen_kernel.go; DO NOT EDIT.\n\n")
	buf.WriteString("//go:build !noasm && !gccgo && !safe\n\n")
	buf.WriteString("#include \"textflag.h\"\n\n")
	kernel("kern6x16AVX2", 2, false, false)
	kernel("kern6x16AVX2Mask", 2, true, false)
	kernel("kern6x8AVX2Mask", 1, true, false)
	kernel("kern6x16AVX512Mask", 2, true, true)
	kernel("kern6x8AVX512Mask", 1, true, true)
	kernelZ("kern6x16AVX512", 6)
	kernelZ("kern12x16AVX512", 12)
	packBT()
	dot8()
	if err := os.WriteFile("kernel_amd64.s", buf.Bytes(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
