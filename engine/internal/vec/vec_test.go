package vec

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/lenet-tui/lenet-tui/engine/internal/naive"
)

// values returns n values with the cases the passes must keep apart: +0,
// −0, NaN, ±Inf, tiny and ordinary values of both signs.
func values(r *rand.Rand, n int) []float32 {
	special := []float32{0, float32(math.Copysign(0, -1)), float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), 1e-40, -1e-40}
	x := make([]float32, n)
	for i := range x {
		if r.IntN(4) == 0 {
			x[i] = special[r.IntN(len(special))]
		} else {
			x[i] = float32(r.NormFloat64())
		}
	}
	return x
}

func sameBits(t *testing.T, what string, got, want []float32) {
	t.Helper()
	for i := range want {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("%s: [%d] = %v (%#x), want %v (%#x)", what, i, got[i], math.Float32bits(got[i]), want[i], math.Float32bits(want[i]))
		}
	}
}

// sum64 is the float64 sum of x and of |x|, the scale of its rounding error.
func sum64(x []float32) (s, mag float64) {
	for _, v := range x {
		s += float64(v)
		mag += math.Abs(float64(v))
	}
	return s, mag
}

func closeSum(t *testing.T, what string, got float32, x []float32) {
	t.Helper()
	want, mag := sum64(x)
	if math.IsNaN(want) || math.IsInf(want, 0) || math.IsInf(mag, 0) {
		if !math.IsNaN(float64(got)) && !math.IsInf(float64(got), 0) {
			t.Fatalf("%s = %v, want non-finite like %v", what, got, want)
		}
		return
	}
	if d := math.Abs(float64(got) - want); d > 1e-6*mag+1e-30 {
		t.Fatalf("%s = %v, want %v (|x| sum %v)", what, got, want, mag)
	}
}

// The dispatching functions against the Go loops (whichever path this
// machine takes), at every length up to a few vectors and at odd offsets.
func TestAgainstGo(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for n := 0; n <= 70; n++ {
		for _, off := range []int{0, 1, 3} {
			x := values(r, n+off)[off:]
			b := float32(r.NormFloat64())
			if n%7 == 0 {
				b = float32(math.Copysign(0, -1))
			}

			got, want := append([]float32(nil), x...), append([]float32(nil), x...)
			BiasReLU(got, b)
			biasReLUGo(want, b)
			sameBits(t, "BiasReLU", got, want)
			for i, v := range got {
				if math.Float32bits(v) == 1<<31 {
					t.Fatalf("BiasReLU: [%d] is -0", i)
				}
			}

			got, want = append([]float32(nil), x...), append([]float32(nil), x...)
			BiasAdd(got, b)
			biasAddGo(want, b)
			sameBits(t, "BiasAdd", got, want)

			got, want = append([]float32(nil), x...), append([]float32(nil), x...)
			Scale(got, 1-b*b/8)
			scaleGo(want, 1-b*b/8)
			sameBits(t, "Scale", got, want)

			// y as a ReLU output: +0 or positive (or NaN), with −0 absent.
			y := append([]float32(nil), x...)
			biasReLUGo(y, 0)
			dy := values(r, n)
			gx, wx := make([]float32, n), make([]float32, n)
			s := ReLUGradSum(gx, dy, y)
			reluGradSumGo(wx, dy, y)
			sameBits(t, "ReLUGradSum dx", gx, wx)
			closeSum(t, "ReLUGradSum sum", s, wx)
			inPlace := append([]float32(nil), dy...)
			ReLUGradSum(inPlace, inPlace, y)
			sameBits(t, "ReLUGradSum in place", inPlace, wx)

			closeSum(t, "Sum", Sum(x), x)
		}
	}
}

// The hand-worked case: what ReLU's derivative keeps.
func TestReLUGradSumExample(t *testing.T) {
	y := []float32{0, 2, 0, 0.5, 3, 0, 0, 1, 4, 0}
	dy := []float32{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	dx := make([]float32, len(y))
	if s := ReLUGradSum(dx, dy, y); s != 2+4+5+8+9 {
		t.Fatalf("sum %v, want 28", s)
	}
	want := []float32{0, 2, 0, 4, 5, 0, 0, 8, 9, 0}
	sameBits(t, "dx", dx, want)
}

// normal is n normal values (no denormals, which slow every path alike).
func normal(r *rand.Rand, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(r.NormFloat64())
	}
	return x
}

// The benchmarks run on one C1 map (28×28), with the assembly and without.
func benchBoth(b *testing.B, f func()) {
	for _, asm := range []bool{true, false} {
		if asm && !useAsm {
			continue
		}
		name := "go"
		if asm {
			name = "asm"
		}
		b.Run(name, func(b *testing.B) {
			saved := useAsm
			useAsm = asm
			defer func() { useAsm = saved }()
			for b.Loop() {
				f()
			}
		})
	}
}

func BenchmarkBiasReLU(b *testing.B) {
	y := normal(rand.New(rand.NewPCG(1, 2)), 784)
	benchBoth(b, func() { BiasReLU(y, 0) })
}

func BenchmarkReLUGradSum(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	y, dy := normal(r, 784), normal(r, 784)
	biasReLUGo(y, 0)
	dx := make([]float32, len(y))
	benchBoth(b, func() { ReLUGradSum(dx, dy, y) })
}

// MaxPool2 against the Go loop, and that loop against the plain per-window
// search of package naive (first strict maximum in reading order of each
// row's pair, then the rows; without NaN).
func TestMaxPool2(t *testing.T) {
	for _, z := range avx512Modes() {
		t.Run(fmt.Sprintf("avx512=%v", z), func(t *testing.T) {
			withAVX512(z, func() { testMaxPool2(t) })
		})
	}
}

// avx512Modes are the settings of useAVX512 this machine can test.
func avx512Modes() []bool {
	if useAVX512 {
		return []bool{true, false}
	}
	return []bool{false}
}

// withAVX512 runs f with useAVX512 set to z.
func withAVX512(z bool, f func()) {
	saved := useAVX512
	useAVX512 = z
	defer func() { useAVX512 = saved }()
	f()
}

// poolShapes are the (w, oh) of the pooling tests: rows of 1 to 33
// outputs, whole groups of 8 and 16 and partial ones.
var poolShapes = [][2]int{{2, 1}, {4, 1}, {8, 3}, {10, 5}, {12, 2}, {14, 3}, {16, 4}, {22, 1}, {28, 14}, {32, 2}, {34, 2}, {40, 3}, {64, 2}, {66, 3}}

func testMaxPool2(t *testing.T) {
	t.Helper()
	r := rand.New(rand.NewPCG(5, 6))
	for _, sh := range poolShapes {
		w, oh := sh[0], sh[1]
		ow := w / 2
		for _, withSpecial := range []bool{false, true} {
			x := normal(r, 2*oh*w)
			if withSpecial {
				x = values(r, 2*oh*w)
			} else {
				for i := range x { // ties, as ReLU makes
					if r.IntN(3) == 0 {
						x[i] = 0
					}
				}
			}
			gy, ga := make([]float32, oh*ow), make([]int32, oh*ow)
			wy, wa := make([]float32, oh*ow), make([]int32, oh*ow)
			MaxPool2(x, w, oh, gy, ga, 100)
			maxPool2Go(x, w, oh, wy, wa, 100)
			sameBits(t, "MaxPool2 y", gy, wy)
			for i := range wa {
				if ga[i] != wa[i] {
					t.Fatalf("w=%d oh=%d: arg[%d] = %d, want %d", w, oh, i, ga[i], wa[i])
				}
			}
			if withSpecial {
				continue
			}
			best, bi := naive.MaxPoolForward(x, 1, 1, 2*oh, w)
			for oy := range oh {
				for ox := range ow {
					if o := oy*ow + ox; wy[o] != best[o] || wa[o] != int32(100+bi[o]) {
						t.Fatalf("w=%d oh=%d: (%d,%d) = %v at %d, want %v at %d", w, oh, oy, ox, wy[o], wa[o], best[o], 100+bi[o])
					}
				}
			}
		}
	}
}

// The pooling benchmarks run on LeNet's S2 and S4 inputs of one sample,
// its maps stacked (6 of 28×28, 16 of 10×10), and of a chunk of 16 samples
// as a worker pools them, larger than the L1 cache; with AVX-512, AVX2 and
// Go.
var poolBenchShapes = [][2]int{{28, 84}, {10, 80}}

// poolSample is the floats of one sample's pooling input: S2's, the larger.
const poolSample = 6 * 784

func benchPool(b *testing.B, f func(w, oh, n int)) {
	for _, sh := range poolBenchShapes {
		for _, n := range []int{1, 16} {
			for _, z := range avx512Modes() {
				name := fmt.Sprintf("w%d/samples=%d/avx512=%v", sh[0], n, z)
				b.Run(name, func(b *testing.B) {
					withAVX512(z, func() { benchBoth(b, func() { f(sh[0], sh[1], n) }) })
				})
			}
		}
	}
}

func BenchmarkMaxPool2(b *testing.B) {
	x := normal(rand.New(rand.NewPCG(1, 2)), 16*poolSample)
	y, arg := make([]float32, 16*poolSample/4), make([]int32, 16*poolSample/4)
	benchPool(b, func(w, oh, n int) {
		for s := range n {
			MaxPool2(x[s*poolSample:], w, oh, y[s*poolSample/4:], arg[s*poolSample/4:], 0)
		}
	})
}

func BenchmarkMaxUnpool2(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	x, dy := normal(r, 16*poolSample), normal(r, 16*poolSample/4)
	y, dx := make([]float32, 16*poolSample/4), make([]float32, 16*poolSample)
	args := map[int][]int32{}
	for _, sh := range poolBenchShapes {
		args[sh[0]] = make([]int32, 16*poolSample/4)
		for s := range 16 {
			MaxPool2(x[s*poolSample:], sh[0], sh[1], y[s*poolSample/4:], args[sh[0]][s*poolSample/4:], 0)
		}
	}
	benchPool(b, func(w, oh, n int) {
		for s := range n {
			MaxUnpool2(dy[s*poolSample/4:], args[w][s*poolSample/4:], 0, w, oh, dx[s*poolSample:])
		}
	})
}

// Adam against the Go loop (bit for bit), and one hand-worked step.
func TestAdam(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for n := 0; n <= 37; n++ {
		w, g := normal(r, n), normal(r, n)
		m, v := normal(r, n), normal(r, n)
		for i := range v {
			v[i] *= v[i]
		}
		w2, m2, v2 := append([]float32(nil), w...), append([]float32(nil), m...), append([]float32(nil), v...)
		Adam(w, g, m, v, 0.9, 0.999, 0.01, 1e-8)
		adamGo(w2, g, m2, v2, 0.9, 0.999, 0.01, 1e-8)
		sameBits(t, "w", w, w2)
		sameBits(t, "m", m, m2)
		sameBits(t, "v", v, v2)
	}
	// Near and below 2⁻¹²⁶: gradients whose square underflows, moments
	// and weights subnormal or about to be.
	for n := 8; n <= 37; n++ {
		w, g, m, v := normal(r, n), normal(r, n), normal(r, n), normal(r, n)
		for i := range w {
			w[i] *= 1e-37
			g[i] *= float32(math.Pow(10, -15-30*r.Float64()))
			m[i] *= float32(math.Pow(10, -36-8*r.Float64()))
			v[i] *= v[i] * 1e-36
		}
		w2, m2, v2 := append([]float32(nil), w...), append([]float32(nil), m...), append([]float32(nil), v...)
		Adam(w, g, m, v, 0.9, 0.999, 1e-3, 1e-8)
		adamGo(w2, g, m2, v2, 0.9, 0.999, 1e-3, 1e-8)
		sameBits(t, "tiny w", w, w2)
		sameBits(t, "tiny m", m, m2)
		sameBits(t, "tiny v", v, v2)
	}
	// A subnormal moment under a zero gradient is zero, not 0.9 of itself.
	for _, adam := range []func(w, g, m, v []float32, b1, b2, step, eps float32){Adam, adamGo} {
		w, g, m, v := make([]float32, 9), make([]float32, 9), make([]float32, 9), make([]float32, 9)
		for i := range m {
			m[i], v[i] = 1e-39, 1e-39
		}
		adam(w, g, m, v, 0.9, 0.999, 1e-3, 1e-8)
		for i := range m {
			if m[i] != 0 || v[i] != 0 || w[i] != 0 {
				t.Fatalf("[%d]: m, v, w = %g, %g, %g, want 0 (subnormals flushed)", i, m[i], v[i], w[i])
			}
		}
	}
	// m = 0.5·0 + 0.5·2 = 1, v = 0.75·0 + 0.25·2·2 = 1, w = 3 − 0.5·1/(1+0) = 2.5.
	w, m, v := make([]float32, 9), make([]float32, 9), make([]float32, 9)
	g := make([]float32, 9)
	for i := range w {
		w[i], g[i] = 3, 2
	}
	Adam(w, g, m, v, 0.5, 0.75, 0.5, 0)
	for i := range w {
		if w[i] != 2.5 || m[i] != 1 || v[i] != 1 {
			t.Fatalf("[%d]: w, m, v = %v, %v, %v, want 2.5, 1, 1", i, w[i], m[i], v[i])
		}
	}
}

// MaxUnpool2 after MaxPool2, against the Go loop and against the plain
// scatter into a cleared map of package naive (0 + dy at each winner).
func TestMaxUnpool2(t *testing.T) {
	for _, z := range avx512Modes() {
		t.Run(fmt.Sprintf("avx512=%v", z), func(t *testing.T) {
			withAVX512(z, func() { testMaxUnpool2(t) })
		})
	}
}

func testMaxUnpool2(t *testing.T) {
	t.Helper()
	r := rand.New(rand.NewPCG(9, 10))
	for _, sh := range poolShapes {
		w, oh := sh[0], sh[1]
		ow := w / 2
		x := normal(r, 2*oh*w)
		for i := range x {
			if r.IntN(3) == 0 {
				x[i] = 0
			}
		}
		y, arg := make([]float32, oh*ow), make([]int32, oh*ow)
		MaxPool2(x, w, oh, y, arg, 7)
		dy := values(r, oh*ow)
		got, want := values(r, 2*oh*w), values(r, 2*oh*w)
		MaxUnpool2(dy, arg, 7, w, oh, got)
		maxUnpool2Go(dy, arg, 7, w, oh, want)
		at := make([]int, len(arg))
		for i, a := range arg {
			at[i] = int(a - 7)
		}
		plain := naive.MaxPoolBackward(dy, at, 2*oh*w)
		sameBits(t, "MaxUnpool2 vs Go", got, want)
		sameBits(t, "MaxUnpool2 vs scatter", got, plain)
	}
}

// SumPool2 and Spread2 against the Go loops, bit for bit, and against
// LeNet's subsampling in the plain loops of package naive.
func TestSumPool2Spread2(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, sh := range [][2]int{{2, 1}, {8, 3}, {10, 5}, {12, 2}, {14, 3}, {22, 1}, {28, 14}, {40, 3}} {
		w, oh := sh[0], sh[1]
		ow := w / 2
		x := values(r, 2*oh*w)
		got, want := make([]float32, oh*ow), make([]float32, oh*ow)
		SumPool2(x, w, oh, got)
		sumPool2Go(x, w, oh, want)
		sameBits(t, "SumPool2", got, want)
		x = normal(r, 2*oh*w)
		SumPool2(x, w, oh, got)
		// LeNet's subsampling with coefficient 1 and bias 0 is the sum.
		sums := naive.SubsampleForward(x, 1, 1, 2*oh, w, []float32{1}, []float32{0})
		for oy := range oh {
			for ox := range ow {
				if s := sums[oy*ow+ox]; got[oy*ow+ox] != s {
					t.Fatalf("SumPool2 w=%d: (%d,%d) = %v, want %v", w, oy, ox, got[oy*ow+ox], s)
				}
			}
		}

		dy := values(r, oh*ow)
		gx, wx := values(r, 2*oh*w), values(r, 2*oh*w)
		Spread2(dy, 0.25, w, oh, gx)
		spread2Go(dy, 0.25, w, oh, wx)
		sameBits(t, "Spread2", gx, wx)
		// Subsampling's input gradient with coefficient 0.25 is the spread.
		spread := naive.SubsampleBackward(make([]float32, 2*oh*w), dy, 1, 1, 2*oh, w, []float32{0.25}, []float32{0}, []float32{0})
		for i := range gx {
			if g := spread[i]; math.Float32bits(gx[i]) != math.Float32bits(g) {
				t.Fatalf("Spread2 w=%d: dx[%d] = %v, want %v", w, i, gx[i], g)
			}
		}
	}
}
