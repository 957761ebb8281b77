package gemm

import "sync/atomic"

// The pure-Go path: what arm64, x86 without AVX2 and the noasm build run.
// Every product is computed as dot products along k: op(A) as rows along k
// (A itself unless transA) against op(B)ᵀ as rows along k (B itself when
// transB). The operand that is not already laid out that way is packed,
// transposed, per block of goKC × goMC (A) or goKC × goNC (B), so the
// micro-kernel always reads five contiguous rows: three of A and two of B,
// giving a 3×2 tile of sums. Six sums and their six products are as many as
// amd64's sixteen float registers hold with the operands (the compiler
// computes all of a step's products before adding them).
const (
	goKC = 256 // k per block
	goMC = 48  // rows of a packed A block, a multiple of 3
	goNC = 64  // rows of a packed Bᵀ block, a multiple of 2

	// goMinWork is the m·n·k below which the unblocked loops of sgemmSmall
	// are used: packing does not pay for itself there.
	goMinWork = 2048
)

// goWorkspace holds the transposed pack buffers of one pure-Go call.
type goWorkspace struct {
	at [goMC * goKC]float32 // op(A) rows along k: row i at i·kc
	bt [goNC * goKC]float32 // op(B) columns as rows along k: column j at j·kc
}

// goSlot is a workspace claimed by CAS on busy; the padding keeps the
// flags of neighbouring slots off the workspace's cache lines.
type goSlot struct {
	busy atomic.Uint32
	_    [60]byte
	ws   goWorkspace
}

// goPool is a fixed set of workspaces so that concurrent calls neither
// allocate nor zero 112 KiB of stack each time.
var goPool [8]goSlot

// sgemmGo is the pure-Go Sgemm: C = beta·C first, then C += op(A)·op(B).
func sgemmGo(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	scaleC(m, n, beta, c, ldc)
	if m*n*k < goMinWork {
		sgemmSmall(transA, transB, m, n, k, a, lda, b, ldb, c, ldc)
		return
	}
	for i := range goPool {
		s := &goPool[i]
		if s.busy.Load() == 0 && s.busy.CompareAndSwap(0, 1) {
			goBlocked(&s.ws, transA, transB, m, n, k, a, lda, b, ldb, c, ldc)
			s.busy.Store(0)
			return
		}
	}
	var ws goWorkspace
	goBlocked(&ws, transA, transB, m, n, k, a, lda, b, ldb, c, ldc)
}

// goBlocked adds op(A)·op(B) to C block by block: k blocks (pc), Bᵀ
// blocks (jc), A blocks (ic), 3×2 tiles.
func goBlocked(ws *goWorkspace, transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	for pc := 0; pc < k; pc += goKC {
		kc := min(goKC, k-pc)
		for jc := 0; jc < n; jc += goNC {
			nc := min(goNC, n-jc)
			bt, ldbt := ws.bt[:], kc
			if transB {
				bt, ldbt = b[jc*ldb+pc:], ldb
			} else {
				packT(bt, b, ldb, pc, jc, kc, nc)
			}
			for ic := 0; ic < m; ic += goMC {
				mc := min(goMC, m-ic)
				at, ldat := ws.at[:], kc
				if transA {
					packT(at, a, lda, pc, ic, kc, mc)
				} else {
					at, ldat = a[ic*lda+pc:], lda
				}
				goPanel(at, ldat, bt, ldbt, mc, nc, kc, c[ic*ldc+jc:], ldc)
			}
		}
	}
}

// packT sets dst[j·kc+p] = src[(p0+p)·ld + j0+j] for p < kc, j < nc: the
// kc×nc block at (p0, j0) of src, transposed.
func packT(dst, src []float32, ld, p0, j0, kc, nc int) {
	dst = dst[:nc*kc]
	for p := 0; p < kc; p++ {
		row := src[(p0+p)*ld+j0:][:nc]
		d := dst[p:]
		for j, v := range row {
			d[j*kc] = v
		}
	}
}

// goPanel adds to the mc×nc block of C the products of the mc rows of at
// (stride ldat) with the nc rows of bt (stride ldbt), each kc long.
func goPanel(at []float32, ldat int, bt []float32, ldbt int, mc, nc, kc int, c []float32, ldc int) {
	i := 0
	for ; i+3 <= mc; i += 3 {
		a0 := at[i*ldat:][:kc]
		a1 := at[(i+1)*ldat:][:kc]
		a2 := at[(i+2)*ldat:][:kc]
		c0 := c[i*ldc:][:nc]
		c1 := c[(i+1)*ldc:][:nc]
		c2 := c[(i+2)*ldc:][:nc]
		j := 0
		for ; j+2 <= nc; j += 2 {
			t := dot3x2(a0, a1, a2, bt[j*ldbt:][:kc], bt[(j+1)*ldbt:][:kc])
			c0[j] += t.s00
			c0[j+1] += t.s01
			c1[j] += t.s10
			c1[j+1] += t.s11
			c2[j] += t.s20
			c2[j+1] += t.s21
		}
		if j < nc {
			bj := bt[j*ldbt:][:kc]
			c0[j] += dot(a0, bj)
			c1[j] += dot(a1, bj)
			c2[j] += dot(a2, bj)
		}
	}
	for ; i < mc; i++ {
		ai := at[i*ldat:][:kc]
		ci := c[i*ldc:][:nc]
		for j := range ci {
			ci[j] += dot(ai, bt[j*ldbt:][:kc])
		}
	}
}

// tile3x2 holds the six sums of a 3×2 tile; a struct of scalars is
// returned in registers.
type tile3x2 struct{ s00, s01, s10, s11, s20, s21 float32 }

// dot3x2 returns the dot products of rows a0, a1, a2 with rows b0, b1, all
// of the same length.
func dot3x2(a0, a1, a2, b0, b1 []float32) tile3x2 {
	a1 = a1[:len(a0)]
	a2 = a2[:len(a0)]
	b0 = b0[:len(a0)]
	b1 = b1[:len(a0)]
	var s00, s01, s10, s11, s20, s21 float32
	for p, x0 := range a0 {
		y0, y1 := b0[p], b1[p]
		x1, x2 := a1[p], a2[p]
		s00 += x0 * y0
		s01 += x0 * y1
		s10 += x1 * y0
		s11 += x1 * y1
		s20 += x2 * y0
		s21 += x2 * y1
	}
	return tile3x2{s00, s01, s10, s11, s20, s21}
}

// sgemmSmall accumulates op(A)·op(B) into C with loop orders that walk the
// innermost slice contiguously (i-k-j for the non-transposed B cases, dot
// products for transB): the pure-Go path for small products.
func sgemmSmall(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	switch {
	case !transA && !transB:
		for i := 0; i < m; i++ {
			ci := c[i*ldc : i*ldc+n]
			ai := a[i*lda : i*lda+k]
			for l, av := range ai {
				axpy(av, b[l*ldb:l*ldb+n], ci)
			}
		}
	case transA && !transB:
		for i := 0; i < m; i++ {
			ci := c[i*ldc : i*ldc+n]
			for l := 0; l < k; l++ {
				axpy(a[l*lda+i], b[l*ldb:l*ldb+n], ci)
			}
		}
	case !transA && transB:
		for i := 0; i < m; i++ {
			ci := c[i*ldc : i*ldc+n]
			ai := a[i*lda : i*lda+k]
			for j := range ci {
				ci[j] += dot(ai, b[j*ldb:j*ldb+k])
			}
		}
	default: // transA && transB
		for i := 0; i < m; i++ {
			ci := c[i*ldc : i*ldc+n]
			for j := range ci {
				bj := b[j*ldb : j*ldb+k]
				var s float32
				for l, bv := range bj {
					s += a[l*lda+i] * bv
				}
				ci[j] += s
			}
		}
	}
}
