package dconv

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/lenet-tui/lenet-tui/engine/internal/naive"
	"github.com/lenet-tui/lenet-tui/engine/internal/vec"
)

type shape struct {
	n, cin, h, w, cout, k, pad int
}

func (s shape) String() string {
	return fmt.Sprintf("n%d_%dto%d_%dx%d_k%d_p%d", s.n, s.cin, s.cout, s.h, s.w, s.k, s.pad)
}

func (s shape) out() (int, int) { return s.h + 2*s.pad - s.k + 1, s.w + 2*s.pad - s.k + 1 }

var (
	lenetC1 = shape{16, 1, 28, 28, 6, 5, 2}
	lenetC3 = shape{16, 6, 14, 14, 16, 5, 0}
	lenetC5 = shape{16, 16, 7, 7, 120, 5, 2}
)

func randSlice(r *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(r.NormFloat64())
	}
	return s
}

// f64 and abs64 widen a float32 slice to float64, as is or in absolute
// value.
func f64(x []float32) []float64 {
	y := make([]float64, len(x))
	for i, v := range x {
		y[i] = float64(v)
	}
	return y
}

func abs64(x []float32) []float64 {
	y := f64(x)
	for i, v := range y {
		y[i] = math.Abs(v)
	}
	return y
}

// The reference functions are the plain loops of package naive in float64.
// They return the result and, per element, the sum of the absolute values
// of its terms for the error bound (the same loops on |x|, |w|, |dy|).

func refForward(sh shape, x, wt []float32) (want, mag []float64) {
	want = naive.ConvForward(f64(x), sh.n, sh.cin, sh.h, sh.w, f64(wt), nil, sh.cout, sh.k, sh.pad, nil)
	mag = naive.ConvForward(abs64(x), sh.n, sh.cin, sh.h, sh.w, abs64(wt), nil, sh.cout, sh.k, sh.pad, nil)
	return want, mag
}

func refFilterGrad(sh shape, x, dy, dw0 []float32) (want, mag []float64) {
	want, mag = f64(dw0), abs64(dw0)
	naive.ConvFilterGrad(f64(x), sh.n, sh.cin, sh.h, sh.w, f64(dy), sh.cout, sh.k, sh.pad, want)
	naive.ConvFilterGrad(abs64(x), sh.n, sh.cin, sh.h, sh.w, abs64(dy), sh.cout, sh.k, sh.pad, mag)
	return want, mag
}

func refInputGrad(sh shape, dy, wt []float32) (want, mag []float64) {
	want = naive.ConvInputGrad(f64(dy), sh.n, sh.cout, f64(wt), sh.cin, sh.h, sh.w, sh.k, sh.pad)
	mag = naive.ConvInputGrad(abs64(dy), sh.n, sh.cout, abs64(wt), sh.cin, sh.h, sh.w, sh.k, sh.pad)
	return want, mag
}

func compare(t *testing.T, what string, got []float32, want, mag []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: len %d, want %d", what, len(got), len(want))
	}
	bad := 0
	for i, g := range got {
		tol := 1e-5*mag[i] + 1e-6
		if d := math.Abs(float64(g) - want[i]); !(d <= tol) {
			if bad < 5 {
				t.Errorf("%s: [%d] = %v, want %v (|err| %.3g > tol %.3g)", what, i, g, want[i], d, tol)
			}
			bad++
		}
	}
	if bad > 0 {
		t.Errorf("%s: %d of %d elements wrong", what, bad, len(got))
	}
}

// checkShape runs all three routines and Backward on sh with ws and compares against
// the reference. Outputs start as NaN (Forward, InputGrad: must be
// overwritten) or random (FilterGrad: accumulated into).
func checkShape(t *testing.T, ws *Workspace, sh shape, r *rand.Rand) {
	t.Helper()
	ho, wo := sh.out()
	x := randSlice(r, sh.n*sh.cin*sh.h*sh.w)
	wt := randSlice(r, sh.cout*sh.cin*sh.k*sh.k)
	dy := randSlice(r, sh.n*sh.cout*ho*wo)

	y := make([]float32, sh.n*sh.cout*ho*wo)
	for i := range y {
		y[i] = float32(math.NaN())
	}
	ws.Forward(x, sh.n, sh.cin, sh.h, sh.w, wt, sh.cout, sh.k, sh.pad, y)
	want, mag := refForward(sh, x, wt)
	compare(t, sh.String()+"/Forward", y, want, mag)
	checkBiasReLU(t, ws, sh, x, wt, y, r)

	dw := randSlice(r, len(wt))
	want, mag = refFilterGrad(sh, x, dy, dw)
	ws.FilterGrad(x, sh.n, sh.cin, sh.h, sh.w, dy, sh.cout, sh.k, sh.pad, dw)
	compare(t, sh.String()+"/FilterGrad", dw, want, mag)

	dx := make([]float32, len(x))
	for i := range dx {
		dx[i] = float32(math.NaN())
	}
	ws.InputGrad(dy, sh.n, sh.cout, wt, sh.cin, sh.h, sh.w, sh.k, sh.pad, dx)
	want, mag = refInputGrad(sh, dy, wt)
	compare(t, sh.String()+"/InputGrad", dx, want, mag)

	// Backward: both gradients in one call, the transposed dy shared.
	dw = randSlice(r, len(wt))
	wantW, magW := refFilterGrad(sh, x, dy, dw)
	for i := range dx {
		dx[i] = float32(math.NaN())
	}
	ws.Backward(x, sh.n, sh.cin, sh.h, sh.w, dy, wt, sh.cout, sh.k, sh.pad, dw, dx)
	compare(t, sh.String()+"/Backward dw", dw, wantW, magW)
	compare(t, sh.String()+"/Backward dx", dx, want, mag)
}

// checkBiasReLU requires ForwardBiasReLU to give the bits of Forward's y
// followed by vec.BiasReLU on each map, with one bias NaN and one large
// enough to zero its map.
func checkBiasReLU(t *testing.T, ws *Workspace, sh shape, x, wt, y []float32, r *rand.Rand) {
	t.Helper()
	ho, wo := sh.out()
	b := randSlice(r, sh.cout)
	b[r.IntN(sh.cout)] = -1e30
	b[r.IntN(sh.cout)] = float32(math.NaN())
	want := append([]float32(nil), y...)
	for m := range sh.n * sh.cout {
		vec.BiasReLU(want[m*ho*wo:][:ho*wo], b[m%sh.cout])
	}
	got := make([]float32, len(y))
	for i := range got {
		got[i] = float32(math.NaN())
	}
	ws.ForwardBiasReLU(x, sh.n, sh.cin, sh.h, sh.w, wt, sh.cout, sh.k, sh.pad, b, got)
	for i := range got {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("%s/ForwardBiasReLU: y[%d] = %v, want %v (Forward then vec.BiasReLU)", sh, i, got[i], want[i])
		}
	}
}

// config is one implementation choice the tests and benchmarks force.
type config struct {
	name   string
	asm    bool
	avx512 bool
	path   int
}

func configs() []config {
	var cs []config
	if useAsm {
		cs = append(cs,
			config{"asm", true, hasAVX512, pathAuto},
			config{"asm-spatial", true, hasAVX512, pathSpatial},
			config{"asm-channel", true, hasAVX512, pathChannel},
			config{"asm-inputchan", true, hasAVX512, pathInputChan})
		if hasAVX512 {
			cs = append(cs,
				config{"asm-spatial-noavx512", true, false, pathSpatial},
				config{"asm-channel-noavx512", true, false, pathChannel},
				config{"asm-inputchan-noavx512", true, false, pathInputChan})
		}
	}
	return append(cs, config{"go", false, false, pathAuto})
}

func (c config) set() (restore func()) {
	a, v, p := useAsm, hasAVX512, forcePath
	useAsm, hasAVX512, forcePath = c.asm, c.avx512, c.path
	return func() { useAsm, hasAVX512, forcePath = a, v, p }
}

// paths runs f once per available implementation.
func paths(t *testing.T, f func(t *testing.T)) {
	for _, c := range configs() {
		restore := c.set()
		t.Run(c.name, f)
		restore()
	}
}

func randomShapes(r *rand.Rand, count int) []shape {
	var out []shape
	for len(out) < count {
		sh := shape{
			n:    1 + r.IntN(3),
			cin:  1 + r.IntN(7),
			cout: 1 + r.IntN(7),
			k:    []int{1, 2, 3, 4, 5, 7}[r.IntN(6)],
			pad:  r.IntN(3),
			h:    1 + r.IntN(20),
			w:    1 + r.IntN(20),
		}
		if sh.h+2*sh.pad < sh.k || sh.w+2*sh.pad < sh.k {
			continue
		}
		out = append(out, sh)
	}
	return out
}

func TestRandomShapes(t *testing.T) {
	count := 300
	if raceEnabled || testing.Short() {
		count = 40
	}
	paths(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(1, 2))
		var ws Workspace // reused across shapes on purpose
		for _, sh := range randomShapes(r, count) {
			checkShape(t, &ws, sh, r)
			if t.Failed() {
				return
			}
		}
	})
}

func TestEdgeShapes(t *testing.T) {
	shapes := []shape{
		{1, 1, 1, 1, 1, 1, 0},
		{1, 1, 1, 1, 1, 3, 1},   // output 1×1 from padding only
		{2, 2, 3, 3, 3, 5, 1},   // kernel larger than input
		{1, 3, 9, 17, 13, 3, 1}, // cout > 6, odd widths
		{1, 2, 8, 8, 2, 1, 2},   // pad > k-1
		{1, 2, 6, 6, 3, 2, 3},   // pad > k-1, even k
		{2, 3, 16, 16, 5, 13, 6},
		{1, 2, 20, 33, 9, 8, 0}, // k > 6 filter-gradient tap blocks
		{1, 1, 3, 40, 2, 3, 0},
		{2, 3, 9, 18, 16, 5, 2},  // two map vectors, 7-pixel blocks
		{1, 2, 5, 30, 24, 3, 1},  // three map vectors
		{1, 2, 4, 16, 3, 1, 0},   // width a multiple of 8, no tail
		{1, 3, 12, 12, 11, 5, 4}, // rows and columns meeting only padding
		{1, 2, 9, 40, 1, 3, 1},   // one map: 4 rows × 2 strips, odd strip count
		{2, 1, 11, 35, 1, 3, 1},  // one map with a tail
		{1, 2, 7, 21, 2, 3, 1},   // two maps: 4 rows, remainder rows
		{1, 2, 6, 7, 32, 1, 0},   // four map vectors, one tap
		{2, 2, 6, 7, 31, 2, 1},   // four map vectors, two taps, partial vector
		{2, 3, 10, 12, 16, 3, 1}, // one 16-map vector (AVX-512 filter gradient)
		{1, 2, 9, 9, 30, 4, 0},   // two 16-map vectors, the second partial
		{1, 2, 7, 9, 16, 6, 2},   // 16 maps, a kernel too large for the 16-lane filter gradient
		{2, 7, 3, 2, 16, 3, 3},   // 16 maps, pad > k−1: dx columns with no tap
		{1, 3, 5, 1, 12, 1, 0},   // 12 maps in a 16-lane vector, one dx column
		{1, 6, 12, 13, 16, 5, 0}, // C3 with an odd number of columns
		{1, 1, 6, 9, 32, 3, 1},   // two 16-map vectors, one input map
		{1, 2, 5, 16, 16, 3, 1},  // 16 maps, dx rows of 16 pixels
		{2, 7, 4, 37, 16, 5, 2},  // 16 maps, dx rows of 37 pixels, input-gradient map blocks of 4 and 3
		{1, 6, 3, 33, 32, 3, 0},  // two 16-map vectors, dx rows of 33 pixels
	}
	paths(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(3, 4))
		var ws Workspace
		for _, sh := range shapes {
			checkShape(t, &ws, sh, r)
		}
	})
}

func TestLeNetShapes(t *testing.T) {
	shapes := []shape{lenetC1, lenetC3, lenetC5}
	if raceEnabled {
		shapes = []shape{{2, 1, 28, 28, 6, 5, 2}, {2, 6, 14, 14, 16, 5, 0}, {1, 16, 7, 7, 120, 5, 2}}
	}
	paths(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(5, 6))
		for _, sh := range shapes {
			t.Run(sh.String(), func(t *testing.T) {
				var ws Workspace
				checkShape(t, &ws, sh, r)
			})
		}
	})
}

// TestPackageFuncs checks the pooled entry points, also from several
// goroutines at once.
func TestPackageFuncs(t *testing.T) {
	sh := shape{2, 3, 10, 11, 7, 3, 1}
	ho, wo := sh.out()
	r := rand.New(rand.NewPCG(7, 8))
	x := randSlice(r, sh.n*sh.cin*sh.h*sh.w)
	wt := randSlice(r, sh.cout*sh.cin*sh.k*sh.k)
	dy := randSlice(r, sh.n*sh.cout*ho*wo)
	wantY, magY := refForward(sh, x, wt)
	zero := make([]float32, len(wt))
	wantW, magW := refFilterGrad(sh, x, dy, zero)
	wantX, magX := refInputGrad(sh, dy, wt)
	var wg sync.WaitGroup
	for g := 0; g < 12; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := 0; it < 5; it++ {
				y := make([]float32, len(wantY))
				Forward(x, sh.n, sh.cin, sh.h, sh.w, wt, sh.cout, sh.k, sh.pad, y)
				compare(t, "Forward", y, wantY, magY)
				dw := make([]float32, len(wt))
				FilterGrad(x, sh.n, sh.cin, sh.h, sh.w, dy, sh.cout, sh.k, sh.pad, dw)
				compare(t, "FilterGrad", dw, wantW, magW)
				dx := make([]float32, len(x))
				InputGrad(dy, sh.n, sh.cout, wt, sh.cin, sh.h, sh.w, sh.k, sh.pad, dx)
				compare(t, "InputGrad", dx, wantX, magX)
			}
		}()
	}
	wg.Wait()
}

func TestNoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under -race")
	}
	paths(t, func(t *testing.T) {
		for _, sh := range []shape{lenetC1, lenetC3} {
			ho, wo := sh.out()
			x := make([]float32, sh.n*sh.cin*sh.h*sh.w)
			wt := make([]float32, sh.cout*sh.cin*sh.k*sh.k)
			dy := make([]float32, sh.n*sh.cout*ho*wo)
			y := make([]float32, len(dy))
			dw := make([]float32, len(wt))
			dx := make([]float32, len(x))
			var ws Workspace
			step := func() {
				ws.Forward(x, sh.n, sh.cin, sh.h, sh.w, wt, sh.cout, sh.k, sh.pad, y)
				ws.FilterGrad(x, sh.n, sh.cin, sh.h, sh.w, dy, sh.cout, sh.k, sh.pad, dw)
				ws.InputGrad(dy, sh.n, sh.cout, wt, sh.cin, sh.h, sh.w, sh.k, sh.pad, dx)
				ws.Backward(x, sh.n, sh.cin, sh.h, sh.w, dy, wt, sh.cout, sh.k, sh.pad, dw, dx)
			}
			step()
			if a := testing.AllocsPerRun(5, step); a != 0 {
				t.Errorf("%v: Workspace methods: %v allocs per run", sh, a)
			}
			pkg := func() {
				Forward(x, sh.n, sh.cin, sh.h, sh.w, wt, sh.cout, sh.k, sh.pad, y)
				FilterGrad(x, sh.n, sh.cin, sh.h, sh.w, dy, sh.cout, sh.k, sh.pad, dw)
				InputGrad(dy, sh.n, sh.cout, wt, sh.cin, sh.h, sh.w, sh.k, sh.pad, dx)
			}
			pkg()
			if a := testing.AllocsPerRun(5, pkg); a != 0 {
				t.Errorf("%v: package functions: %v allocs per run", sh, a)
			}
		}
	})
}

func TestPanics(t *testing.T) {
	x := make([]float32, 2*3*8*8)
	wt := make([]float32, 4*3*3*3)
	y := make([]float32, 2*4*6*6)
	cases := map[string]func(){
		"short x":   func() { Forward(x[:10], 2, 3, 8, 8, wt, 4, 3, 0, y) },
		"short wt":  func() { Forward(x, 2, 3, 8, 8, wt[:5], 4, 3, 0, y) },
		"short y":   func() { Forward(x, 2, 3, 8, 8, wt, 4, 3, 0, y[:5]) },
		"neg pad":   func() { Forward(x, 2, 3, 8, 8, wt, 4, 3, -1, y) },
		"zero cin":  func() { Forward(x, 2, 0, 8, 8, wt, 4, 3, 0, y) },
		"small img": func() { FilterGrad(x, 2, 3, 2, 8, y, 4, 3, 0, wt) },
		"short dw":  func() { FilterGrad(x, 2, 3, 8, 8, y, 4, 3, 0, wt[:3]) },
		"short dx":  func() { InputGrad(y, 2, 4, wt, 3, 8, 8, 3, 0, x[:3]) },
		"zero k":    func() { InputGrad(y, 2, 4, wt, 3, 8, 8, 0, 0, x) },
	}
	for name, f := range cases {
		t.Run(name, func(t *testing.T) {
			defer func() {
				r := recover()
				s, ok := r.(string)
				if !ok || len(s) < 7 || s[:7] != "dconv: " {
					t.Errorf("recovered %v, want a dconv: panic", r)
				}
			}()
			f()
		})
	}
}

func flops(sh shape) float64 {
	ho, wo := sh.out()
	return 2 * float64(sh.n*sh.cout*sh.cin*sh.k*sh.k*ho*wo)
}

func benchPaths(b *testing.B, f func(b *testing.B)) {
	for _, c := range configs() {
		restore := c.set()
		b.Run(c.name, f)
		restore()
	}
}

func benchmark(b *testing.B, sh shape, which string) {
	ho, wo := sh.out()
	r := rand.New(rand.NewPCG(9, 10))
	x := randSlice(r, sh.n*sh.cin*sh.h*sh.w)
	wt := randSlice(r, sh.cout*sh.cin*sh.k*sh.k)
	dy := randSlice(r, sh.n*sh.cout*ho*wo)
	y := make([]float32, len(dy))
	dw := make([]float32, len(wt))
	dx := make([]float32, len(x))
	benchPaths(b, func(b *testing.B) {
		var ws Workspace
		fl := 0.0
		step := func() {}
		switch which {
		case "Forward":
			fl = flops(sh)
			step = func() { ws.Forward(x, sh.n, sh.cin, sh.h, sh.w, wt, sh.cout, sh.k, sh.pad, y) }
		case "FilterGrad":
			fl = flops(sh)
			step = func() { ws.FilterGrad(x, sh.n, sh.cin, sh.h, sh.w, dy, sh.cout, sh.k, sh.pad, dw) }
		case "InputGrad":
			fl = flops(sh)
			step = func() { ws.InputGrad(dy, sh.n, sh.cout, wt, sh.cin, sh.h, sh.w, sh.k, sh.pad, dx) }
		case "FwdFG": // C1 training step work
			fl = 2 * flops(sh)
			step = func() {
				ws.Forward(x, sh.n, sh.cin, sh.h, sh.w, wt, sh.cout, sh.k, sh.pad, y)
				ws.FilterGrad(x, sh.n, sh.cin, sh.h, sh.w, dy, sh.cout, sh.k, sh.pad, dw)
			}
		case "Backward": // FilterGrad and InputGrad in one call
			fl = 2 * flops(sh)
			step = func() { ws.Backward(x, sh.n, sh.cin, sh.h, sh.w, dy, wt, sh.cout, sh.k, sh.pad, dw, dx) }
		case "FwdFGIG": // C3 training step work
			fl = 3 * flops(sh)
			step = func() {
				ws.Forward(x, sh.n, sh.cin, sh.h, sh.w, wt, sh.cout, sh.k, sh.pad, y)
				ws.FilterGrad(x, sh.n, sh.cin, sh.h, sh.w, dy, sh.cout, sh.k, sh.pad, dw)
				ws.InputGrad(dy, sh.n, sh.cout, wt, sh.cin, sh.h, sh.w, sh.k, sh.pad, dx)
			}
		}
		step()
		b.ResetTimer()
		for b.Loop() {
			step()
		}
		b.ReportMetric(fl*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	})
}

func BenchmarkC1Forward(b *testing.B)    { benchmark(b, lenetC1, "Forward") }
func BenchmarkC1FilterGrad(b *testing.B) { benchmark(b, lenetC1, "FilterGrad") }
func BenchmarkC1InputGrad(b *testing.B)  { benchmark(b, lenetC1, "InputGrad") }
func BenchmarkC1FwdFG(b *testing.B)      { benchmark(b, lenetC1, "FwdFG") }
func BenchmarkC3Forward(b *testing.B)    { benchmark(b, lenetC3, "Forward") }
func BenchmarkC3FilterGrad(b *testing.B) { benchmark(b, lenetC3, "FilterGrad") }
func BenchmarkC3InputGrad(b *testing.B)  { benchmark(b, lenetC3, "InputGrad") }
func BenchmarkC3Backward(b *testing.B)   { benchmark(b, lenetC3, "Backward") }
func BenchmarkC3FwdFGIG(b *testing.B)    { benchmark(b, lenetC3, "FwdFGIG") }
func BenchmarkC5Forward(b *testing.B)    { benchmark(b, lenetC5, "Forward") }
