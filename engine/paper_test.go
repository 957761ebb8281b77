package engine

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lenet-tui/lenet-tui/dataset"
)

// TestLeNet1998Counts holds lenet5-1998 to the paper's numbers: the net of
// lenet5 on a 32×32 field, 60,000 trainable parameters, and an output of
// 10×84=840 fixed RBF connections with no parameter.
func TestLeNet1998Counts(t *testing.T) {
	spec, _ := LookupArch("lenet5-1998")
	net, err := Build(spec, mnistIn, 10, spec.Defaults)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		name, out           string
		params, connections int
	}{
		{"INPUT", "1@32×32", 0, 0}, {"C1", "6@28×28", 156, 122304}, {"S2", "6@14×14", 12, 5880},
		{"C3", "16@10×10", 1516, 151600}, {"S4", "16@5×5", 32, 2000}, {"C5", "120", 48120, 48120},
		{"F6", "84", 10164, 10164}, {"OUTPUT", "10", 0, 840},
	}
	infos := net.Info()
	if len(infos) != len(want) {
		t.Fatalf("%d blocks, want %d", len(infos), len(want))
	}
	for i, w := range want {
		li := infos[i]
		if li.Name != w.name || li.Out.String() != w.out || li.Params != w.params || li.Connections != w.connections {
			t.Errorf("block %d = %s %v %d %d, want %+v", i, li.Name, li.Out, li.Params, li.Connections, w)
		}
	}
	if p, c := Totals(infos); p != 60000 || c != 340908 {
		t.Errorf("totals = %d params, %d connections; want 60,000 and 340,908", p, c)
	}
	if f := infos[7].ConnectionsFormula; !strings.Contains(f, "840 fixed RBF") {
		t.Errorf("OUTPUT formula %q, want it to say 840 fixed RBF weights", f)
	}
	if infos[0].Activation != "" || infos[7].Activation != "" || infos[1].Activation != ScaledTanh {
		t.Errorf("activations %q, %q, %q: want none on the pad and the RBF units, scaled-tanh on C1", infos[0].Activation, infos[7].Activation, infos[1].Activation)
	}
	// The first convolution after a pad computes no input gradient.
	if c := net.blocks[1].op.(*Conv); c.needDx {
		t.Error("C1 after the pad computes d(input), which nobody reads")
	}
	s := spec.Defaults
	s.Output = OutputSoftmax
	soft, err := Build(spec, mnistIn, 10, s)
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := Totals(soft.Info()); p != 60850 {
		t.Errorf("with output softmax: %d params, want 60,850 (a dense 10×(84+1) output)", p)
	}
}

// TestRBFBitmaps: ten 7×12 bitmaps of ±1, no two alike, and the RBF
// penalty of a bitmap against each unit is 4 × their Hamming distance
// ((1 − (−1))² = 4 per differing pixel), 0 against its own.
func TestRBFBitmaps(t *testing.T) {
	r, err := newRBF("OUT", Shape{84, 1, 1}, 10)
	if err != nil {
		t.Fatal(err)
	}
	for c, rows := range rbfBitmaps {
		for _, row := range rows {
			if len(row) != 7 || strings.Trim(row, "#.") != "" {
				t.Fatalf("digit %d: row %q, want 7 characters of # and .", c, row)
			}
		}
	}
	for a := range 10 {
		y := r.Forward(RBFBitmap(a), 1)
		for b := range 10 {
			ham := 0
			for i := range rbfRows {
				for j := range rbfCols {
					if rbfBitmaps[a][i][j] != rbfBitmaps[b][i][j] {
						ham++
					}
				}
			}
			if y[b] != float32(4*ham) {
				t.Errorf("penalty of bitmap %d at unit %d = %v, want 4×%d", a, b, y[b], ham)
			}
			if a != b && ham < 10 {
				t.Errorf("bitmaps %d and %d differ in %d pixels, want at least 10 to tell them apart", a, b, ham)
			}
		}
	}
	if _, err := newRBF("OUT", Shape{80, 1, 1}, 10); err == nil {
		t.Error("an RBF output on 80 inputs was built, want an error: the bitmaps have 84 pixels")
	}
}

// TestRBFLoss checks eq. 9 against a hand-worked case and its gradient
// against central differences in float64.
func TestRBFLoss(t *testing.T) {
	y := []float32{0.5, 2, 3, 40, 4, 5, 6, 7, 8, 9}
	ref := func(y []float64, d int) float64 {
		z := math.Exp(-rbfJ)
		for _, v := range y {
			z += math.Exp(-v)
		}
		return y[d] + math.Log(z)
	}
	y64 := make([]float64, len(y))
	for i, v := range y {
		y64[i] = float64(v)
	}
	dz := make([]float32, 10)
	loss, correct := rbfLoss(y, []uint8{0}, 1, 10, 1, dz)
	if want := ref(y64, 0); math.Abs(loss-want) > 1e-6 || correct != 1 {
		t.Errorf("rbfLoss = %v, %d correct; want %v, 1 (the smallest penalty is the label's)", loss, correct, want)
	}
	for i := range y64 {
		old := y64[i]
		y64[i] = old + 1e-4
		lp := ref(y64, 0)
		y64[i] = old - 1e-4
		lm := ref(y64, 0)
		y64[i] = old
		if num := (lp - lm) / 2e-4; math.Abs(float64(dz[i])-num) > 1e-5 {
			t.Errorf("dE/dy[%d] = %v, want %v", i, dz[i], num)
		}
	}
	// Huge penalties do not underflow to log(0): the e^{−j} term holds it.
	big := []float32{1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 9500}
	if l, c := rbfLoss(big, []uint8{3}, 1, 10, 1, dz); l != 4000-rbfJ || c != 0 {
		t.Errorf("rbfLoss of far penalties = %v, %d; want 4000 − j = %v, 0", l, c, 4000-rbfJ)
	}
}

// TestGradPadRBF checks the pad and the RBF units against central
// differences, alone and in a net through the paper's loss.
func TestGradPadRBF(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 13))
	p, _ := newPad("P", Shape{2, 3, 4}, 2, true)
	p.fill = -0.3
	checkLayer(t, p, randn(rng, 2*24, 1), 2, rng)
	r, _ := newRBF("R", Shape{84, 1, 1}, 10)
	checkLayer(t, r, randn(rng, 3*84, 1), 3, rng)

	spec := ArchSpec{Name: "tiny-1998", Layers: []LayerSpec{
		{Name: "IN", Kind: "pad", Padding: "1"},
		{Name: "C1", Kind: "conv", Maps: 2, Kernel: 3},
		{Name: "S2", Kind: "pool", Pool: PoolSubsample},
		{Name: "F3", Kind: "dense", Units: 84},
		{Name: "OUT", Kind: "dense", Units: 10},
	}}
	net, err := Build(spec, Shape{1, 6, 6}, 10, Settings{Activation: ScaledTanh, Init: InitLeCun1998, Seed: 4, Output: OutputRBF})
	if err != nil {
		t.Fatal(err)
	}
	net.SetBackground(-0.1)
	for _, q := range net.Params() {
		copy(q.W, randn(rng, len(q.W), 0.4)) // larger than the init, so no gradient is tiny
	}
	const n = 3
	x := randn(rng, n*36, 1)
	labels := []uint8{2, 7, 0}
	loss := func() float64 {
		l, _ := rbfLoss(net.Forward(x, n), labels, n, 10, 0, nil)
		return l / n
	}
	dz := make([]float32, n*10)
	rbfLoss(net.Forward(x, n), labels, n, 10, 1.0/n, dz)
	net.ZeroGrad()
	net.Backward(dz)
	for _, q := range net.Params() {
		g := append([]float32(nil), q.G...)
		for i := range q.W {
			old := q.W[i]
			q.W[i] = old + fdEps
			lp := loss()
			q.W[i] = old - fdEps
			lm := loss()
			q.W[i] = old
			if num := (lp - lm) / (2 * fdEps); math.Abs(float64(g[i])-num) > 2e-3+2e-2*math.Abs(num) {
				t.Errorf("%s.G[%d] = %.5g, want %.5g (central difference)", q.Name, i, g[i], num)
			}
		}
	}
}

// TestBackgroundPadding: lenet5-1998 sees the digit in a field of the
// background, the scaled value of a blank pixel: −0.1 under input paper,
// −mean/std when standardised; not 0. The probabilities a view shows are
// softmax(−y), whose largest is the smallest penalty.
func TestBackgroundPadding(t *testing.T) {
	spec, _ := LookupArch("lenet5-1998")
	train, test := dataset.Synthetic(100, 28, 28, 1), dataset.Synthetic(10, 28, 28, 2)
	for _, in := range []Input{InputPaper, InputStandardize} {
		s := spec.Defaults
		s.Input, s.Batch = in, 10
		net, err := Build(spec, mnistIn, 10, s)
		if err != nil {
			t.Fatal(err)
		}
		tr, err := NewTrainer(net, train, test, TrainConfig{Settings: s, Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		want := -0.1
		if in == InputStandardize {
			mean, std := train.PixelStats()
			want = -float64(mean) / float64(std)
		}
		snap := tr.Probe(3)
		field := snap.Blocks[0].Maps
		for i, v := range field {
			r, c := i/32, i%32
			inside := r >= 2 && r < 30 && c >= 2 && c < 30
			if !inside && math.Abs(float64(v)-want) > 1e-6 {
				t.Fatalf("%s: border pixel (%d, %d) = %v, want the background %v", in, r, c, v, want)
			}
			if inside && v != snap.Input[(r-2)*28+c-2] {
				t.Fatalf("%s: pixel (%d, %d) = %v, want the image's %v", in, r, c, v, snap.Input[(r-2)*28+c-2])
			}
		}
		y := snap.Blocks[len(snap.Blocks)-1].Maps
		var sum float64
		best, top := 0, 0
		for i := range y {
			sum += float64(snap.Probs[i])
			if y[i] < y[best] {
				best = i
			}
			if snap.Probs[i] > snap.Probs[top] {
				top = i
			}
		}
		if math.Abs(sum-1) > 1e-5 || best != top {
			t.Errorf("%s: probabilities sum to %v and peak at %d; want 1 and the smallest penalty, %d", in, sum, top, best)
		}
	}
}

// TestInitLeCun1998 checks the paper's initialisation: every value uniform
// in ±2.4/Fᵢ, Fᵢ the fan-in of its unit, C3's per map by the table.
func TestInitLeCun1998(t *testing.T) {
	spec, _ := LookupArch("lenet5-1998")
	net, err := Build(spec, mnistIn, 10, spec.Defaults)
	if err != nil {
		t.Fatal(err)
	}
	fanIn := map[string]func(i int) int{
		"C1.w": func(int) int { return 25 }, "C1.b": func(int) int { return 25 },
		"S2.coef": func(int) int { return 4 }, "S2.b": func(int) int { return 4 },
		"C5.w": func(int) int { return 400 }, "F6.w": func(int) int { return 120 }, "F6.b": func(int) int { return 120 },
		// C3's maps read 3, 4 or 6 of S2's maps (Table I): 75, 100 or 150 inputs.
		"C3.b": func(j int) int {
			return []int{75, 75, 75, 75, 75, 75, 100, 100, 100, 100, 100, 100, 100, 100, 100, 150}[j]
		},
	}
	for _, p := range net.Params() {
		f, ok := fanIn[p.Name]
		if !ok {
			continue
		}
		bound, top := 0.0, 0.0
		for i, w := range p.W {
			b := 2.4 / float64(f(i))
			bound = max(bound, b)
			if math.Abs(float64(w)) > b {
				t.Fatalf("%s[%d] = %v, beyond ±2.4/%d", p.Name, i, w, f(i))
			}
			top = max(top, math.Abs(float64(w)))
		}
		if len(p.W) >= 100 && top < 0.9*bound {
			t.Errorf("%s: largest |value| %v, want values spread up to about %v", p.Name, top, bound)
		}
	}
}
