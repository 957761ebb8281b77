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
	const unroll = 4
	p("MOVQ CX, AX")
	p("SHRQ $2, AX")
	p("JZ %s_tail", name)
	label(name + "_loop4")
	for u := 0; u < unroll; u++ {
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

func main() {
	buf.WriteString("// Code generated by gen_kernel.go; DO NOT EDIT.\n\n")
	buf.WriteString("//go:build !noasm && !gccgo && !safe\n\n")
	buf.WriteString("#include \"textflag.h\"\n\n")
	kernel("kern6x16AVX2", 2, false, false)
	kernel("kern6x16AVX2Mask", 2, true, false)
	kernel("kern6x8AVX2Mask", 1, true, false)
	kernel("kern6x16AVX512Mask", 2, true, true)
	kernel("kern6x8AVX512Mask", 1, true, true)
	if err := os.WriteFile("kernel_amd64.s", buf.Bytes(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
