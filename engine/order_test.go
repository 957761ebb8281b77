package engine

import (
	"math"
	"math/rand/v2"
	"testing"
)

// orderSpec is a small net whose C1 → S2 pair the order setting rearranges.
func orderSpec(pool string) ArchSpec {
	return ArchSpec{Name: "order-" + pool, Layers: []LayerSpec{
		{Name: "C1", Kind: "conv", Maps: 3, Kernel: 3, Padding: "same"},
		{Name: "S2", Kind: "pool", Pool: pool},
		{Name: "F3", Kind: "dense", Units: 10},
	}}
}

// orderNets builds the spec under both orders, from the same seed, so with
// the same weights, and runs x through each; it returns the nets.
func orderNets(t *testing.T, spec ArchSpec, act Activation, x []float32, n int) (poolFirst, actFirst *Net) {
	t.Helper()
	nets := make([]*Net, 2)
	for i, o := range []Order{OrderPoolThenActivate, OrderActivateThenPool} {
		net, err := Build(spec, Shape{1, 8, 8}, 10, Settings{Activation: act, Init: InitGlorot, Seed: 3, Order: o})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range net.Params() {
			if p.Bias || p.Coef { // non-trivial biases and coefficients, the same in both
				rng := rand.New(rand.NewPCG(uint64(len(p.W)), 1))
				copy(p.W, randn(rng, len(p.W), 0.7))
			}
		}
		net.Forward(x, n)
		nets[i] = net
	}
	return nets[0], nets[1]
}

// TestOrderMaxPoolIdentical: for max pooling and a monotone activation,
// f(max x) = max f(x), so pool-then-activate and activate-then-pool give
// the very same numbers, down to the last bit (rounding is monotone too).
func TestOrderMaxPoolIdentical(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	x := randn(rng, 4*64, 1)
	for _, act := range []Activation{Sigmoid, ReLU, Tanh, ScaledTanh} {
		a, b := orderNets(t, orderSpec(PoolMax), act, x, 4)
		if a.blocks[0].act != nil || a.blocks[1].act == nil || b.blocks[0].act == nil || b.blocks[1].act != nil {
			t.Fatalf("%s: pool-then-activate must leave C1 linear and squash S2, activate-then-pool the reverse", act)
		}
		for _, i := range []int{1, 2} {
			ya, yb := a.blocks[i].out, b.blocks[i].out
			for k := range ya {
				if ya[k] != yb[k] {
					t.Fatalf("%s: %s output %d = %v pool-then-activate, %v activate-then-pool; want identical", act, a.blocks[i].info.Name, k, ya[k], yb[k])
				}
			}
		}
	}
}

// TestOrderAveragingDiffers: for averaging and LeCun's trainable
// subsampling the two orders differ, and each equals its float64 reference
// computed from C1's linear output: f(c·Σx + b) against c·Σf(x) + b.
func TestOrderAveragingDiffers(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	const n = 2
	x := randn(rng, n*64, 1)
	for _, pool := range []string{PoolAvg, PoolSubsample} {
		for _, act := range []Activation{Sigmoid, ReLU, ScaledTanh} {
			a, b := orderNets(t, orderSpec(pool), act, x, n)
			lin := a.blocks[0].out // C1 without its activation: w ⊛ x + b
			f := func(v float64) float64 {
				y := []float32{float32(v)}
				newAct(act, Shape{1, 1, 1}).apply(y)
				return float64(y[0])
			}
			coef, bias := func(int) float64 { return 0.25 }, func(int) float64 { return 0 }
			if pool == PoolSubsample {
				s2 := a.blocks[1].op.(*Pool)
				coef = func(c int) float64 { return float64(s2.coef.W[c]) }
				bias = func(c int) float64 { return float64(s2.bias.W[c]) }
			}
			maxDiff := 0.0
			for s := range n {
				for c := range 3 {
					for oy := range 4 {
						for ox := range 4 {
							var sum, sumF float64
							for _, d := range [][2]int{{0, 0}, {0, 1}, {1, 0}, {1, 1}} {
								v := float64(lin[((s*3+c)*8+2*oy+d[0])*8+2*ox+d[1]])
								sum += v
								sumF += f(v)
							}
							o := ((s*3+c)*4+oy)*4 + ox
							wantA, wantB := f(coef(c)*sum+bias(c)), coef(c)*sumF+bias(c)
							if ga, gb := float64(a.blocks[1].out[o]), float64(b.blocks[1].out[o]); math.Abs(ga-wantA) > 1e-5 || math.Abs(gb-wantB) > 1e-5 {
								t.Fatalf("%s %s S2[%d] = %v, %v; want f(pool) %v, pool(f) %v", pool, act, o, ga, gb, wantA, wantB)
							}
							maxDiff = max(maxDiff, math.Abs(wantA-wantB))
						}
					}
				}
			}
			if maxDiff < 1e-2 {
				t.Errorf("%s %s: the two orders differ by at most %g, want them to differ", pool, act, maxDiff)
			}
		}
	}
}
