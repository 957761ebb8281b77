package engine

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// Gradient checks: every layer's Backward against central differences of its
// Forward, L = Σ r·y for a random upstream gradient r, accumulated in float64.
// Inputs are drawn away from the kinks of ReLU and from ties in max pooling,
// where the derivative does not exist.

const (
	fdEps = 1e-2
	fdAbs = 2e-3
	fdRel = 2e-2
)

// spaced returns n values in ±scale no two of which are closer than about
// 4·fdEps, with none near zero, in random order.
func spaced(rng *rand.Rand, n int, scale float64) []float32 {
	v := make([]float32, n)
	for i := range v {
		mag := 0.1 + float64(i)*0.05
		if i%2 == 1 {
			mag = -mag
		}
		v[i] = float32(mag * scale)
	}
	rng.Shuffle(n, func(i, j int) { v[i], v[j] = v[j], v[i] })
	return v
}

func randn(rng *rand.Rand, n int, std float64) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(rng.NormFloat64() * std)
	}
	return v
}

func dot(a, b []float32) float64 {
	var s float64
	for i := range a {
		s += float64(a[i]) * float64(b[i])
	}
	return s
}

// allocated gives a layer made alone, not by Build, its parameters' values
// and gradients.
func allocated[L Layer](l L, err error) (L, error) {
	if err != nil {
		return l, err
	}
	for _, p := range l.Params() {
		p.W, p.G = make([]float32, p.size), make([]float32, p.size)
	}
	return l, nil
}

func near(analytic, numeric float64) bool {
	return math.Abs(analytic-numeric) <= fdAbs+fdRel*math.Abs(numeric)
}

// checkLayer compares l's gradients with central differences for the input
// and every parameter.
func checkLayer(t *testing.T, l Layer, x []float32, n int, rng *rand.Rand) {
	t.Helper()
	y := l.Forward(x, n)
	r := randn(rng, len(y), 1)
	for _, p := range l.Params() {
		clear(p.G)
	}
	dx := l.Backward(r)
	if dx != nil {
		dx = append([]float32(nil), dx...)
	}
	loss := func() float64 { return dot(r, l.Forward(x, n)) }
	numeric := func(v []float32, i int) float64 {
		old := v[i]
		v[i] = old + fdEps
		lp := loss()
		v[i] = old - fdEps
		lm := loss()
		v[i] = old
		return (lp - lm) / (2 * fdEps)
	}
	if dx != nil {
		for i := range x {
			if num := numeric(x, i); !near(float64(dx[i]), num) {
				t.Errorf("dx[%d] = %.5g, want %.5g (central difference)", i, dx[i], num)
			}
		}
	}
	for _, p := range l.Params() {
		g := append([]float32(nil), p.G...)
		for i := range p.W {
			if p.W[i] == 0 {
				continue // left out by a connection table: not trainable
			}
			if num := numeric(p.W, i); !near(float64(g[i]), num) {
				t.Errorf("%s.G[%d] = %.5g, want %.5g (central difference)", p.Name, i, g[i], num)
			}
		}
	}
}

func TestGradConv(t *testing.T) {
	for _, tc := range []struct {
		name       string
		in         Shape
		maps, k, p int
		table      bool
		perPos     bool // a bias per output position
	}{
		{"valid 3x3", Shape{2, 5, 5}, 3, 3, 0, false, false},
		{"same 5x5", Shape{1, 6, 6}, 2, 5, 2, false, false},
		{"pad 1 on 4x3", Shape{3, 4, 3}, 2, 3, 1, false, false},
		{"lenet5 table", Shape{6, 5, 5}, 16, 3, 0, true, false},
		{"whole input, as C5", Shape{3, 4, 4}, 5, 4, 0, false, false},
		{"whole input with table", Shape{6, 3, 3}, 16, 3, 0, true, false},
		{"valid 3x3, bias per position", Shape{2, 5, 5}, 3, 3, 0, false, true},
		{"pad 1 on 4x3, bias per position", Shape{3, 4, 3}, 2, 3, 1, false, true},
		{"lenet5 table, bias per position", Shape{6, 5, 5}, 16, 3, 0, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 2))
			var table [][]bool
			if tc.table {
				table = LeNet5Table()
			}
			c, err := newConv("C", tc.in, tc.maps, tc.k, tc.p, table, true)
			if err != nil {
				t.Fatal(err)
			}
			if tc.perPos {
				c.biasPerPosition()
			}
			if c, err = allocated(c, nil); err != nil {
				t.Fatal(err)
			}
			if tc.perPos && len(c.b.W) != c.out.Size() {
				t.Fatalf("%d biases, want one per output position: %d", len(c.b.W), c.out.Size())
			}
			for _, p := range c.Params() {
				copy(p.W, randn(rng, len(p.W), 0.5))
			}
			if table != nil {
				c.applyTable(c.w.W)
			}
			checkLayer(t, c, randn(rng, 2*tc.in.Size(), 1), 2, rng)
			if table != nil {
				for j := range 16 {
					for i := range 6 {
						if table[i][j] {
							continue
						}
						for q := range tc.k * tc.k {
							if g := c.w.G[(j*6+i)*tc.k*tc.k+q]; g != 0 {
								t.Fatalf("gradient of unconnected weight (in %d, out %d) = %g, want 0", i, j, g)
							}
						}
					}
				}
			}
		})
	}
}

func TestGradPool(t *testing.T) {
	for _, mode := range []string{PoolMax, PoolAvg, PoolSubsample} {
		for _, tc := range []struct {
			in   Shape
			ceil bool
		}{{Shape{2, 5, 4}, false}, {Shape{2, 5, 4}, true}, {Shape{2, 4, 6}, false}} {
			in, ceil := tc.in, tc.ceil
			t.Run(fmt.Sprintf("%s %v ceil=%v", mode, in, ceil), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(3, 4))
				p, err := allocated(newPool("S", mode, in, 2, ceil))
				if err != nil {
					t.Fatal(err)
				}
				for _, q := range p.Params() {
					copy(q.W, randn(rng, len(q.W), 1))
				}
				checkLayer(t, p, spaced(rng, 3*in.Size(), 1), 3, rng)
			})
		}
	}
}

func TestGradDense(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	d, err := allocated(newDense("F", Shape{3, 2, 2}, 5, true))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range d.Params() {
		copy(p.W, randn(rng, len(p.W), 0.5))
	}
	checkLayer(t, d, randn(rng, 4*12, 1), 4, rng)
}

func TestGradActivations(t *testing.T) {
	for _, fn := range Activations() {
		t.Run(string(fn), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(7, 8))
			shape := Shape{2, 3, 3}
			checkLayer(t, newAct(fn, shape), spaced(rng, 2*shape.Size(), 0.5), 2, rng)
		})
	}
}

// TestGradNet checks a whole small net through the softmax cross-entropy:
// every parameter's gradient against central differences of the mean loss.
func TestGradNet(t *testing.T) {
	spec := ArchSpec{Name: "tiny", Layers: []LayerSpec{
		{Name: "C1", Kind: "conv", Maps: 6, Kernel: 3, Padding: "same"},
		{Name: "S2", Kind: "pool", Pool: PoolSubsample},
		{Name: "C3", Kind: "conv", Maps: 16, Kernel: 3, Padding: "1", Table: "lenet5", Activation: string(ScaledTanh)},
		{Name: "S4", Kind: "pool", Pool: PoolAvg, Activation: "none"},
		{Name: "F5", Kind: "dense", Units: 7, Activation: string(Sigmoid)},
		{Name: "OUT", Kind: "dense", Units: 4},
	}}
	for _, tc := range []struct {
		hidden Activation
		bias   Bias
		order  Order
	}{{Tanh, BiasPerMap, OrderAsWritten}, {Sigmoid, BiasPerMap, OrderAsWritten}, {Tanh, BiasPerPosition, OrderAsWritten},
		{Sigmoid, BiasPerMap, OrderPoolThenActivate}, {Tanh, BiasPerPosition, OrderActivateThenPool}} {
		t.Run(string(tc.hidden)+" "+string(tc.bias)+" "+string(tc.order), func(t *testing.T) {
			net, err := Build(spec, Shape{1, 8, 8}, 4, Settings{Activation: tc.hidden, Init: InitGlorot, Seed: 9, Bias: tc.bias, Order: tc.order})
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(10, 11))
			for _, p := range net.Params() {
				if p.Bias {
					copy(p.W, randn(rng, len(p.W), 0.3))
				}
			}
			const n = 3
			x := randn(rng, n*64, 1)
			labels := []uint8{0, 3, 1}
			loss := func() float64 {
				z := net.Forward(x, n)
				l, _ := softmaxCE(crossEntropy{}, z, labels, n, 4, 0, nil)
				return l / n
			}
			z := net.Forward(x, n)
			dz := make([]float32, n*4)
			softmaxCE(crossEntropy{}, z, labels, n, 4, 1.0/n, dz)
			net.ZeroGrad()
			net.Backward(dz)
			for _, p := range net.Params() {
				g := append([]float32(nil), p.G...)
				for i := range p.W {
					if p.W[i] == 0 {
						continue // left out by C3's connection table: not trainable
					}
					old := p.W[i]
					p.W[i] = old + fdEps
					lp := loss()
					p.W[i] = old - fdEps
					lm := loss()
					p.W[i] = old
					num := (lp - lm) / (2 * fdEps)
					if math.Abs(float64(g[i])-num) > 1e-3+2e-2*math.Abs(num) {
						t.Errorf("%s.G[%d] = %.5g, want %.5g (central difference)", p.Name, i, g[i], num)
					}
				}
			}
		})
	}
}

func TestSoftmaxCE(t *testing.T) {
	z := []float32{0, 200, -200, 1}
	labels := []uint8{1}
	stable, _ := softmaxCE(crossEntropy{}, z, labels, 1, 4, 1, nil)
	if !finite(stable) || stable > 1e-6 {
		t.Errorf("stable loss of a confident right answer = %g, want ≈ 0", stable)
	}
	naive, _ := softmaxCE(crossEntropy{naive: true}, z, labels, 1, 4, 1, nil)
	if !math.IsNaN(naive) {
		t.Errorf("naive loss with an underflowing softmax = %g, want NaN (0·log 0)", naive)
	}
	small := []float32{0.5, -0.25, 1, 0}
	a, _ := softmaxCE(crossEntropy{}, small, []uint8{2}, 1, 4, 1, nil)
	b, _ := softmaxCE(crossEntropy{naive: true}, small, []uint8{2}, 1, 4, 1, nil)
	if math.Abs(a-b) > 1e-6 {
		t.Errorf("stable loss %g and naive loss %g differ on tame logits", a, b)
	}
}
