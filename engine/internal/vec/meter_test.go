package vec

import (
	"math"
	"math/rand/v2"
	"testing"
)

// SumSquares (whichever path this machine takes) against a plain float64
// sum, at every length up to a few vectors, at odd offsets and on a C1 map.
func TestSumSquares(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, n := range append(seq(70), 784, 4704) {
		for off := range 3 {
			x := normal(r, n+off)[off:]
			var want float64
			for _, v := range x {
				want += float64(v) * float64(v)
			}
			if got := SumSquares(x); math.Abs(got-want) > 1e-12*want {
				t.Fatalf("SumSquares(%d values at offset %d) = %.17g, want %.17g", n, off, got, want)
			}
		}
	}
	for _, n := range []int{3, 16, 37} { // the Go path, the assembly, both
		x := normal(r, n)
		x[n/2] = float32(math.NaN())
		if got := SumSquares(x); !math.IsNaN(got) {
			t.Errorf("SumSquares of %d values with a NaN = %v, want NaN", n, got)
		}
	}
	if useAsm { // the two paths against each other where both run
		for n := 16; n < 300; n++ {
			x := values(r, n)
			a, g := sumSquaresAVX2(x), sumSquaresGo(x)
			if !(a == g || math.IsNaN(a) && math.IsNaN(g) || math.Abs(a-g) <= 1e-12*math.Abs(g)) {
				t.Fatalf("%d values: assembly %v, Go %v", n, a, g)
			}
		}
	}
}

// OrBits against a per-value OR written here, skipping NaN, on the values
// ReLU and pooling leave (+0, −0, NaN, tiny ones), into a dst that already
// holds bits, at lengths that take the assembly, the Go loop, or both.
func TestOrBits(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for _, n := range append(seq(40), 784) {
		x := values(r, n)
		dst := make([]uint32, n+3) // longer than x: only x's length is touched
		for i := range dst {
			dst[i] = uint32(r.IntN(4)) << 30
		}
		want := append([]uint32(nil), dst...)
		for i, v := range x {
			if !math.IsNaN(float64(v)) {
				want[i] |= math.Float32bits(v)
			}
		}
		OrBits(dst, x)
		for i := range want {
			if dst[i] != want[i] {
				t.Fatalf("OrBits over %d values: dst[%d] = %#x, want %#x", n, i, dst[i], want[i])
			}
		}
	}
}

func seq(n int) []int {
	s := make([]int, n+1)
	for i := range s {
		s[i] = i
	}
	return s
}

func BenchmarkSumSquares(b *testing.B) {
	x := normal(rand.New(rand.NewPCG(1, 2)), 4704)
	benchBoth(b, func() { SumSquares(x) })
}

func BenchmarkOrBits(b *testing.B) {
	x := normal(rand.New(rand.NewPCG(1, 2)), 4704)
	dst := make([]uint32, len(x))
	benchBoth(b, func() { OrBits(dst, x) })
}
