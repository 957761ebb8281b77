// Copyright the lenet-tui authors.

//go:build ignore

// gen_kernel writes kernel_amd64.s (the AVX2+FMA direct-convolution
// kernels) and kernel_amd64.go (their stubs and dispatch switches).
// Run it with go generate (see asm_amd64.go).
package main

import (
	"bytes"
	"fmt"
	"go/format"
	"os"
)

var (
	asm bytes.Buffer
	gos bytes.Buffer
)

func p(format string, args ...any) { fmt.Fprintf(&asm, "\t"+format+"\n", args...) }
func label(l string)               { fmt.Fprintf(&asm, "%s:\n", l) }
func g(format string, args ...any) { fmt.Fprintf(&gos, format+"\n", args...) }

// The Go arguments of the forward and filter-gradient kernels.
const (
	fwdArgs = "x *float32, xrs, xps uintptr, cin, k, nky int, w *float32, wskip uintptr, y *float32, yrs, yms uintptr, ns int"
	// The 16-lane forward kernels also take the biases of their maps, or
	// nil: with them, they store max(0, y+b)+0 (biasReLU).
	fwdZArgs = fwdArgs + ", b *float32"
	fgArgs   = "x *float32, xrs uintptr, dy *float32, dyrs, dyms uintptr, nrows, ns, k int, gacc *float32, gms uintptr"
)

// maskedName is a kernel's name, with "Mask" after it for the masked one.
func maskedName(base string, masked bool) string {
	if masked {
		return base + "Mask"
	}
	return base
}

// header emits a kernel's declaration and TEXT line for its Go arguments
// args, frame bytes of them. A masked kernel takes one more, mask uint64,
// and loads it into K1; it loads and stores through K1, zeroing the lanes
// left out: mov and k1 are the load and the mask operand to use.
func header(name, args string, frame int, masked bool) (mov, k1 string) {
	mov = "VMOVUPS"
	if masked {
		args += ", mask uint64"
		mov, k1 = "VMOVUPS.Z", "K1, "
	}
	fmt.Fprintf(&asm, "// func %s(%s)\n", name, args)
	if !masked {
		fmt.Fprintf(&asm, "TEXT ·%s(SB), NOSPLIT, $0-%d\n", name, frame)
		return mov, k1
	}
	fmt.Fprintf(&asm, "TEXT ·%s(SB), NOSPLIT, $0-%d\n", name, frame+8)
	p("MOVQ mask+%d(FP), AX", frame)
	p("KMOVW AX, K1")
	return mov, k1
}

// decl emits the Go declaration of the kernel name that header emitted.
func decl(name, args string, masked bool) {
	if masked {
		args += ", mask uint64"
	}
	g("//go:noescape")
	g("func %s(%s)\n", name, args)
}

// Forward kernels: r output rows × m output maps × s 8-wide strips of
// accumulators. For m ≥ 4, r ≤ 2 and s = 1 (inputs in Y12/Y13, broadcasts
// in Y14/Y15); for m ≤ 3, r ≤ 4 and s ≤ 2 with r·m·s ≤ 12 (broadcasts in
// Y12…, inputs through Y15), so that small map blocks still have enough
// independent accumulators to hide the FMA latency.
const (
	fwdMaxR = 4
	fwdMaxM = 6
	fwdMaxS = 2
)

func fwdOK(r, m, s int) bool {
	if m >= 4 {
		return r <= 2 && s == 1
	}
	return r*m*s <= 12
}

// fwdPref is the preferred (rows, strips) block for m maps.
func fwdPref(m int) (r, s int) {
	switch {
	case m >= 4:
		return 2, 1
	case m >= 2:
		return 4, 1
	}
	return 4, 2
}

// fwdName is the forward kernel for r rows, m maps and s strips.
func fwdName(r, m, s int, masked bool) string {
	return maskedName(fmt.Sprintf("fwdR%dM%dS%d", r, m, s), masked)
}

// rowAddr is the address of row ri from base with the row stride in
// stride and 3·stride in stride3.
func rowAddr(off int, base, stride, stride3 string, ri int) string {
	o := ""
	if off != 0 {
		o = fmt.Sprint(off)
	}
	switch ri {
	case 0:
		return o + "(" + base + ")"
	case 1:
		return o + "(" + base + ")(" + stride + "*1)"
	case 2:
		return o + "(" + base + ")(" + stride + "*2)"
	}
	return o + "(" + base + ")(" + stride3 + "*1)"
}

// fwd emits a forward kernel.
//
// Registers: SI strip x base, DX strip y base, R14 strip counter, CX weight
// cursor, DI plane pointer / R10 ci counter, AX row pointer / R11 ky
// counter, BX tap pointer / R12 kx counter, R8 xrs, R9 3·xrs, R13 wskip.
//
// If masked (AVX-512VL), y is stored only in the lanes whose bit is set in
// mask, through K1.
func fwd(r, m, s int, masked bool) {
	name := fwdName(r, m, s, masked)
	acc := func(ri, si, mi int) string { return fmt.Sprintf("Y%d", (ri*s+si)*m+mi) }
	_, k1 := header(name, fwdArgs, 96, masked)
	p("MOVQ x+0(FP), SI")
	p("MOVQ xrs+8(FP), R8")
	p("LEAQ (R8)(R8*2), R9")
	p("MOVQ y+64(FP), DX")
	p("MOVQ ns+88(FP), R14")
	label(name + "_strip")
	for i := 0; i < r*m*s; i++ {
		p("VXORPS Y%d, Y%d, Y%d", i, i, i)
	}
	p("MOVQ w+48(FP), CX")
	p("MOVQ wskip+56(FP), R13")
	p("MOVQ SI, DI")
	p("MOVQ cin+24(FP), R10")
	label(name + "_ci")
	p("MOVQ DI, AX")
	p("MOVQ nky+40(FP), R11")
	label(name + "_ky")
	p("MOVQ AX, BX")
	p("MOVQ k+32(FP), R12")
	label(name + "_kx")
	if m >= 4 {
		p("VMOVUPS (BX), Y12")
		if r == 2 {
			p("VMOVUPS (BX)(R8*1), Y13")
		}
		for mi := 0; mi < m; mi++ {
			b := fmt.Sprintf("Y%d", 14+mi%2)
			p("VBROADCASTSS %d(CX), %s", 4*mi, b)
			p("VFMADD231PS Y12, %s, %s", b, acc(0, 0, mi))
			if r == 2 {
				p("VFMADD231PS Y13, %s, %s", b, acc(1, 0, mi))
			}
		}
	} else {
		for mi := 0; mi < m; mi++ {
			p("VBROADCASTSS %d(CX), Y%d", 4*mi, 12+mi)
		}
		for ri := 0; ri < r; ri++ {
			for si := 0; si < s; si++ {
				p("VMOVUPS %s, Y15", rowAddr(32*si, "BX", "R8", "R9", ri))
				for mi := 0; mi < m; mi++ {
					p("VFMADD231PS Y15, Y%d, %s", 12+mi, acc(ri, si, mi))
				}
			}
		}
	}
	p("ADDQ $4, BX")
	p("ADDQ $%d, CX", 4*m)
	p("DECQ R12")
	p("JNZ %s_kx", name)
	p("ADDQ R8, AX")
	p("DECQ R11")
	p("JNZ %s_ky", name)
	p("ADDQ R13, CX")
	p("ADDQ xps+16(FP), DI")
	p("DECQ R10")
	p("JNZ %s_ci", name)
	// Store: map mi at DX + mi·yms, row ri at + ri·yrs, strip si at + 32·si.
	p("MOVQ yrs+72(FP), R11")
	p("LEAQ (R11)(R11*2), R12")
	p("MOVQ yms+80(FP), R13")
	p("MOVQ DX, AX")
	for mi := 0; mi < m; mi++ {
		for ri := 0; ri < r; ri++ {
			for si := 0; si < s; si++ {
				p("VMOVUPS %s, %s%s", acc(ri, si, mi), k1, rowAddr(32*si, "AX", "R11", "R12", ri))
			}
		}
		if mi < m-1 {
			p("ADDQ R13, AX")
		}
	}
	p("ADDQ $%d, SI", 32*s)
	p("ADDQ $%d, DX", 32*s)
	p("DECQ R14")
	p("JNZ %s_strip", name)
	p("VZEROUPPER")
	p("RET")
	asm.WriteString("\n")
}

// Filter-gradient kernel limits: m maps × kb taps accumulators, with
// m·kb + m + 1 ≤ 16 registers.
const (
	fgMaxKB = 6
	fgMaxM  = 4
)

func fgMaxMFor(kb int) int {
	m := fgMaxM
	for m*kb+m+1 > 16 {
		m--
	}
	return m
}

func fgName(m, kb int, masked bool) string {
	return maskedName(fmt.Sprintf("fgM%dK%d", m, kb), masked)
}

// fg emits the filter-gradient kernel for m output maps and kb taps.
//
// Registers: AX x row (ky start kept in the x argument slot), DX dy row,
// SI x cursor, DI dy cursor, R8 dyms, R9 3·dyms, R10 xrs, R11 dyrs, R12
// strip counter, R13 row counter, R14 ky counter, BX g at current ky, CX gms.
// Accumulators Y0… (acc(mi, j) = Y(mi·kb+j)), dy in the next m registers,
// x in Y15.
//
// If masked (AVX-512VL), dy is loaded only in the lanes whose bit is set in
// mask (the others are zero), through K1.
func fg(m, kb int, masked bool) {
	name := fgName(m, kb, masked)
	acc := func(mi, j int) string { return fmt.Sprintf("Y%d", mi*kb+j) }
	dyr := func(mi int) string { return fmt.Sprintf("Y%d", m*kb+mi) }
	mov, k1 := header(name, fgArgs, 80, masked)
	p("MOVQ xrs+8(FP), R10")
	p("MOVQ dyrs+24(FP), R11")
	p("MOVQ dyms+32(FP), R8")
	p("LEAQ (R8)(R8*2), R9")
	p("MOVQ gacc+64(FP), BX")
	p("MOVQ gms+72(FP), CX")
	p("MOVQ k+56(FP), R14")
	label(name + "_ky")
	for mi := 0; mi < m; mi++ {
		for j := 0; j < kb; j++ {
			p("VXORPS %s, %s, %s", acc(mi, j), acc(mi, j), acc(mi, j))
		}
	}
	p("MOVQ x+0(FP), AX")
	p("MOVQ dy+16(FP), DX")
	p("MOVQ nrows+40(FP), R13")
	label(name + "_row")
	p("MOVQ AX, SI")
	p("MOVQ DX, DI")
	p("MOVQ ns+48(FP), R12")
	label(name + "_strip")
	for mi := 0; mi < m; mi++ {
		switch mi {
		case 0:
			p("%s (DI), %s%s", mov, k1, dyr(mi))
		case 1:
			p("%s (DI)(R8*1), %s%s", mov, k1, dyr(mi))
		case 2:
			p("%s (DI)(R8*2), %s%s", mov, k1, dyr(mi))
		case 3:
			p("%s (DI)(R9*1), %s%s", mov, k1, dyr(mi))
		}
	}
	for j := 0; j < kb; j++ {
		p("VMOVUPS %d(SI), Y15", 4*j)
		for mi := 0; mi < m; mi++ {
			p("VFMADD231PS Y15, %s, %s", dyr(mi), acc(mi, j))
		}
	}
	p("ADDQ $32, SI")
	p("ADDQ $32, DI")
	p("DECQ R12")
	p("JNZ %s_strip", name)
	p("ADDQ R10, AX")
	p("ADDQ R11, DX")
	p("DECQ R13")
	p("JNZ %s_row", name)
	// g[mi][ky][j] += acc(mi, j), map mi at BX + mi·gms.
	p("MOVQ BX, R12")
	for mi := 0; mi < m; mi++ {
		for j := 0; j < kb; j++ {
			p("VADDPS %d(R12), %s, %s", 32*j, acc(mi, j), acc(mi, j))
			p("VMOVUPS %s, %d(R12)", acc(mi, j), 32*j)
		}
		if mi < m-1 {
			p("ADDQ CX, R12")
		}
	}
	// Next ky: x += xrs, g += k·32.
	p("MOVQ x+0(FP), AX")
	p("ADDQ R10, AX")
	p("MOVQ AX, x+0(FP)")
	p("MOVQ k+56(FP), R12")
	p("SHLQ $5, R12")
	p("ADDQ R12, BX")
	p("DECQ R14")
	p("JNZ %s_ky", name)
	p("VZEROUPPER")
	p("RET")
	asm.WriteString("\n")
}

// Channel-vectorised kernels: vectors run over 8 consecutive output maps
// (co), inputs are broadcast.

// fwcMaxP[cb] is the largest pixel block of the channel forward kernels
// with cb map vectors (p·cb + cb + 1 ≤ 16 registers).
var fwcMaxP = [...]int{0, 8, 6}

// fwcMaxP512[cb] is the same with the 32 vector registers of AVX-512VL.
var fwcMaxP512 = [...]int{0, 12, 7}

func fwcName(cb, np int) string { return fmt.Sprintf("fwcC%dP%d", cb, np) }

// fwc emits the channel forward kernel for cb map vectors and np pixels.
//
// Registers: SI row x base, DX row y base, R14 row counter, CX weight
// cursor, DI plane pointer / R10 ci counter, AX row pointer / R11 ky
// counter, BX tap pointer / R12 kx counter, R8 xrs, R9 xps, R13 wtap.
// Accumulators Y0… (acc(p, c) = Y(p·cb+c)), weights in the next cb
// registers, broadcasts in Y15.
func fwc(cb, np int) {
	name := fwcName(cb, np)
	acc := func(pi, c int) string { return fmt.Sprintf("Y%d", pi*cb+c) }
	wr := func(c int) string { return fmt.Sprintf("Y%d", np*cb+c) }
	bc := "Y15"
	if np*cb+cb >= 15 {
		bc = fmt.Sprintf("Y%d", np*cb+cb)
	}
	fmt.Fprintf(&asm, "// func %s(x *float32, xrs, xps uintptr, cin, k, nky int, w *float32, wtap, wskip uintptr, y *float32, ypix, yrs uintptr, nrows int)\n", name)
	fmt.Fprintf(&asm, "TEXT ·%s(SB), NOSPLIT, $0-104\n", name)
	p("MOVQ x+0(FP), SI")
	p("MOVQ xrs+8(FP), R8")
	p("MOVQ xps+16(FP), R9")
	p("MOVQ wtap+56(FP), R13")
	p("MOVQ y+72(FP), DX")
	p("MOVQ nrows+96(FP), R14")
	label(name + "_row")
	for pi := 0; pi < np; pi++ {
		for c := 0; c < cb; c++ {
			if pi*cb+c >= 16 {
				p("VPXORD %s, %s, %s", acc(pi, c), acc(pi, c), acc(pi, c))
			} else {
				p("VXORPS %s, %s, %s", acc(pi, c), acc(pi, c), acc(pi, c))
			}
		}
	}
	p("MOVQ w+48(FP), CX")
	p("MOVQ SI, DI")
	p("MOVQ cin+24(FP), R10")
	label(name + "_ci")
	p("MOVQ DI, AX")
	p("MOVQ nky+40(FP), R11")
	label(name + "_ky")
	p("MOVQ AX, BX")
	p("MOVQ k+32(FP), R12")
	label(name + "_kx")
	for c := 0; c < cb; c++ {
		p("VMOVUPS %d(CX), %s", 32*c, wr(c))
	}
	for pi := 0; pi < np; pi++ {
		p("VBROADCASTSS %d(BX), %s", 4*pi, bc)
		for c := 0; c < cb; c++ {
			p("VFMADD231PS %s, %s, %s", wr(c), bc, acc(pi, c))
		}
	}
	p("ADDQ $4, BX")
	p("ADDQ R13, CX")
	p("DECQ R12")
	p("JNZ %s_kx", name)
	p("ADDQ R8, AX")
	p("DECQ R11")
	p("JNZ %s_ky", name)
	p("ADDQ wskip+64(FP), CX")
	p("ADDQ R9, DI")
	p("DECQ R10")
	p("JNZ %s_ci", name)
	// Store pixel pi at DX + pi·ypix.
	p("MOVQ ypix+80(FP), R11")
	p("MOVQ DX, AX")
	for pi := 0; pi < np; pi++ {
		for c := 0; c < cb; c++ {
			p("VMOVUPS %s, %d(AX)", acc(pi, c), 32*c)
		}
		if pi < np-1 {
			p("ADDQ R11, AX")
		}
	}
	p("ADDQ R8, SI")
	p("ADDQ yrs+88(FP), DX")
	p("DECQ R14")
	p("JNZ %s_row", name)
	p("VZEROUPPER")
	p("RET")
	asm.WriteString("\n")
}

// fgcMaxCB[kb] is the largest map-vector block of the channel
// filter-gradient kernels with kb taps (kb·cb + cb + 1 ≤ 16, cb ≤ 4).
var fgcMaxCB = [...]int{0, 4, 4, 3, 3, 2, 2}

func fgcName(cb, kb int) string { return fmt.Sprintf("fgcC%dK%d", cb, kb) }

// fgc emits the channel filter-gradient kernel for cb map vectors and kb
// taps.
//
// Registers: AX x row (ky start kept in the x argument slot), SI x cursor,
// DI dy cursor, R8 dpix, R10 xrs, R12 column counter, R13 row counter,
// R14 ky counter, BX g at current ky, CX scratch. Accumulators Y0…
// (acc(j, c) = Y(j·cb+c)), dy in the next cb registers, broadcasts in Y15.
func fgc(cb, kb int) {
	name := fgcName(cb, kb)
	acc := func(j, c int) string { return fmt.Sprintf("Y%d", j*cb+c) }
	dr := func(c int) string { return fmt.Sprintf("Y%d", kb*cb+c) }
	fmt.Fprintf(&asm, "// func %s(x *float32, xrs uintptr, dyt *float32, dpix uintptr, nrows, ncols, k int, gacc *float32, gky uintptr)\n", name)
	fmt.Fprintf(&asm, "TEXT ·%s(SB), NOSPLIT, $0-72\n", name)
	p("MOVQ xrs+8(FP), R10")
	p("MOVQ dpix+24(FP), R8")
	p("MOVQ gacc+56(FP), BX")
	p("MOVQ k+48(FP), R14")
	label(name + "_ky")
	for j := 0; j < kb; j++ {
		for c := 0; c < cb; c++ {
			p("VXORPS %s, %s, %s", acc(j, c), acc(j, c), acc(j, c))
		}
	}
	p("MOVQ x+0(FP), AX")
	p("MOVQ dyt+16(FP), DI")
	p("MOVQ nrows+32(FP), R13")
	label(name + "_row")
	p("MOVQ AX, SI")
	p("MOVQ ncols+40(FP), R12")
	label(name + "_col")
	for c := 0; c < cb; c++ {
		p("VMOVUPS %d(DI), %s", 32*c, dr(c))
	}
	for j := 0; j < kb; j++ {
		p("VBROADCASTSS %d(SI), Y15", 4*j)
		for c := 0; c < cb; c++ {
			p("VFMADD231PS %s, Y15, %s", dr(c), acc(j, c))
		}
	}
	p("ADDQ $4, SI")
	p("ADDQ R8, DI")
	p("DECQ R12")
	p("JNZ %s_col", name)
	p("ADDQ R10, AX")
	p("DECQ R13")
	p("JNZ %s_row", name)
	// g[j][c] += acc(j, c), tap j at BX + j·dpix.
	p("MOVQ BX, CX")
	for j := 0; j < kb; j++ {
		for c := 0; c < cb; c++ {
			p("VADDPS %d(CX), %s, %s", 32*c, acc(j, c), acc(j, c))
			p("VMOVUPS %s, %d(CX)", acc(j, c), 32*c)
		}
		if j < kb-1 {
			p("ADDQ R8, CX")
		}
	}
	p("MOVQ x+0(FP), AX")
	p("ADDQ R10, AX")
	p("MOVQ AX, x+0(FP)")
	p("ADDQ gky+64(FP), BX")
	p("DECQ R14")
	p("JNZ %s_ky", name)
	p("VZEROUPPER")
	p("RET")
	asm.WriteString("\n")
}

// fwdZMaxR is the most output rows of the 16-lane spatial forward
// kernels: r·m accumulators, m broadcast weights and an input vector in the
// 32 registers for m ≤ fwdMaxM maps.
const fwdZMaxR = 4

// biasReLU emits v = max(0, v+b) + 0 on the vector register v, with zero
// holding +0: the bits of vec.BiasReLU, whose VMAXPS with 0 first returns
// v for a NaN and whose +0 turns a −0 into +0, as Go's max does.
func biasReLU(v, b, zero string) {
	p("VADDPS %s, %s, %s", b, v, v)
	p("VMAXPS %s, %s, %s", v, zero, v)
	p("VADDPS %s, %s, %s", zero, v, v)
}

func fwdZName(r, m int, masked bool) string {
	return maskedName(fmt.Sprintf("fwdZR%dM%d", r, m), masked)
}

// fwdZ emits the 16-lane (AVX-512) spatial forward kernel for r rows and m
// maps: fwd on 16-column strips (s = 1), the m weights of a tap broadcast
// once into Z(r·m)…, each input row's vector loaded once into Z31 for the
// m maps. Masked, outputs are stored only in the lanes of K1, so that the
// last, partial strip of a row writes nothing past it; its inputs are read
// whole, as the padded plane's rows are round16(Wout)+K−1 floats wide.
func fwdZ(r, m int, masked bool) {
	name := fwdZName(r, m, masked)
	acc := func(ri, mi int) string { return fmt.Sprintf("Z%d", ri*m+mi) }
	wr := func(mi int) string { return fmt.Sprintf("Z%d", r*m+mi) }
	_, k1 := header(name, fwdZArgs, 104, masked)
	p("MOVQ x+0(FP), SI")
	p("MOVQ xrs+8(FP), R8")
	p("LEAQ (R8)(R8*2), R9")
	p("MOVQ y+64(FP), DX")
	p("MOVQ ns+88(FP), R14")
	label(name + "_strip")
	for i := 0; i < r*m; i++ {
		p("VPXORD Z%d, Z%d, Z%d", i, i, i)
	}
	p("MOVQ w+48(FP), CX")
	p("MOVQ wskip+56(FP), R13")
	p("MOVQ SI, DI")
	p("MOVQ cin+24(FP), R10")
	label(name + "_ci")
	p("MOVQ DI, AX")
	p("MOVQ nky+40(FP), R11")
	label(name + "_ky")
	p("MOVQ AX, BX")
	p("MOVQ k+32(FP), R12")
	label(name + "_kx")
	for mi := 0; mi < m; mi++ {
		p("VBROADCASTSS %d(CX), %s", 4*mi, wr(mi))
	}
	for ri := 0; ri < r; ri++ {
		p("VMOVUPS %s, Z31", rowAddr(0, "BX", "R8", "R9", ri))
		for mi := 0; mi < m; mi++ {
			p("VFMADD231PS Z31, %s, %s", wr(mi), acc(ri, mi))
		}
	}
	p("ADDQ $4, BX")
	p("ADDQ $%d, CX", 4*m)
	p("DECQ R12")
	p("JNZ %s_kx", name)
	p("ADDQ R8, AX")
	p("DECQ R11")
	p("JNZ %s_ky", name)
	p("ADDQ R13, CX")
	p("ADDQ xps+16(FP), DI")
	p("DECQ R10")
	p("JNZ %s_ci", name)
	// With biases, map mi's bias into Z30: the weights and input are done.
	p("MOVQ b+96(FP), BX")
	p("TESTQ BX, BX")
	p("JZ %s_store", name)
	p("VPXORD Z31, Z31, Z31")
	for mi := 0; mi < m; mi++ {
		p("VBROADCASTSS %d(BX), Z30", 4*mi)
		for ri := 0; ri < r; ri++ {
			biasReLU(acc(ri, mi), "Z30", "Z31")
		}
	}
	label(name + "_store")
	// Store: map mi at DX + mi·yms, row ri at + ri·yrs.
	p("MOVQ yrs+72(FP), R11")
	p("LEAQ (R11)(R11*2), R12")
	p("MOVQ yms+80(FP), R13")
	p("MOVQ DX, AX")
	for mi := 0; mi < m; mi++ {
		for ri := 0; ri < r; ri++ {
			p("VMOVUPS %s, %s%s", acc(ri, mi), k1, rowAddr(0, "AX", "R11", "R12", ri))
		}
		if mi < m-1 {
			p("ADDQ R13, AX")
		}
	}
	p("ADDQ $64, SI")
	p("ADDQ $64, DX")
	p("DECQ R14")
	p("JNZ %s_strip", name)
	p("VZEROUPPER")
	p("RET")
	asm.WriteString("\n")
}

// fgZMaxM is the largest map block of the 16-lane spatial filter-gradient
// kernels for kb taps: m·kb accumulators, m dy vectors and the input vector
// in the 32 registers.
func fgZMaxM(kb int) int { return 31 / (kb + 1) }

func fgZName(m, kb int, masked bool) string {
	return maskedName(fmt.Sprintf("fgZM%dK%d", m, kb), masked)
}

// fgZ emits the 16-lane (AVX-512) spatial filter-gradient kernel for m maps
// and kb taps: fg on 16-column strips, with lane accumulators of 16 lanes
// (g[mi][ky][j] at gacc + mi·gms + (ky·k+j)·64). Masked, dy is read only
// in the lanes of K1 (zero elsewhere), so that the last, partial strip of a
// row reads nothing past it; the input is read whole (the padded plane's
// rows are round16(Wout)+K−1 floats wide), its lanes past K1 meeting zero
// dy, which keeps those sums +0.
func fgZ(m, kb int, masked bool) {
	name := fgZName(m, kb, masked)
	acc := func(mi, j int) string { return fmt.Sprintf("Z%d", mi*kb+j) }
	dyr := func(mi int) string { return fmt.Sprintf("Z%d", m*kb+mi) }
	mov, k1 := header(name, fgArgs, 80, masked)
	p("MOVQ xrs+8(FP), R10")
	p("MOVQ dyrs+24(FP), R11")
	p("MOVQ dyms+32(FP), R8")
	p("MOVQ gacc+64(FP), BX")
	p("MOVQ gms+72(FP), CX")
	p("MOVQ k+56(FP), R14")
	label(name + "_ky")
	for i := 0; i < m*kb; i++ {
		p("VPXORD Z%d, Z%d, Z%d", i, i, i)
	}
	p("MOVQ x+0(FP), AX")
	p("MOVQ dy+16(FP), DX")
	p("MOVQ nrows+40(FP), R13")
	label(name + "_row")
	p("MOVQ AX, SI")
	p("MOVQ DX, DI")
	p("MOVQ ns+48(FP), R12")
	label(name + "_strip")
	p("MOVQ DI, R9")
	for mi := 0; mi < m; mi++ {
		p("%s (R9), %s%s", mov, k1, dyr(mi))
		if mi < m-1 {
			p("ADDQ R8, R9")
		}
	}
	xr := fmt.Sprintf("Z%d", m*kb+m)
	for j := 0; j < kb; j++ {
		p("VMOVUPS %d(SI), %s", 4*j, xr)
		for mi := 0; mi < m; mi++ {
			p("VFMADD231PS %s, %s, %s", xr, dyr(mi), acc(mi, j))
		}
	}
	p("ADDQ $64, SI")
	p("ADDQ $64, DI")
	p("DECQ R12")
	p("JNZ %s_strip", name)
	p("ADDQ R10, AX")
	p("ADDQ R11, DX")
	p("DECQ R13")
	p("JNZ %s_row", name)
	// g[mi][ky][j] += acc(mi, j), map mi at BX + mi·gms.
	p("MOVQ BX, R12")
	for mi := 0; mi < m; mi++ {
		for j := 0; j < kb; j++ {
			p("VADDPS %d(R12), %s, %s", 64*j, acc(mi, j), acc(mi, j))
			p("VMOVUPS %s, %d(R12)", acc(mi, j), 64*j)
		}
		if mi < m-1 {
			p("ADDQ CX, R12")
		}
	}
	// Next ky: x += xrs, g += k·64.
	p("MOVQ x+0(FP), AX")
	p("ADDQ R10, AX")
	p("MOVQ AX, x+0(FP)")
	p("MOVQ k+56(FP), R12")
	p("SHLQ $6, R12")
	p("ADDQ R12, BX")
	p("DECQ R14")
	p("JNZ %s_ky", name)
	p("VZEROUPPER")
	p("RET")
	asm.WriteString("\n")
}

// fwcZMaxP is the largest pixel block of the 16-lane channel forward
// kernels: np accumulators and the weight vector in the 32 registers.
const fwcZMaxP = 16

func fwcZName(np int) string { return fmt.Sprintf("fwcZP%d", np) }

// fwcZ emits the 16-lane (AVX-512) channel forward kernel for np pixels:
// fwc with one 16-map vector (cb = 1) in zmm registers, each input
// broadcast inside its FMA (embedded broadcast). Registers as fwc's;
// accumulators Z0…Z(np−1), the weight vector in Z31.
func fwcZ(np int) {
	name := fwcZName(np)
	fmt.Fprintf(&asm, "// func %s(x *float32, xrs, xps uintptr, cin, k, nky int, w *float32, wtap, wskip uintptr, y *float32, ypix, yrs uintptr, nrows int)\n", name)
	fmt.Fprintf(&asm, "TEXT ·%s(SB), NOSPLIT, $0-104\n", name)
	p("MOVQ x+0(FP), SI")
	p("MOVQ xrs+8(FP), R8")
	p("MOVQ xps+16(FP), R9")
	p("MOVQ wtap+56(FP), R13")
	p("MOVQ y+72(FP), DX")
	p("MOVQ nrows+96(FP), R14")
	label(name + "_row")
	for pi := 0; pi < np; pi++ {
		p("VPXORD Z%d, Z%d, Z%d", pi, pi, pi)
	}
	p("MOVQ w+48(FP), CX")
	p("MOVQ SI, DI")
	p("MOVQ cin+24(FP), R10")
	label(name + "_ci")
	p("MOVQ DI, AX")
	p("MOVQ nky+40(FP), R11")
	label(name + "_ky")
	p("MOVQ AX, BX")
	p("MOVQ k+32(FP), R12")
	label(name + "_kx")
	p("VMOVUPS (CX), Z31")
	for pi := 0; pi < np; pi++ {
		p("VFMADD231PS.BCST %d(BX), Z31, Z%d", 4*pi, pi)
	}
	p("ADDQ $4, BX")
	p("ADDQ R13, CX")
	p("DECQ R12")
	p("JNZ %s_kx", name)
	p("ADDQ R8, AX")
	p("DECQ R11")
	p("JNZ %s_ky", name)
	p("ADDQ wskip+64(FP), CX")
	p("ADDQ R9, DI")
	p("DECQ R10")
	p("JNZ %s_ci", name)
	p("MOVQ ypix+80(FP), R11")
	p("MOVQ DX, AX")
	for pi := 0; pi < np; pi++ {
		p("VMOVUPS Z%d, (AX)", pi)
		if pi < np-1 {
			p("ADDQ R11, AX")
		}
	}
	p("ADDQ R8, SI")
	p("ADDQ yrs+88(FP), DX")
	p("DECQ R14")
	p("JNZ %s_row", name)
	p("VZEROUPPER")
	p("RET")
	asm.WriteString("\n")
}

// fgcZMaxK is the largest kernel of the 16-lane channel filter-gradient
// kernels: k·k accumulators and the dy vector in the 32 registers.
const fgcZMaxK = 5

func fgcZName(k int) string { return fmt.Sprintf("fgcZK%d", k) }

// fgcZ emits the 16-lane (AVX-512) channel filter-gradient kernel for k×k
// kernels: all k·k taps of one input map against one 16-map vector of dy at
// once, so each dy vector is loaded once per pixel (not once per kernel
// row) and each input value is broadcast straight into its FMA
// (embedded broadcast).
//
// Registers: AX x row, SI x cursor, DI dy cursor, R8 dpix, R10 xrs,
// R11 3·xrs, R12 column counter, R13 row counter, BX g cursor, CX gtap.
// Accumulators Z0…Z(k·k−1) (tap ky·k+kx), dy in Z31.
func fgcZ(k int) {
	name := fgcZName(k)
	rows := []string{"", "(R10*1)", "(R10*2)", "(R11*1)", "(R10*4)"}
	fmt.Fprintf(&asm, "// func %s(x *float32, xrs uintptr, dyt *float32, dpix uintptr, nrows, ncols int, gacc *float32, gtap uintptr)\n", name)
	fmt.Fprintf(&asm, "TEXT ·%s(SB), NOSPLIT, $0-64\n", name)
	p("MOVQ x+0(FP), AX")
	p("MOVQ xrs+8(FP), R10")
	p("LEAQ (R10)(R10*2), R11")
	p("MOVQ dyt+16(FP), DI")
	p("MOVQ dpix+24(FP), R8")
	p("MOVQ nrows+32(FP), R13")
	for t := 0; t < k*k; t++ {
		p("VXORPS Z%d, Z%d, Z%d", t, t, t)
	}
	label(name + "_row")
	p("MOVQ AX, SI")
	p("MOVQ ncols+40(FP), R12")
	label(name + "_col")
	p("VMOVUPS (DI), Z31")
	for ky := 0; ky < k; ky++ {
		for kx := 0; kx < k; kx++ {
			p("VFMADD231PS.BCST %d(SI)%s, Z31, Z%d", 4*kx, rows[ky], ky*k+kx)
		}
	}
	p("ADDQ $4, SI")
	p("ADDQ R8, DI")
	p("DECQ R12")
	p("JNZ %s_col", name)
	p("ADDQ R10, AX")
	p("DECQ R13")
	p("JNZ %s_row", name)
	p("MOVQ gacc+48(FP), BX")
	p("MOVQ gtap+56(FP), CX")
	for t := 0; t < k*k; t++ {
		p("VADDPS (BX), Z%d, Z%d", t, t)
		p("VMOVUPS Z%d, (BX)", t)
		if t < k*k-1 {
			p("ADDQ CX, BX")
		}
	}
	p("VZEROUPPER")
	p("RET")
	asm.WriteString("\n")
}

// Input-gradient kernels: a gather over exactly the taps that meet data.
// InputGrad's padding is k−1−pad on each side, so with the flipped-forward
// formulation most of a small image's taps meet padding, and an 8-column
// strip always spans data, so no tap can be skipped per strip. These
// kernels vectorise over the dy maps instead (the reduction dimension),
// read dy pixel-major (pixel, cop) and compute one dx pixel at a time for
// m ≤ igMaxM input maps: per valid tap row, the valid taps' dy vectors are
// contiguous (kx0…kx1 pixels × cop lanes), and so are the packed weights,
// so the inner loop is a run of vectors with no tap that meets padding.
// The 8 lanes of each of the m sums are reduced once per pixel.
const igMaxM = 6

func igName(m int) string { return fmt.Sprintf("igM%d", m) }

// igZName is the 16-lane (AVX-512) input-gradient kernel for m maps: ig's
// loops on 16-map vectors (dy in Z28/Z29, each sum's upper 8 lanes folded
// onto its lower before the reduction), which need dy maps in whole
// 16-lane vectors and the weights packed per 16-lane vector (igStart).
func igZName(m int) string { return fmt.Sprintf("igZM%d", m) }

// ig emits the input-gradient kernel for m input maps.
//
// Registers: DI dy row base, SI w row base, R8 dyrs, R9 wrs, R10 column
// table cursor, R12 dx cursor, R13 dx plane stride, AX/BX dy/w at the
// current tap row, R14/R11 dy/w cursors, CX tap-row counter, DX vector
// counter (CX, DX scratch when storing). Accumulators Y0…Y(m−1) (even
// vectors) and Ym…Y(2m−1) (odd vectors, so that 2m chains hide the FMA
// latency), dy in Y12/Y13, Y14/Y15 for the reduction.
func ig(m int, z bool) {
	name, v, vb := igName(m), "Y", 32 // vector registers and bytes
	dy0, dy1 := "Y12", "Y13"
	if z {
		name, v, vb = igZName(m), "Z", 64
		dy0, dy1 = "Z28", "Z29"
	}
	fmt.Fprintf(&asm, "// func %s(dy *float32, dyrs uintptr, nky int, w *float32, wrs uintptr, tab *int, npix int, dx *float32, dxms uintptr)\n", name)
	fmt.Fprintf(&asm, "TEXT ·%s(SB), NOSPLIT, $0-72\n", name)
	p("MOVQ dy+0(FP), DI")
	p("MOVQ dyrs+8(FP), R8")
	p("MOVQ w+24(FP), SI")
	p("MOVQ wrs+32(FP), R9")
	p("MOVQ tab+40(FP), R10")
	p("MOVQ dx+56(FP), R12")
	p("MOVQ dxms+64(FP), R13")
	label(name + "_pix")
	for i := 0; i < 2*m; i++ {
		p("VXORPS %s%d, %s%d, %s%d", v, i, v, i, v, i)
	}
	p("MOVQ 16(R10), DX")
	p("TESTQ DX, DX")
	p("JZ %s_red", name)
	p("MOVQ 0(R10), AX")
	p("ADDQ DI, AX")
	p("IMUL3Q $%d, 8(R10), BX", m)
	p("ADDQ SI, BX")
	p("MOVQ nky+16(FP), CX")
	label(name + "_ky")
	p("MOVQ AX, R14")
	p("MOVQ BX, R11")
	p("MOVQ 16(R10), DX")
	p("SHRQ $1, DX")
	if z { // tab counts 8-lane vectors
		p("SHRQ $1, DX")
	}
	p("JZ %s_one", name)
	label(name + "_pair")
	p("VMOVUPS (R14), %s", dy0)
	p("VMOVUPS %d(R14), %s", vb, dy1)
	for mi := 0; mi < m; mi++ {
		p("VFMADD231PS %d(R11), %s, %s%d", vb*mi, dy0, v, mi)
	}
	for mi := 0; mi < m; mi++ {
		p("VFMADD231PS %d(R11), %s, %s%d", vb*(m+mi), dy1, v, m+mi)
	}
	p("ADDQ $%d, R14", 2*vb)
	p("ADDQ $%d, R11", 2*vb*m)
	p("DECQ DX")
	p("JNZ %s_pair", name)
	label(name + "_one")
	p("MOVQ 16(R10), DX")
	if z {
		p("SHRQ $1, DX")
	}
	p("ANDQ $1, DX")
	p("JZ %s_next", name)
	p("VMOVUPS (R14), %s", dy0)
	for mi := 0; mi < m; mi++ {
		p("VFMADD231PS %d(R11), %s, %s%d", vb*mi, dy0, v, mi)
	}
	label(name + "_next")
	p("ADDQ R8, AX")
	p("ADDQ R9, BX")
	p("DECQ CX")
	p("JNZ %s_ky", name)
	label(name + "_red")
	for mi := 0; mi < m; mi++ {
		p("VADDPS %s%d, %s%d, %s%d", v, m+mi, v, mi, v, mi)
		if z { // fold the upper 8 lanes onto the lower
			p("VEXTRACTF32X8 $1, Z%d, Y14", mi)
			p("VADDPS Y14, Y%d, Y%d", mi, mi)
		}
	}
	// dx map q+j at R12 + (q+j)·dxms: CX = 3·dxms, DX = 5·dxms.
	p("LEAQ (R13)(R13*2), CX")
	p("LEAQ (R13)(R13*4), DX")
	addr := []string{"(R12)", "(R12)(R13*1)", "(R12)(R13*2)", "(R12)(CX*1)", "(R12)(R13*4)", "(R12)(DX*1)"}
	for q := 0; q < m; q += 4 {
		y := func(j int) string { return fmt.Sprintf("Y%d", min(q+j, m-1)) }
		p("VHADDPS %s, %s, Y14", y(1), y(0))
		p("VHADDPS %s, %s, Y15", y(3), y(2))
		p("VHADDPS Y15, Y14, Y14")
		p("VEXTRACTF128 $1, Y14, X15")
		p("VADDPS X15, X14, X14")
		for j := 0; j < 4 && q+j < m; j++ {
			if j == 0 {
				p("VMOVSS X14, %s", addr[q+j])
			} else {
				p("VEXTRACTPS $%d, X14, %s", j, addr[q+j])
			}
		}
	}
	p("ADDQ $24, R10")
	p("ADDQ $4, R12")
	p("DECQ npix+48(FP)")
	p("JNZ %s_pix", name)
	p("VZEROUPPER")
	p("RET")
	asm.WriteString("\n")
}

// Transposes of 16×16 blocks (AVX-512F). The channel kernels work on
// pixel-major buffers (pixel, map) and the layers hand over and take back
// map-major ones (map, pixel); a scalar loop that moves one float at a
// time cost C3 a seventh of its backward pass. These move 16 maps × 16
// pixels per block: 16 loads, 64 shuffles, 16 stores.

// transpose16 emits the in-register transpose of Z0…Z15 (row i in Zi) into
// Z0…Z15 (column c in Zc), through Z16…Z31.
func transpose16() {
	// Pairs of rows, interleaved within each 128-bit lane: Z16+2j holds
	// rows 2j, 2j+1 at the lane's columns 0, 1; Z17+2j at columns 2, 3.
	for j := 0; j < 8; j++ {
		p("VUNPCKLPS Z%d, Z%d, Z%d", 2*j+1, 2*j, 16+2*j)
		p("VUNPCKHPS Z%d, Z%d, Z%d", 2*j+1, 2*j, 17+2*j)
	}
	// Quads of rows: Z(4g+q)'s lane L holds rows 4g…4g+3 at column 4L+q.
	for g := 0; g < 4; g++ {
		t := 16 + 4*g
		p("VUNPCKLPD Z%d, Z%d, Z%d", t+2, t, 4*g)
		p("VUNPCKHPD Z%d, Z%d, Z%d", t+2, t, 4*g+1)
		p("VUNPCKLPD Z%d, Z%d, Z%d", t+3, t+1, 4*g+2)
		p("VUNPCKHPD Z%d, Z%d, Z%d", t+3, t+1, 4*g+3)
	}
	// Column 4L+q gathers lane L of Zq, Z4+q, Z8+q, Z12+q: a 4×4
	// transpose of 128-bit lanes, in two rounds of VSHUFF32X4.
	for q := 0; q < 4; q++ {
		v := 16 + 4*q
		p("VSHUFF32X4 $0x44, Z%d, Z%d, Z%d", 4+q, q, v)
		p("VSHUFF32X4 $0xEE, Z%d, Z%d, Z%d", 4+q, q, v+1)
		p("VSHUFF32X4 $0x44, Z%d, Z%d, Z%d", 12+q, 8+q, v+2)
		p("VSHUFF32X4 $0xEE, Z%d, Z%d, Z%d", 12+q, 8+q, v+3)
	}
	for q := 0; q < 4; q++ {
		v := 16 + 4*q
		p("VSHUFF32X4 $0x88, Z%d, Z%d, Z%d", v+2, v, q)
		p("VSHUFF32X4 $0xDD, Z%d, Z%d, Z%d", v+2, v, 4+q)
		p("VSHUFF32X4 $0x88, Z%d, Z%d, Z%d", v+3, v+1, 8+q)
		p("VSHUFF32X4 $0xDD, Z%d, Z%d, Z%d", v+3, v+1, 12+q)
	}
}

// trArgs are the arguments of both transposes; toMapMajor16 also takes
// the biases of its 16 maps, or nil: with them, it stores max(0, y+b)+0
// (biasReLU).
const (
	trArgs    = "src *float32, srs uintptr, n int, dst *float32, drs uintptr"
	trMapArgs = trArgs + ", b *float32"
)

// transposes emits toPixelMajor16 (16 rows of n floats, row i at src +
// i·srs bytes, to n rows of 16, row j at dst + j·drs) and toMapMajor16 (n
// rows of 16 to 16 rows of n). The last partial block reads (and, for
// toMapMajor16, writes) only its columns, with a K mask.
func transposes() {
	// rows16 emits 16 moves, one a row through the pointer ptr advancing
	// by stride; move formats one with the register's number, and after
	// each, if stop, CX counts the rows down and the routine ends at 0.
	rows16 := func(move, ptr, stride, stop string) {
		for i := 0; i < 16; i++ {
			p(move, i)
			p("ADDQ %s, %s", stride, ptr)
			if stop != "" {
				p("DECQ CX")
				p("JZ %s", stop)
			}
		}
	}
	// epilogue emits, for toMapMajor16 with biases (R10), biasReLU on the
	// 16 rows of the block, map c in Zc.
	epilogue := func(name, l string) {
		p("TESTQ R10, R10")
		p("JZ %s_%s", name, l)
		p("VPXORD Z16, Z16, Z16")
		for c := 0; c < 16; c++ {
			p("VBROADCASTSS %d(R10), Z17", 4*c)
			biasReLU(fmt.Sprintf("Z%d", c), "Z17", "Z16")
		}
		label(name + "_" + l)
	}
	for _, toPix := range []bool{true, false} {
		name, args, frame := "toMapMajor16", trMapArgs, 48
		if toPix {
			name, args, frame = "toPixelMajor16", trArgs, 40
		}
		fmt.Fprintf(&asm, "// func %s(%s)\n", name, args)
		fmt.Fprintf(&asm, "TEXT ·%s(SB), NOSPLIT, $0-%d\n", name, frame)
		if !toPix {
			p("MOVQ b+40(FP), R10")
		}
		p("MOVQ src+0(FP), SI")
		p("MOVQ srs+8(FP), R8")
		p("MOVQ n+16(FP), CX")
		p("MOVQ dst+24(FP), DI")
		p("MOVQ drs+32(FP), R9")
		label(name + "_block")
		p("CMPQ CX, $16")
		p("JLT %s_tail", name)
		p("MOVQ SI, AX")
		rows16("VMOVUPS (AX), Z%d", "AX", "R8", "")
		transpose16()
		if !toPix {
			epilogue(name, "store")
		}
		p("MOVQ DI, BX")
		rows16("VMOVUPS Z%d, (BX)", "BX", "R9", "")
		if toPix { // the next 16 columns of the rows; the next 16 rows of dst
			p("ADDQ $64, SI")
			p("MOVQ BX, DI")
		} else { // the next 16 rows of src; the next 16 columns of the rows
			p("MOVQ AX, SI")
			p("ADDQ $64, DI")
		}
		p("SUBQ $16, CX")
		p("JMP %s_block", name)
		label(name + "_tail")
		p("TESTQ CX, CX")
		p("JZ %s_done", name)
		p("MOVQ $1, DX")
		p("SHLQ CX, DX")
		p("DECQ DX")
		p("KMOVW DX, K1")
		p("MOVQ SI, AX")
		if toPix { // all 16 rows, the first CX columns; store CX rows
			rows16("VMOVUPS (AX), K1, Z%d", "AX", "R8", "")
			transpose16()
			p("MOVQ DI, BX")
			rows16("VMOVUPS Z%d, (BX)", "BX", "R9", name+"_done")
		} else { // the first CX rows; store the first CX columns of 16 rows
			rows16("VMOVUPS (AX), Z%d", "AX", "R8", name+"_loaded")
			label(name + "_loaded")
			transpose16()
			epilogue(name, "storetail")
			p("MOVQ DI, BX")
			rows16("VMOVUPS Z%d, K1, (BX)", "BX", "R9", "")
		}
		label(name + "_done")
		p("VZEROUPPER")
		p("RET")
		asm.WriteString("\n")
		g("// %s needs AVX-512F; see transposes in gen_kernel.go.", name)
		decl(name, args, false)
	}
}

// copyRowsArgs are copyRows's arguments.
const copyRowsArgs = "dst *float32, drs uintptr, src *float32, srs uintptr, rows, n int"

// copyRows emits copyRows (AVX-512F): n floats of each of rows rows from
// src (row stride srs bytes) to dst (row stride drs), 16 at a time and the
// last 0–15 with a K mask, so that it neither reads nor writes past a row.
// It copies a sample's maps into the zero-padded planes (padInput): a
// call of memmove a row cost more than the move itself for rows of 28.
func copyRows() {
	fmt.Fprintf(&asm, "// func copyRows(%s)\n", copyRowsArgs)
	fmt.Fprintf(&asm, "TEXT ·copyRows(SB), NOSPLIT, $0-48\n")
	p("MOVQ dst+0(FP), DI")
	p("MOVQ drs+8(FP), R8")
	p("MOVQ src+16(FP), SI")
	p("MOVQ srs+24(FP), R9")
	p("MOVQ rows+32(FP), R10")
	p("MOVQ n+40(FP), R11")
	p("MOVQ R11, CX") // K1: the last n mod 16 floats
	p("ANDQ $15, CX")
	p("MOVL $1, AX")
	p("SHLQ CX, AX")
	p("DECQ AX")
	p("KMOVW AX, K1")
	p("SHRQ $4, R11") // whole vectors a row
	label("copyRows_row")
	p("XORQ AX, AX")
	p("MOVQ R11, CX")
	p("TESTQ CX, CX")
	p("JZ copyRows_tail")
	label("copyRows_vec")
	p("VMOVUPS (SI)(AX*1), Z0")
	p("VMOVUPS Z0, (DI)(AX*1)")
	p("ADDQ $64, AX")
	p("DECQ CX")
	p("JNZ copyRows_vec")
	label("copyRows_tail")
	p("VMOVUPS.Z (SI)(AX*1), K1, Z0")
	p("VMOVUPS Z0, K1, (DI)(AX*1)")
	p("ADDQ R8, DI")
	p("ADDQ R9, SI")
	p("DECQ R10")
	p("JNZ copyRows_row")
	p("VZEROUPPER")
	p("RET")
	asm.WriteString("\n")
	g("// copyRows needs AVX-512F; see copyRows in gen_kernel.go. rows must be")
	g("// positive.")
	decl("copyRows", copyRowsArgs, false)
}

func main() {
	asm.WriteString("// Code generated by gen_kernel.go; DO NOT EDIT.\n\n")
	asm.WriteString("//go:build !noasm && !gccgo && !safe\n\n")
	asm.WriteString("#include \"textflag.h\"\n\n")

	g("// Code generated by gen_kernel.go; DO NOT EDIT.\n")
	g("//go:build !noasm && !gccgo && !safe\n")
	g("package dconv\n")
	g("const (\n\tfwdMaxM = %d\n\tfgMaxKB = %d\n)\n", fwdMaxM, fgMaxKB)
	g("// fgMaxM[kb] is the largest map block of the filter-gradient kernels with kb taps.")
	fmt.Fprintf(&gos, "var fgMaxM = [...]int{0")
	for kb := 1; kb <= fgMaxKB; kb++ {
		fmt.Fprintf(&gos, ", %d", fgMaxMFor(kb))
	}
	g("}\n")

	g("// fwdPref[m] is the preferred rows and strips of the forward kernels for m maps.")
	fmt.Fprintf(&gos, "var fwdPref = [...][2]int{{0, 0}")
	for m := 1; m <= fwdMaxM; m++ {
		r, st := fwdPref(m)
		fmt.Fprintf(&gos, ", {%d, %d}", r, st)
	}
	g("}\n")
	type rms struct{ r, m, s int }
	var ks []rms
	for s := 1; s <= fwdMaxS; s++ {
		for r := 1; r <= fwdMaxR; r++ {
			for m := 1; m <= fwdMaxM; m++ {
				if fwdOK(r, m, s) {
					ks = append(ks, rms{r, m, s})
				}
			}
		}
	}
	for _, c := range ks {
		fwd(c.r, c.m, c.s, false)
		decl(fwdName(c.r, c.m, c.s, false), fwdArgs, false)
		if c.s == 1 {
			fwd(c.r, c.m, c.s, true)
			decl(fwdName(c.r, c.m, c.s, true), fwdArgs, true)
		}
	}
	g("// fwdKern dispatches to the forward kernel for r rows, m maps and s strips:")
	g("// for each of ns groups of s 8-wide strips (x and y advance 32·s bytes per")
	g("// group), row ri < r, strip si < s and map mi < m, it stores at")
	g("// y + ri·yrs + mi·yms + si·32")
	g("//")
	g("//\tΣ_ci<cin Σ_ky<nky Σ_kx<k w[ci·(nky·k·m·4+wskip) + ((ky·k+kx)·m+mi)·4] · x[ci·xps + (ri+ky)·xrs + (kx+8·si+lane)·4]")
	g("//")
	g("// (byte offsets); nky ≤ k rows of each kernel are used and wskip skips the")
	g("// rest. cin, k, nky and ns must be positive; (r, m, s) must be a generated")
	g("// combination (r·m·s ≤ 12; r ≤ 2 and s = 1 when m ≥ 4).")
	g("func fwdKern(r, m, s int, x *float32, xrs, xps uintptr, cin, k, nky int, w *float32, wskip uintptr, y *float32, yrs, yms uintptr, ns int) {")
	g("switch (s*8+r)*8 + m {")
	for _, c := range ks {
		g("case %d:\n%s(x, xrs, xps, cin, k, nky, w, wskip, y, yrs, yms, ns)", (c.s*8+c.r)*8+c.m, fwdName(c.r, c.m, c.s, false))
	}
	g("default:\npanic(\"dconv: no forward kernel\")\n}\n}\n")
	g("// fwdKernMask is fwdKern with s = 1 storing only the lanes whose bit is")
	g("// set in mask (bit l for lane l). It needs AVX-512F and AVX-512VL.")
	g("func fwdKernMask(r, m int, x *float32, xrs, xps uintptr, cin, k, nky int, w *float32, wskip uintptr, y *float32, yrs, yms uintptr, ns int, mask uint64) {")
	g("switch r*8 + m {")
	for _, c := range ks {
		if c.s == 1 {
			g("case %d:\n%s(x, xrs, xps, cin, k, nky, w, wskip, y, yrs, yms, ns, mask)", c.r*8+c.m, fwdName(c.r, c.m, c.s, true))
		}
	}
	g("default:\npanic(\"dconv: no forward kernel\")\n}\n}\n")

	for kb := 1; kb <= fgMaxKB; kb++ {
		for m := 1; m <= fgMaxMFor(kb); m++ {
			fg(m, kb, false)
			fg(m, kb, true)
			decl(fgName(m, kb, false), fgArgs, false)
			decl(fgName(m, kb, true), fgArgs, true)
		}
	}
	g("// fgKern dispatches to the filter-gradient kernel for m maps and kb taps:")
	g("// for ky < k, mi < m, j < kb and each lane it adds to gacc[mi·gms + ky·k·32 + j·32 + lane·4]")
	g("//")
	g("//\tΣ_row<nrows Σ_strip<ns dy[mi·dyms + row·dyrs + strip·32 + lane·4] · x[(row+ky)·xrs + strip·32 + (j+lane)·4].")
	g("func fgKern(m, kb int, x *float32, xrs uintptr, dy *float32, dyrs, dyms uintptr, nrows, ns, k int, gacc *float32, gms uintptr) {")
	g("switch kb*8 + m {")
	for kb := 1; kb <= fgMaxKB; kb++ {
		for m := 1; m <= fgMaxMFor(kb); m++ {
			g("case %d:\n%s(x, xrs, dy, dyrs, dyms, nrows, ns, k, gacc, gms)", kb*8+m, fgName(m, kb, false))
		}
	}
	g("default:\npanic(\"dconv: no filter-gradient kernel\")\n}\n}\n")
	g("// fgKernMask is fgKern reading dy only in the lanes whose bit is set in")
	g("// mask (bit l for lane l; the other lanes count as zero). It needs")
	g("// AVX-512F and AVX-512VL.")
	g("func fgKernMask(m, kb int, x *float32, xrs uintptr, dy *float32, dyrs, dyms uintptr, nrows, ns, k int, gacc *float32, gms uintptr, mask uint64) {")
	g("switch kb*8 + m {")
	for kb := 1; kb <= fgMaxKB; kb++ {
		for m := 1; m <= fgMaxMFor(kb); m++ {
			g("case %d:\n%s(x, xrs, dy, dyrs, dyms, nrows, ns, k, gacc, gms, mask)", kb*8+m, fgName(m, kb, true))
		}
	}
	g("default:\npanic(\"dconv: no filter-gradient kernel\")\n}\n}")

	g("// fwcMaxP[cb] is the largest pixel block of the channel forward kernels with cb map vectors.")
	fmt.Fprintf(&gos, "var fwcMaxP = [...]int{0")
	for cb := 1; cb < len(fwcMaxP); cb++ {
		fmt.Fprintf(&gos, ", %d", fwcMaxP[cb])
	}
	g("}\n")
	g("// fwcMaxP512[cb] is fwcMaxP with the 32 vector registers of AVX-512VL.")
	fmt.Fprintf(&gos, "var fwcMaxP512 = [...]int{0")
	for cb := 1; cb < len(fwcMaxP512); cb++ {
		fmt.Fprintf(&gos, ", %d", fwcMaxP512[cb])
	}
	g("}\n")
	for cb := 1; cb < len(fwcMaxP); cb++ {
		for np := 1; np <= fwcMaxP512[cb]; np++ {
			fwc(cb, np)
			g("//go:noescape")
			g("func %s(x *float32, xrs, xps uintptr, cin, k, nky int, w *float32, wtap, wskip uintptr, y *float32, ypix, yrs uintptr, nrows int)\n", fwcName(cb, np))
		}
	}
	g("// fwcKern dispatches to the channel forward kernel for cb map vectors and")
	g("// np pixels: for each of nrows rows (x advances xrs, y yrs bytes per row),")
	g("// pixel pi < np and map lane l < 8·cb it stores at y + pi·ypix + l·4")
	g("//")
	g("//\tΣ_ci<cin Σ_ky<nky Σ_kx<k w[ci·(nky·k·wtap+wskip) + (ky·k+kx)·wtap + l·4] · x[ci·xps + ky·xrs + (kx+pi)·4]")
	g("//")
	g("// (byte offsets). cin, k and nky must be positive. np > fwcMaxP[cb] needs")
	g("// AVX-512F and AVX-512VL.")
	g("func fwcKern(cb, np int, x *float32, xrs, xps uintptr, cin, k, nky int, w *float32, wtap, wskip uintptr, y *float32, ypix, yrs uintptr, nrows int) {")
	g("switch cb*16 + np {")
	for cb := 1; cb < len(fwcMaxP); cb++ {
		for np := 1; np <= fwcMaxP512[cb]; np++ {
			g("case %d:\n%s(x, xrs, xps, cin, k, nky, w, wtap, wskip, y, ypix, yrs, nrows)", cb*16+np, fwcName(cb, np))
		}
	}
	g("default:\npanic(\"dconv: no channel forward kernel\")\n}\n}\n")

	g("// fgcMaxCB[kb] is the largest map-vector block of the channel filter-gradient kernels with kb taps.")
	fmt.Fprintf(&gos, "var fgcMaxCB = [...]int{0")
	for kb := 1; kb < len(fgcMaxCB); kb++ {
		fmt.Fprintf(&gos, ", %d", fgcMaxCB[kb])
	}
	g("}\n")
	for kb := 1; kb < len(fgcMaxCB); kb++ {
		for cb := 1; cb <= fgcMaxCB[kb]; cb++ {
			fgc(cb, kb)
			g("//go:noescape")
			g("func %s(x *float32, xrs uintptr, dyt *float32, dpix uintptr, nrows, ncols, k int, gacc *float32, gky uintptr)\n", fgcName(cb, kb))
		}
	}
	g("// fgcKern dispatches to the channel filter-gradient kernel for cb map")
	g("// vectors and kb taps: for ky < k, j < kb and map lane l < 8·cb it adds to")
	g("// gacc[ky·gky + j·dpix + l·4]")
	g("//")
	g("//\tΣ_row<nrows Σ_col<ncols dyt[(row·ncols+col)·dpix + l·4] · x[(row+ky)·xrs + (col+j)·4]")
	g("//")
	g("// (byte offsets).")
	g("func fgcKern(cb, kb int, x *float32, xrs uintptr, dyt *float32, dpix uintptr, nrows, ncols, k int, gacc *float32, gky uintptr) {")
	g("switch kb*8 + cb {")
	for kb := 1; kb < len(fgcMaxCB); kb++ {
		for cb := 1; cb <= fgcMaxCB[kb]; cb++ {
			g("case %d:\n%s(x, xrs, dyt, dpix, nrows, ncols, k, gacc, gky)", kb*8+cb, fgcName(cb, kb))
		}
	}
	g("default:\npanic(\"dconv: no channel filter-gradient kernel\")\n}\n}")

	g("// fwdZMaxR is the most output rows of the 16-lane spatial forward kernels.")
	g("const fwdZMaxR = %d\n", fwdZMaxR)
	for r := 1; r <= fwdZMaxR; r++ {
		for m := 1; m <= fwdMaxM; m++ {
			fwdZ(r, m, false)
			fwdZ(r, m, true)
			decl(fwdZName(r, m, false), fwdZArgs, false)
			decl(fwdZName(r, m, true), fwdZArgs, true)
		}
	}
	g("// fwdZKern is fwdKern with s = 1 on 16-column strips (AVX-512F): ns")
	g("// strips of 16 output columns, r ≤ fwdZMaxR rows, m ≤ fwdMaxM maps.")
	g("// Unless b is nil, it stores max(0, y+b[mi])+0 for map mi (vec.BiasReLU).")
	g("func fwdZKern(r, m int, %s) {", fwdZArgs)
	g("switch r*8 + m {")
	for r := 1; r <= fwdZMaxR; r++ {
		for m := 1; m <= fwdMaxM; m++ {
			g("case %d:\n%s(x, xrs, xps, cin, k, nky, w, wskip, y, yrs, yms, ns, b)", r*8+m, fwdZName(r, m, false))
		}
	}
	g("default:\npanic(\"dconv: no 16-lane forward kernel\")\n}\n}\n")
	g("// fwdZKernMask is fwdZKern storing outputs only in the lanes whose bit")
	g("// is set in mask.")
	g("func fwdZKernMask(r, m int, %s, mask uint64) {", fwdZArgs)
	g("switch r*8 + m {")
	for r := 1; r <= fwdZMaxR; r++ {
		for m := 1; m <= fwdMaxM; m++ {
			g("case %d:\n%s(x, xrs, xps, cin, k, nky, w, wskip, y, yrs, yms, ns, b, mask)", r*8+m, fwdZName(r, m, true))
		}
	}
	g("default:\npanic(\"dconv: no 16-lane forward kernel\")\n}\n}\n")

	g("// fgZMaxM[kb] is the largest map block of the 16-lane spatial filter-gradient kernels with kb taps.")
	fmt.Fprintf(&gos, "var fgZMaxM = [...]int{0")
	for kb := 1; kb <= fgMaxKB; kb++ {
		fmt.Fprintf(&gos, ", %d", fgZMaxM(kb))
	}
	g("}\n")
	for kb := 1; kb <= fgMaxKB; kb++ {
		for m := 1; m <= fgZMaxM(kb); m++ {
			fgZ(m, kb, false)
			fgZ(m, kb, true)
			decl(fgZName(m, kb, false), fgArgs, false)
			decl(fgZName(m, kb, true), fgArgs, true)
		}
	}
	g("// fgZKern is fgKern on 16-column strips with 16-lane accumulators")
	g("// (AVX-512F): for ky < k, mi < m, j < kb and lane l < 16 it adds to")
	g("// gacc[mi·gms + (ky·k+j)·64 + l·4]")
	g("//")
	g("//\tΣ_row<nrows Σ_strip<ns dy[mi·dyms + row·dyrs + strip·64 + l·4] · x[(row+ky)·xrs + strip·64 + (j+l)·4].")
	g("func fgZKern(m, kb int, x *float32, xrs uintptr, dy *float32, dyrs, dyms uintptr, nrows, ns, k int, gacc *float32, gms uintptr) {")
	g("switch kb*16 + m {")
	for kb := 1; kb <= fgMaxKB; kb++ {
		for m := 1; m <= fgZMaxM(kb); m++ {
			g("case %d:\n%s(x, xrs, dy, dyrs, dyms, nrows, ns, k, gacc, gms)", kb*16+m, fgZName(m, kb, false))
		}
	}
	g("default:\npanic(\"dconv: no 16-lane filter-gradient kernel\")\n}\n}\n")
	g("// fgZKernMask is fgZKern reading dy and x only in the lanes whose bit is")
	g("// set in mask (the others count as zero).")
	g("func fgZKernMask(m, kb int, x *float32, xrs uintptr, dy *float32, dyrs, dyms uintptr, nrows, ns, k int, gacc *float32, gms uintptr, mask uint64) {")
	g("switch kb*16 + m {")
	for kb := 1; kb <= fgMaxKB; kb++ {
		for m := 1; m <= fgZMaxM(kb); m++ {
			g("case %d:\n%s(x, xrs, dy, dyrs, dyms, nrows, ns, k, gacc, gms, mask)", kb*16+m, fgZName(m, kb, true))
		}
	}
	g("default:\npanic(\"dconv: no 16-lane filter-gradient kernel\")\n}\n}\n")

	g("// fwcZMaxP is the largest pixel block of the 16-lane channel forward kernels.")
	g("const fwcZMaxP = %d\n", fwcZMaxP)
	for np := 1; np <= fwcZMaxP; np++ {
		fwcZ(np)
		g("//go:noescape")
		g("func %s(x *float32, xrs, xps uintptr, cin, k, nky int, w *float32, wtap, wskip uintptr, y *float32, ypix, yrs uintptr, nrows int)\n", fwcZName(np))
	}
	g("// fwcZKern is fwcKern with one 16-lane map vector (AVX-512F): lanes l < 16.")
	g("func fwcZKern(np int, x *float32, xrs, xps uintptr, cin, k, nky int, w *float32, wtap, wskip uintptr, y *float32, ypix, yrs uintptr, nrows int) {")
	g("switch np {")
	for np := 1; np <= fwcZMaxP; np++ {
		g("case %d:\n%s(x, xrs, xps, cin, k, nky, w, wtap, wskip, y, ypix, yrs, nrows)", np, fwcZName(np))
	}
	g("default:\npanic(\"dconv: no 16-lane channel forward kernel\")\n}\n}\n")

	g("// fgcZMaxK is the largest kernel of the 16-lane channel filter-gradient kernels.")
	g("const fgcZMaxK = %d\n", fgcZMaxK)
	for k := 1; k <= fgcZMaxK; k++ {
		fgcZ(k)
		g("//go:noescape")
		g("func %s(x *float32, xrs uintptr, dyt *float32, dpix uintptr, nrows, ncols int, gacc *float32, gtap uintptr)\n", fgcZName(k))
	}
	g("// fgcZKern dispatches to the 16-lane channel filter-gradient kernel for")
	g("// k×k kernels: for ky, kx < k and map lane l < 16 it adds to")
	g("// gacc[(ky·k+kx)·gtap + l·4]")
	g("//")
	g("//\tΣ_row<nrows Σ_col<ncols dyt[(row·ncols+col)·dpix + l·4] · x[(row+ky)·xrs + (col+kx)·4]")
	g("//")
	g("// (byte offsets). nrows and ncols must be positive. It needs AVX-512F.")
	g("func fgcZKern(k int, x *float32, xrs uintptr, dyt *float32, dpix uintptr, nrows, ncols int, gacc *float32, gtap uintptr) {")
	g("switch k {")
	for k := 1; k <= fgcZMaxK; k++ {
		g("case %d:\n%s(x, xrs, dyt, dpix, nrows, ncols, gacc, gtap)", k, fgcZName(k))
	}
	g("default:\npanic(\"dconv: no 16-lane channel filter-gradient kernel\")\n}\n}\n")

	g("// igMaxM is the largest map block of the input-gradient kernels.")
	g("const igMaxM = %d\n", igMaxM)
	for m := 1; m <= igMaxM; m++ {
		ig(m, false)
		ig(m, true)
		g("//go:noescape")
		g("func %s(dy *float32, dyrs uintptr, nky int, w *float32, wrs uintptr, tab *int, npix int, dx *float32, dxms uintptr)\n", igName(m))
		g("//go:noescape")
		g("func %s(dy *float32, dyrs uintptr, nky int, w *float32, wrs uintptr, tab *int, npix int, dx *float32, dxms uintptr)\n", igZName(m))
	}
	g("// igKern dispatches to the input-gradient kernel for m maps: for each of")
	g("// npix pixels p (dx advances 4 bytes per pixel, tab 3 ints), with")
	g("// (dyoff, woff, nv) = tab[3p:3p+3], it stores at dx + p·4 + mi·dxms for mi < m")
	g("//")
	g("//\tΣ_ky<nky Σ_v<nv dy[dyoff + ky·dyrs + v·32 + l·4] · w[m·woff + ky·wrs + (v·m+mi)·32 + l·4]")
	g("//")
	g("// summed over the lanes l < 8 (byte offsets). nky must be positive; nv may be 0.")
	g("func igKern(m int, dy *float32, dyrs uintptr, nky int, w *float32, wrs uintptr, tab *int, npix int, dx *float32, dxms uintptr) {")
	g("switch m {")
	for m := 1; m <= igMaxM; m++ {
		g("case %d:\n%s(dy, dyrs, nky, w, wrs, tab, npix, dx, dxms)", m, igName(m))
	}
	g("default:\npanic(\"dconv: no input-gradient kernel\")\n}\n}")
	g("// igZKern is igKern on 16-lane vectors (AVX-512F): v counts pairs of")
	g("// the table's 8-lane vectors (nv must be even) and the weights of a tap")
	g("// are packed (v·m+mi)·64 + l·4 for lanes l < 16.")
	g("func igZKern(m int, dy *float32, dyrs uintptr, nky int, w *float32, wrs uintptr, tab *int, npix int, dx *float32, dxms uintptr) {")
	g("switch m {")
	for m := 1; m <= igMaxM; m++ {
		g("case %d:\n%s(dy, dyrs, nky, w, wrs, tab, npix, dx, dxms)", m, igZName(m))
	}
	g("default:\npanic(\"dconv: no 16-lane input-gradient kernel\")\n}\n}")

	transposes()
	copyRows()

	src, err := format.Source(gos.Bytes())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Stdout.Write(gos.Bytes())
		os.Exit(1)
	}
	if err := os.WriteFile("kernel_amd64.s", asm.Bytes(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := os.WriteFile("kernel_amd64.go", src, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
