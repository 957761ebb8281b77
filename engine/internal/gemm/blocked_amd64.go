//go:build !noasm && !gccgo && !safe

package gemm

import "sync/atomic"

// Blocking parameters. mr×nr is the register tile of the micro-kernel;
// an A block of mcMax×kcMax (72 KiB) stays in L2 and a B micro-panel of
// kcMax×nr (16 KiB) in L1.
const (
	mr    = 6
	nr    = 16
	kcMax = 256
	mcMax = 72 // multiple of mr
)

// workspace holds the pack buffers of one Sgemm call.
type workspace struct {
	a     [mcMax * kcMax]float32 // packed A block: micro-panel q at q*mr*kc, (r, p) at p*mr+r
	aEdge [mr * kcMax]float32    // zero-padded last partial A micro-panel
	b     [kcMax * nr]float32    // packed B micro-panel: (p, j) at p*nr+j
	tile  [mr * nr]float32       // partial C tile
}

// wsSlot is a workspace claimed by CAS on busy; the padding keeps the flags
// of neighbouring slots off the workspace's cache lines.
type wsSlot struct {
	busy atomic.Uint32
	_    [60]byte
	ws   workspace
}

// maskTable[nr-nb:] starts with the column mask of an nb-wide tile.
var maskTable = [2 * nr]int32{-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1}

// wsPool is a fixed set of workspaces so that concurrent calls neither
// allocate nor zero ~90 KiB of stack each time.
var wsPool [8]wsSlot

func sgemmAsm(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) bool {
	if !useAsm || small(m, n, k) {
		return false
	}
	if n == 1 && !transA && (transB || ldb == 1) && k >= 8 {
		gemv(m, k, a, lda, b, beta, c, ldc)
		return true
	}
	for i := range wsPool {
		s := &wsPool[i]
		if s.busy.Load() == 0 && s.busy.CompareAndSwap(0, 1) {
			blocked(&s.ws, transA, transB, m, n, k, a, lda, b, ldb, beta, c, ldc)
			s.busy.Store(0)
			return true
		}
	}
	blockedStack(transA, transB, m, n, k, a, lda, b, ldb, beta, c, ldc)
	return true
}

// small reports whether the Go path is faster than the blocked one.
func small(m, n, k int) bool {
	return m*n*k < asmMinWork
}

// gemv computes the n = 1 product c[i·ldc] = A[i,:]·x + beta·c[i·ldc] for
// row-major A and contiguous x, eight rows at a time.
func gemv(m, k int, a []float32, lda int, x []float32, beta float32, c []float32, ldc int) {
	x = x[:k]
	k8 := k &^ 7
	var out [8]float32
	i := 0
	for ; i+8 <= m; i += 8 {
		dot8AVX2(k8/8, &a[i*lda], uintptr(lda)*4, &x[0], &out)
		for r, s := range out {
			if k8 < k {
				s += dot(x[k8:], a[(i+r)*lda+k8:])
			}
			setC(c, (i+r)*ldc, s, beta)
		}
	}
	for ; i < m; i++ {
		setC(c, i*ldc, dot(x, a[i*lda:]), beta)
	}
}

// setC stores s + beta·c[i] into c[i], not reading c[i] when beta is 0.
func setC(c []float32, i int, s, beta float32) {
	if beta != 0 {
		s += beta * c[i]
	}
	c[i] = s
}

// blockedStack runs blocked with a workspace on the stack; it is the
// fallback when every pool slot is taken.
func blockedStack(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	var ws workspace
	blocked(&ws, transA, transB, m, n, k, a, lda, b, ldb, beta, c, ldc)
}

// blocked is the GotoBLAS-style loop nest: k blocks (pc), m blocks (ic),
// B micro-panels (jc), A micro-panels (ir), micro-kernel.
func blocked(ws *workspace, transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	t := tile{ws: ws, transA: transA, packA: n > 2*nr, a: a, lda: lda, c: c, ldc: ldc}
	for pc := 0; pc < k; pc += kcMax {
		t.pc, t.kc = pc, min(kcMax, k-pc)
		t.bet = beta
		if pc > 0 {
			t.bet = 1
		}
		for ic := 0; ic < m; ic += mcMax {
			t.ic, t.mc = ic, min(mcMax, m-ic)
			mFull := t.mc - t.mc%mr // rows covered by full micro-panels
			if t.packA {
				packABlock(ws.a[:], transA, a, lda, ic, pc, t.mc, t.kc)
			} else if mFull < t.mc {
				packAPanel(ws.aEdge[:], transA, a, lda, ic+mFull, pc, t.mc-mFull, t.kc)
			}
			for jc := 0; jc < n; jc += nr {
				t.jc, t.nb = jc, min(nr, n-jc)
				if !transB && t.nb == nr {
					t.bp, t.rsB = &b[pc*ldb+jc], uintptr(ldb)*4
				} else {
					packBPanel(ws.b[:], transB, b, ldb, pc, jc, t.kc, t.nb)
					t.bp, t.rsB = &ws.b[0], nr*4
				}
				for ir := 0; ir < t.mc; {
					ir += t.micro(ir)
				}
			}
		}
	}
}

// tile is where blocked is: the k block from pc (kc deep, C scaled by bet
// before it), the m block from ic (mc rows) and the B micro-panel bp (nb
// columns from jc, rows rsB bytes apart), of the product into c.
type tile struct {
	ws            *workspace
	transA, packA bool
	a             []float32
	lda           int
	c             []float32
	ldc           int
	pc, kc        int
	bet           float32
	ic, mc        int
	jc, nb        int
	bp            *float32
	rsB           uintptr
}

// aPanel returns the address and strides of the A micro-panel at row ir of
// the m block: packed, the zero-padded partial panel, or in place.
func (t *tile) aPanel(ir int) (*float32, uintptr, uintptr) {
	switch {
	case t.packA:
		return &t.ws.a[ir*t.kc], 4, mr * 4
	case t.mc-ir < mr:
		return &t.ws.aEdge[0], 4, mr * 4
	case t.transA:
		return &t.a[t.pc*t.lda+t.ic+ir], 4, uintptr(t.lda) * 4
	default:
		return &t.a[(t.ic+ir)*t.lda+t.pc], uintptr(t.lda) * 4, 4
	}
}

// micro multiplies the A micro-panel at row ir of the m block, and the next
// one too when both are full and the 12-row AVX-512 kernel can take them,
// by the B micro-panel into C, and returns the rows done.
func (t *tile) micro(ir int) int {
	kc, bp, rsB, nb, bet := t.kc, t.bp, t.rsB, t.nb, t.bet
	ap, rsA, csA := t.aPanel(ir)
	i := t.ic + ir
	cp, ldc := &t.c[i*t.ldc+t.jc], uintptr(t.ldc)*4
	switch {
	case t.mc-ir < mr:
		kern6x16AVX2(kc, ap, rsA, csA, bp, rsB, &t.ws.tile[0], nr*4, 0)
		writeTile(&t.ws.tile, t.c, t.ldc, i, t.jc, t.mc-ir, nb, bet)
	case nb == nr && hasAVX512 && t.mc-ir >= 2*mr:
		a2, _, _ := t.aPanel(ir + mr)
		kern12x16AVX512(kc, ap, rsA, csA, bp, rsB, cp, ldc, bet, a2)
		return 2 * mr
	case nb == nr && hasAVX512:
		kern6x16AVX512(kc, ap, rsA, csA, bp, rsB, cp, ldc, bet)
	case nb == nr:
		kern6x16AVX2(kc, ap, rsA, csA, bp, rsB, cp, ldc, bet)
	case nb <= 8 && hasAVX512:
		kern6x8AVX512Mask(kc, ap, rsA, csA, bp, rsB, cp, ldc, bet, 1<<nb-1)
	case hasAVX512:
		kern6x16AVX512Mask(kc, ap, rsA, csA, bp, rsB, cp, ldc, bet, 1<<nb-1)
	case nb <= 8:
		kern6x8AVX2Mask(kc, ap, rsA, csA, bp, rsB, cp, ldc, bet, &maskTable[nr-nb])
	default:
		kern6x16AVX2Mask(kc, ap, rsA, csA, bp, rsB, cp, ldc, bet, &maskTable[nr-nb])
	}
	return mr
}

// writeTile stores the top-left mb×nb corner of tile into C at (i, j),
// as tile + bet·C.
func writeTile(tile *[mr * nr]float32, c []float32, ldc, i, j, mb, nb int, bet float32) {
	for r := 0; r < mb; r++ {
		row := c[(i+r)*ldc+j : (i+r)*ldc+j+nb]
		t := tile[r*nr : r*nr+nb]
		switch bet {
		case 0:
			copy(row, t)
		case 1:
			for x, v := range t {
				row[x] += v
			}
		default:
			for x, v := range t {
				row[x] = v + bet*row[x]
			}
		}
	}
}

// packABlock packs rows [i0, i0+mc) and columns [p0, p0+kc) of op(A) into
// consecutive mr-row micro-panels, zero-padding the last one.
func packABlock(dst []float32, transA bool, a []float32, lda, i0, p0, mc, kc int) {
	for q := 0; q*mr < mc; q++ {
		packAPanel(dst[q*mr*kc:], transA, a, lda, i0+q*mr, p0, min(mr, mc-q*mr), kc)
	}
}

// packAPanel packs rows [i0, i0+mb) (mb <= mr) and columns [p0, p0+kc) of
// op(A) as dst[p*mr+r], zero-padding rows mb..mr-1.
func packAPanel(dst []float32, transA bool, a []float32, lda, i0, p0, mb, kc int) {
	dst = dst[:kc*mr]
	if transA {
		for p := 0; p < kc; p++ {
			d := dst[p*mr : p*mr+mr]
			src := a[(p0+p)*lda+i0 : (p0+p)*lda+i0+mb]
			copy(d, src)
			clear(d[mb:])
		}
		return
	}
	if mb < mr {
		clear(dst)
	}
	for r := 0; r < mb; r++ {
		src := a[(i0+r)*lda+p0 : (i0+r)*lda+p0+kc]
		for p, v := range src {
			dst[p*mr+r] = v
		}
	}
}

// packBPanel packs rows [p0, p0+kc) and columns [j0, j0+nb) (nb <= nr) of
// op(B) as dst[p*nr+j], zero-padding columns nb..nr-1.
func packBPanel(dst []float32, transB bool, b []float32, ldb, p0, j0, kc, nb int) {
	dst = dst[:kc*nr]
	if !transB {
		for p := 0; p < kc; p++ {
			d := dst[p*nr : p*nr+nr]
			copy(d, b[(p0+p)*ldb+j0:(p0+p)*ldb+j0+nb])
			clear(d[nb:])
		}
		return
	}
	if nb < nr {
		clear(dst)
	}
	p8 := 0
	if nb == nr && kc >= 8 {
		p8 = kc &^ 7
		packBT16AVX2(p8/8, &b[j0*ldb+p0], uintptr(ldb)*4, &dst[0])
		if p8 == kc {
			return
		}
	}
	for j := 0; j < nb; j++ {
		src := b[(j0+j)*ldb+p0+p8 : (j0+j)*ldb+p0+kc]
		d := dst[p8*nr:]
		for p, v := range src {
			d[p*nr+j] = v
		}
	}
}
