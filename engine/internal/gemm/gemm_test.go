package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/lenet-tui/lenet-tui/engine/internal/naive"
)

// refGemm is the float64 reference: op(A)·op(B) is a dense layer's forward
// pass (package naive's plain loops) on the rows of op(A) with the weight
// rows op(B)ᵀ. It returns op(A)·op(B) + beta·C and, per element,
// Σ|a||b| + |beta·c| for the error bound (the same loops on |a| and |b|).
func refGemm(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) (want, mag []float64) {
	// x (m, k) = op(A); wt (n, k) = op(B)ᵀ, and the same in absolute value.
	x, xa := make([]float64, m*k), make([]float64, m*k)
	wt, wa := make([]float64, n*k), make([]float64, n*k)
	for l := 0; l < k; l++ {
		for i := 0; i < m; i++ {
			ai := i*lda + l
			if transA {
				ai = l*lda + i
			}
			x[i*k+l], xa[i*k+l] = float64(a[ai]), math.Abs(float64(a[ai]))
		}
		for j := 0; j < n; j++ {
			bi := l*ldb + j
			if transB {
				bi = j*ldb + l
			}
			wt[j*k+l], wa[j*k+l] = float64(b[bi]), math.Abs(float64(b[bi]))
		}
	}
	want = naive.DenseForward(x, m, k, wt, nil, n)
	mag = naive.DenseForward(xa, m, k, wa, nil, n)
	if beta != 0 {
		for i := 0; i < m; i++ {
			for j := 0; j < n; j++ {
				bc := float64(beta) * float64(c[i*ldc+j])
				want[i*n+j] += bc
				mag[i*n+j] += math.Abs(bc)
			}
		}
	}
	return want, mag
}

type problem struct {
	transA, transB bool
	m, n, k        int
	lda, ldb, ldc  int
	beta           float32
	a, b, c        []float32
}

const sentinel = -12345.5

func newProblem(rng *rand.Rand, transA, transB bool, m, n, k, pad int, beta float32) *problem {
	p := &problem{transA: transA, transB: transB, m: m, n: n, k: k, beta: beta}
	ar, ac := m, k
	if transA {
		ar, ac = k, m
	}
	br, bc := k, n
	if transB {
		br, bc = n, k
	}
	p.lda, p.ldb, p.ldc = max(1, ac)+rng.IntN(pad+1), max(1, bc)+rng.IntN(pad+1), max(1, n)+rng.IntN(pad+1)
	p.a = randMat(rng, ar, ac, p.lda)
	p.b = randMat(rng, br, bc, p.ldb)
	p.c = randMat(rng, m, n, p.ldc)
	return p
}

// randMat returns an r×cols matrix with stride ld, holding uniform values in
// [-1, 1) and sentinel in the padding.
func randMat(rng *rand.Rand, r, cols, ld int) []float32 {
	s := make([]float32, max(0, (r-1)*ld+cols))
	for i := range s {
		if i%ld < cols {
			s[i] = 2*rng.Float32() - 1
		} else {
			s[i] = sentinel
		}
	}
	return s
}

func (p *problem) String() string {
	return fmt.Sprintf("transA=%v transB=%v m=%d n=%d k=%d lda=%d ldb=%d ldc=%d beta=%v",
		p.transA, p.transB, p.m, p.n, p.k, p.lda, p.ldb, p.ldc, p.beta)
}

// run calls f on a copy of C and returns it.
func (p *problem) run(f func(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int)) []float32 {
	c := append([]float32(nil), p.c...)
	f(p.transA, p.transB, p.m, p.n, p.k, p.a, p.lda, p.b, p.ldb, p.beta, c, p.ldc)
	return c
}

// check compares got with the float64 reference within the float32
// accumulation bound (k+2)·u·Σ|a||b| and checks C's padding is untouched.
func (p *problem) check(t *testing.T, name string, got []float32) {
	t.Helper()
	want, mag := refGemm(p.transA, p.transB, p.m, p.n, p.k, p.a, p.lda, p.b, p.ldb, p.beta, p.c, p.ldc)
	const u = 0x1p-24
	bad := 0
	for i := 0; i < p.m; i++ {
		for j := 0; j < p.ldc && i*p.ldc+j < len(got); j++ {
			g := got[i*p.ldc+j]
			if j >= p.n {
				if g != sentinel {
					t.Fatalf("%s(%v): padding C[%d,%d] = %v, want untouched", name, p, i, j, g)
				}
				continue
			}
			w := want[i*p.n+j]
			tol := float64(p.k+2)*u*mag[i*p.n+j] + 1e-30
			if math.Abs(float64(g)-w) > tol || math.IsNaN(float64(g)) {
				if bad++; bad <= 3 {
					t.Errorf("%s(%v): C[%d,%d] = %v, want %v (tol %.3g)", name, p, i, j, g, w, tol)
				}
			}
		}
	}
}

var edgeSizes = []int{1, 2, 3, 5, 6, 7, 15, 16, 17, 31, 33, 64, 100, 150, 257}

// lenetShapes are the LeNet-5 trainer's products (per-sample and batched
// convolutions, their backward passes, dense layers).
var lenetShapes = []struct {
	name           string
	transA, transB bool
	m, n, k        int
	beta           float32
}{
	{"conv1/W·cols", false, false, 6, 784, 25, 0},
	{"conv2/W·cols", false, false, 16, 100, 150, 0},
	{"conv3/W·cols", false, false, 120, 1, 400, 0},
	{"conv1/cols·Wᵀ", false, true, 32 * 784, 6, 25, 0},
	{"conv2/cols·Wᵀ", false, true, 32 * 100, 16, 150, 0},
	{"conv3/cols·Wᵀ", false, true, 32, 120, 400, 0},
	{"conv3/dW+=dOut·colsᵀ", false, true, 120, 400, 1, 1},
	{"conv3/dCols=Wᵀ·dOut", true, false, 400, 1, 120, 0},
	{"conv1/dW+=dOut·colsᵀ", false, true, 6, 25, 784, 1},
	{"conv1/dW+=dOutᵀ·cols", true, false, 6, 25, 32 * 784, 1},
	{"conv2/dW+=dOut·colsᵀ", false, true, 16, 150, 100, 1},
	{"conv2/dCols=Wᵀ·dOut", true, false, 150, 100, 16, 0},
	{"fc1/X·W", false, false, 32, 84, 120, 0},
	{"fc2/X·W", false, false, 32, 10, 84, 0},
	{"fc1/dX=dY·Wᵀ", false, true, 32, 120, 84, 0},
	{"fc1/dW+=Xᵀ·dY", true, false, 120, 84, 32, 1},
	{"fc2/dW+=Xᵀ·dY", true, false, 84, 10, 32, 1},
	{"C5/dW+=dYᵀ·X", true, false, 120, 400, 32, 1},
	{"C5/dX=dY·W", false, false, 32, 400, 120, 0},
	{"cube256", false, false, 256, 256, 256, 0},
}

// withAVX2Only runs f with the AVX-512 edge kernels switched off.
func withAVX2Only(f func()) {
	defer func(h bool) { hasAVX512 = h }(hasAVX512)
	hasAVX512 = false
	f()
}

// withAsm runs f with the assembly path forced on (also for tiny problems)
// or off, restoring the defaults afterwards.
func withAsm(on bool, f func()) {
	defer func(u bool, w int) { useAsm, asmMinWork = u, w }(useAsm, asmMinWork)
	if on {
		asmMinWork = 0
	} else {
		useAsm = false
	}
	f()
}

func TestSgemmEdgeSizes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	limit := 1 << 22
	if raceEnabled {
		limit = 1 << 18 // keeps -race runs to seconds
	}
	for _, tr := range [][2]bool{{false, false}, {false, true}, {true, false}, {true, true}} {
		for _, beta := range []float32{0, 1, -0.5} {
			for range 40 {
				m, n, k := edgeSizes[rng.IntN(len(edgeSizes))], edgeSizes[rng.IntN(len(edgeSizes))], edgeSizes[rng.IntN(len(edgeSizes))]
				if m*n*k > limit {
					continue
				}
				p := newProblem(rng, tr[0], tr[1], m, n, k, 3, beta)
				p.check(t, "Sgemm", p.run(Sgemm))
				p.check(t, "sgemmGo", p.run(sgemmGo))
				withAsm(true, func() { p.check(t, "Sgemm/asm", p.run(Sgemm)) })
				withAVX2Only(func() { p.check(t, "Sgemm/avx2", p.run(Sgemm)) })
			}
		}
	}
}

// TestSgemmAVX512SameBits requires the AVX-512 kernels to give the AVX2
// ones' results to the bit: each C element is summed in the same order by
// the same FMAs, only more lanes at a time. Sizes cover 12-row pairs of
// micro-panels, a lone 6-row one, partial panels and partial columns.
func TestSgemmAVX512SameBits(t *testing.T) {
	if !useAsm || !hasAVX512 {
		t.Skip("no AVX-512 on this CPU or no assembly in this build")
	}
	rng := rand.New(rand.NewPCG(5, 6))
	sizes := []int{6, 12, 16, 18, 24, 30, 72, 84, 120, 121, 300}
	for _, tr := range [][2]bool{{false, false}, {false, true}, {true, false}, {true, true}} {
		for _, beta := range []float32{0, 1, -0.5} {
			for range 20 {
				m, n, k := sizes[rng.IntN(len(sizes))], sizes[rng.IntN(len(sizes))], sizes[rng.IntN(len(sizes))]
				p := newProblem(rng, tr[0], tr[1], m, n, k, 3, beta)
				var got, want []float32
				withAsm(true, func() {
					got = p.run(Sgemm)
					withAVX2Only(func() { want = p.run(Sgemm) })
				})
				for i := range want {
					if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
						t.Fatalf("%v m=%d n=%d k=%d beta=%v: c[%d] = %v with AVX-512, %v with AVX2", tr, m, n, k, beta, i, got[i], want[i])
					}
				}
			}
		}
	}
}

func TestSgemmAllSmall(t *testing.T) {
	// Every combination of small sizes around the 6×16 tile, forced through
	// the assembly path, including k = 0.
	rng := rand.New(rand.NewPCG(3, 4))
	sizes := []int{0, 1, 2, 5, 6, 7, 12, 16, 17, 33}
	for _, tr := range [][2]bool{{false, false}, {false, true}, {true, false}, {true, true}} {
		for _, m := range sizes {
			for _, n := range sizes {
				for _, k := range []int{0, 1, 3, 4, 5, 9} {
					p := newProblem(rng, tr[0], tr[1], m, n, k, 2, float32(rng.IntN(2)))
					withAsm(true, func() { p.check(t, "Sgemm/asm", p.run(Sgemm)) })
					withAsm(false, func() { p.check(t, "Sgemm/go", p.run(Sgemm)) })
					withAsm(true, func() { withAVX2Only(func() { p.check(t, "Sgemm/avx2", p.run(Sgemm)) }) })
				}
			}
		}
	}
}

func TestSgemmLeNetShapes(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, s := range lenetShapes {
		t.Run(s.name, func(t *testing.T) {
			m := s.m
			if testing.Short() || raceEnabled {
				m = min(m, 500)
			}
			p := newProblem(rng, s.transA, s.transB, m, s.n, s.k, 5, s.beta)
			asm := p.run(Sgemm)
			p.check(t, "Sgemm", asm)
			var goPath []float32
			withAsm(false, func() { goPath = p.run(Sgemm) })
			p.check(t, "Sgemm/go", goPath)
		})
	}
}

func TestSgemmKBlocks(t *testing.T) {
	// k spanning several kcMax blocks, m several mcMax blocks.
	rng := rand.New(rand.NewPCG(7, 8))
	for _, tr := range [][2]bool{{false, false}, {false, true}, {true, false}, {true, true}} {
		for _, beta := range []float32{0, 1} {
			p := newProblem(rng, tr[0], tr[1], 151, 37, 600, 4, beta)
			p.check(t, "Sgemm", p.run(Sgemm))
		}
	}
}

func TestSgemmBetaZeroIgnoresNaN(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, force := range []bool{false, true} {
		for _, sz := range [][3]int{{2, 3, 4}, {6, 16, 8}, {13, 37, 300}, {100, 6, 25}} {
			p := newProblem(rng, false, false, sz[0], sz[1], sz[2], 2, 0)
			for i := range p.c {
				if i%p.ldc < p.n {
					p.c[i] = float32(math.NaN())
				}
			}
			withAsm(force, func() { p.check(t, "Sgemm", p.run(Sgemm)) })
		}
	}
	c := []float32{float32(math.NaN()), float32(math.Inf(1))}
	Sgemm(false, false, 1, 2, 0, nil, 1, nil, 2, 0, c, 2)
	if c[0] != 0 || c[1] != 0 {
		t.Errorf("Sgemm(k=0, beta=0) C = %v, want [0 0]", c)
	}
}

func TestSgemmConcurrent(t *testing.T) {
	// More goroutines than pool slots, so some use the stack workspace.
	rng := rand.New(rand.NewPCG(11, 12))
	const workers = 12
	ps := make([]*problem, workers)
	for i := range ps {
		ps[i] = newProblem(rng, i%2 == 0, i%3 == 0, 40+i, 50, 70, 1, 0)
	}
	got := make([][]float32, workers)
	var wg sync.WaitGroup
	for i, p := range ps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				got[i] = p.run(Sgemm)
			}
		}()
	}
	wg.Wait()
	for i, p := range ps {
		p.check(t, "Sgemm", got[i])
	}
}

func TestSgemmAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	rng := rand.New(rand.NewPCG(13, 14))
	for _, s := range lenetShapes {
		p := newProblem(rng, s.transA, s.transB, min(s.m, 3000), s.n, s.k, 1, s.beta)
		c := append([]float32(nil), p.c...)
		allocs := testing.AllocsPerRun(5, func() {
			Sgemm(p.transA, p.transB, p.m, p.n, p.k, p.a, p.lda, p.b, p.ldb, p.beta, c, p.ldc)
		})
		if allocs != 0 {
			t.Errorf("AllocsPerRun(Sgemm(%v)) = %v, want 0", p, allocs)
		}
	}
}

func TestSgemmPanics(t *testing.T) {
	a := make([]float32, 12)
	for _, tc := range []struct {
		name string
		f    func()
	}{
		{"negative m", func() { Sgemm(false, false, -1, 2, 2, a, 2, a, 2, 0, a, 2) }},
		{"small lda", func() { Sgemm(false, false, 2, 2, 3, a, 2, a, 2, 0, a, 2) }},
		{"small lda transA", func() { Sgemm(true, false, 3, 2, 2, a, 2, a, 2, 0, a, 2) }},
		{"small ldb transB", func() { Sgemm(false, true, 2, 2, 3, a, 3, a, 2, 0, a, 2) }},
		{"small ldc", func() { Sgemm(false, false, 2, 3, 2, a, 2, a, 3, 0, a, 2) }},
		{"short a", func() { Sgemm(false, false, 4, 2, 4, a, 4, a, 2, 0, a, 2) }},
		{"short b", func() { Sgemm(false, false, 2, 4, 4, a, 4, a, 4, 0, a, 4) }},
		{"short c", func() { Sgemm(false, false, 7, 2, 1, a, 1, a, 2, 0, a, 2) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				r := recover()
				if s, ok := r.(string); !ok || !strings.HasPrefix(s, "gemm: ") {
					t.Errorf("panic = %v, want a \"gemm: \" message", r)
				}
			}()
			tc.f()
		})
	}
}

func BenchmarkSgemm(b *testing.B) {
	shapes := append(lenetShapes[:len(lenetShapes):len(lenetShapes)], struct {
		name           string
		transA, transB bool
		m, n, k        int
		beta           float32
	}{"cube1024", false, false, 1024, 1024, 1024, 0})
	for _, s := range shapes {
		rng := rand.New(rand.NewPCG(1, 1))
		p := newProblem(rng, s.transA, s.transB, s.m, s.n, s.k, 0, s.beta)
		flops := 2 * float64(s.m) * float64(s.n) * float64(s.k)
		for _, path := range []string{"fast", "go"} {
			b.Run(fmt.Sprintf("%s/%dx%dx%d/%s", s.name, s.m, s.n, s.k, path), func(b *testing.B) {
				withAsm(path == "fast", func() {
					asmMinWork = 64
					for b.Loop() {
						Sgemm(p.transA, p.transB, p.m, p.n, p.k, p.a, p.lda, p.b, p.ldb, p.beta, p.c, p.ldc)
					}
				})
				b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}
