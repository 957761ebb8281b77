package engine

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/lenet-tui/lenet-tui/dataset"
)

// randomTrainer builds the built-in architecture arch with activation act
// on synthetic 28×28 digits and gives every parameter, biases and
// subsampling coefficients included, a seeded random value, so that none
// of them can hide behind its initial 0 or 1/4.
func randomTrainer(t *testing.T, arch string, act Activation, edits ...func(*Settings)) *Trainer {
	t.Helper()
	spec, err := LookupArch(arch)
	if err != nil {
		t.Fatal(err)
	}
	s := spec.Defaults
	s.Activation, s.Batch = act, 16
	for _, edit := range edits {
		edit(&s)
	}
	net, err := Build(spec, Shape{1, 28, 28}, 10, s)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 9))
	for _, p := range net.Params() {
		for i := range p.W {
			p.W[i] = float32(rng.NormFloat64() * 0.3)
		}
	}
	for _, b := range net.blocks {
		if c, ok := b.op.(*Conv); ok && c.table != nil {
			c.applyTable(c.w.W)
		}
	}
	tr, err := NewTrainer(net, dataset.Synthetic(64, 28, 28, 1), dataset.Synthetic(16, 28, 28, 2), TrainConfig{Settings: s, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// TestExplainMatchesForward takes apart every output value of every
// convolution and pooling block, in float64 from the snapshot alone, and
// compares it with the value the engine's float32 forward pass produced:
// C1 with its padding, C3 with its connection table, the subsampling
// layers with their coefficient and bias, C5 (a convolution the engine
// runs as a dense layer), max pooling and SAME pools with ragged edges.
func TestExplainMatchesForward(t *testing.T) {
	perPosition := func(s *Settings) { s.Bias = BiasPerPosition }
	poolFirst := func(s *Settings) { s.Order = OrderPoolThenActivate }
	cases := []struct {
		name string
		arch string
		act  Activation
		edit func(*Settings)
	}{
		{"", "lenet5", Sigmoid, nil}, {"", "lenet5", ReLU, nil}, {"", "lenet5", ScaledTanh, nil}, {"", "lenet5-modern", Tanh, nil},
		{"", "seed-code", Sigmoid, nil}, {"", "seed-notes", ReLU, nil}, {"", "lenet5-1998", ScaledTanh, nil},
		{"bias per position", "lenet5", Sigmoid, perPosition}, {"pool then activate", "lenet5", Tanh, poolFirst},
	}
	for _, tc := range cases {
		t.Run(tc.arch+"/"+string(tc.act)+"/"+tc.name, func(t *testing.T) {
			var edits []func(*Settings)
			if tc.edit != nil {
				edits = append(edits, tc.edit)
			}
			tr := randomTrainer(t, tc.arch, tc.act, edits...)
			snap := tr.Probe(3)
			explained := 0
			for i, b := range snap.Blocks {
				if b.Kind != "conv" && b.Kind != "pool" {
					if _, err := snap.Explain(i, 0, 0, 0); err == nil {
						t.Errorf("Explain(%s, a %s layer) = nil error, want one", b.Name, b.Kind)
					}
					continue
				}
				for m := range b.Shape.C {
					for y := range b.Shape.H {
						for x := range b.Shape.W {
							px, err := snap.Explain(i, m, y, x)
							if err != nil {
								t.Fatalf("Explain(%s, %d, %d, %d): %v", b.Name, m, y, x, err)
							}
							want := float64(b.Maps[(m*b.Shape.H+y)*b.Shape.W+x])
							if math.Abs(px.Out-want) > 1e-4*math.Max(1, math.Abs(want)) {
								t.Fatalf("Explain(%s, %d, %d, %d).Out = %.7g, want the forward pass's %.7g", b.Name, m, y, x, px.Out, want)
							}
							if got := px.Coef*px.Sum + px.Bias; got != px.Pre || activate64(b.Activation, got) != px.Out {
								t.Fatalf("Explain(%s, %d, %d, %d): pre %g, out %g do not follow from coef %g, sum %g, bias %g", b.Name, m, y, x, px.Pre, px.Out, px.Coef, px.Sum, px.Bias)
							}
							explained++
						}
					}
				}
			}
			if explained == 0 {
				t.Fatal("no block explained")
			}
		})
	}
}

// TestExplainC3Table checks that C3's values read exactly the S2 maps of
// Table I, and S2's its coefficient: map 15 reads all six, map 0 maps 0–2.
func TestExplainC3Table(t *testing.T) {
	tr := randomTrainer(t, "lenet5", Sigmoid)
	snap := tr.Probe(0)
	table := LeNet5Table()
	for j := range 16 {
		px, err := snap.Explain(2, j, 4, 5)
		if err != nil {
			t.Fatal(err)
		}
		var want []int
		for i := range 6 {
			if table[i][j] {
				want = append(want, i)
			}
		}
		var got []int
		var sum float64
		for _, term := range px.Terms {
			got = append(got, term.Map)
			sum += term.Sum
			if term.Y0 != 4 || term.X0 != 5 || len(term.Window) != 25 || len(term.Kernel) != 25 {
				t.Errorf("C3 map %d, input %d: window at (%d, %d) of %d values, kernel %d; want (4, 5), 25, 25", j, term.Map, term.Y0, term.X0, len(term.Window), len(term.Kernel))
			}
		}
		if len(got) != len(want) || sum != px.Sum {
			t.Errorf("Explain(C3 map %d) reads maps %v summing to %g (Sum %g), want %v", j, got, sum, px.Sum, want)
		}
		for k := range min(len(got), len(want)) {
			if got[k] != want[k] {
				t.Errorf("Explain(C3 map %d) reads maps %v, want %v", j, got, want)
				break
			}
		}
	}
	px, _ := snap.Explain(1, 2, 3, 4)
	if c := float64(snap.Blocks[1].Coef[2]); px.Coef != c || c == 0.25 {
		t.Errorf("Explain(S2 map 2).Coef = %g, want the map's trained coefficient %g (not the initial 1/4)", px.Coef, c)
	}
	if term := px.Terms[0]; term.Y0 != 6 || term.X0 != 8 || term.H != 2 || term.W != 2 || term.Kernel != nil {
		t.Errorf("Explain(S2 map 2, (3, 4)) reads a %d×%d window at (%d, %d), kernel %v; want 2×2 at (6, 8), none", term.H, term.W, term.Y0, term.X0, term.Kernel)
	}
}

// TestExplainByHand checks the arithmetic on a snapshot small enough to
// work out on paper: a 3×3 input, a 2×2 kernel with padding 1, and a 2×2
// subsampling with coefficient ½ and bias −1 under the sigmoid.
func TestExplainByHand(t *testing.T) {
	snap := Snapshot{
		Input: []float32{1, 2, 3, 4, 5, 6, 7, 8, 9},
		Blocks: []BlockMaps{
			{Name: "C", Kind: "conv", In: Shape{1, 3, 3}, Shape: Shape{1, 4, 4}, Maps: make([]float32, 16),
				Kernels: []float32{1, -1, 0.5, 2}, KShape: [4]int{1, 1, 2, 2}, Bias: []float32{0.25}, Pad: 1, Activation: ReLU},
			{Name: "S", Kind: "pool", Pool: PoolSubsample, Size: 2, In: Shape{1, 4, 4}, Shape: Shape{1, 2, 2}, Maps: make([]float32, 4),
				Coef: []float32{0.5}, Bias: []float32{-1}, Activation: Sigmoid},
		},
	}
	// C at (0, 0) reads the window whose top-left is (−1, −1): padding
	// except its last value, the input's 1: 2·1 = 2, + 0.25 = 2.25.
	px, err := snap.Explain(0, 0, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if w := px.Terms[0].Window; px.Sum != 2 || px.Pre != 2.25 || px.Out != 2.25 || w[0] != 0 || w[3] != 1 {
		t.Errorf("Explain(C, 0, 0, 0) = window %v, sum %g, pre %g, out %g; want [0 0 0 1], 2, 2.25, 2.25", w, px.Sum, px.Pre, px.Out)
	}
	// C at (1, 1) reads 1 2 / 4 5: 1·1 − 1·2 + 0.5·4 + 2·5 = 11, + 0.25.
	if px, _ := snap.Explain(0, 0, 1, 1); px.Sum != 11 || px.Out != 11.25 {
		t.Errorf("Explain(C, 0, 1, 1) = sum %g, out %g; want 11, 11.25", px.Sum, px.Out)
	}
	// S at (1, 0) sums C's rows 2–3, columns 0–1, as the snapshot holds them.
	copy(snap.Blocks[0].Maps[8:], []float32{1, 2, 0, 0, 3, 4, 0, 0})
	px, _ = snap.Explain(1, 0, 1, 0)
	if want := 1 / (1 + math.Exp(-4)); px.Sum != 10 || px.Pre != 4 || px.Out != want {
		t.Errorf("Explain(S, 0, 1, 0) = sum %g, pre %g, out %g; want 10, 0.5·10 − 1 = 4, σ(4) = %g", px.Sum, px.Pre, px.Out, want)
	}
	for _, bad := range [][4]int{{2, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 4, 0}, {1, 0, 0, -1}} {
		if _, err := snap.Explain(bad[0], bad[1], bad[2], bad[3]); err == nil {
			t.Errorf("Explain%v = nil error, want one", bad)
		}
	}
}

// TestFieldLeNet5 checks the receptive fields of lenet5 against the
// paper's geometry (5, 6, 14, 16, 32 pixels of the 32×32 field) and, for
// every block, against the input pixels that really move the output: each
// pixel of the image is changed in turn and the outputs that change are
// recorded (sigmoid, so that no unit is dead and hides a dependence).
func TestFieldLeNet5(t *testing.T) {
	tr := randomTrainer(t, "lenet5", Sigmoid)
	infos := tr.net.Info()
	for i, want := range []int{5, 6, 14, 16, 32, 32, 32} {
		if f := infos[i].Field; f.H != want || f.W != want || f.Start != -2 {
			t.Errorf("%s: field %v starting at %d, want %d×%d starting at −2 (C1's padding)", infos[i].Name, f, f.Start, want, want)
		}
	}
	x := make([]float32, 28*28)
	tr.test.Fill(x, 0, &tr.scale)
	base := make([][]float32, len(infos))
	tr.net.Forward(x, 1)
	for i, b := range tr.net.blocks {
		base[i] = append([]float32(nil), b.out[:infos[i].Out.Size()]...)
	}
	// The output of map 0 at the middle and at the corner of each block.
	type probe struct{ y, x int }
	boxes := make([]map[probe][4]int, len(infos)) // rows r0, r1, cols c0, c1 seen
	for i := range boxes {
		boxes[i] = map[probe][4]int{}
	}
	for p := range x {
		old := x[p]
		x[p] = old + 1
		tr.net.Forward(x, 1)
		x[p] = old
		for i, b := range tr.net.blocks {
			out := infos[i].Out
			for _, pr := range []probe{{out.H / 2, out.W / 2}, {0, 0}} {
				k := pr.y*out.W + pr.x
				if b.out[k] == base[i][k] {
					continue
				}
				bx, ok := boxes[i][pr]
				if !ok {
					bx = [4]int{p / 28, p / 28, p % 28, p % 28}
				}
				bx = [4]int{min(bx[0], p/28), max(bx[1], p/28), min(bx[2], p%28), max(bx[3], p%28)}
				boxes[i][pr] = bx
			}
		}
	}
	for i, li := range infos {
		out := li.Out
		for _, pr := range []probe{{out.H / 2, out.W / 2}, {0, 0}} {
			r0, r1 := li.Field.Rows(pr.y)
			c0, c1 := li.Field.Cols(pr.x)
			want := [4]int{max(r0, 0), min(r1, 28) - 1, max(c0, 0), min(c1, 28) - 1}
			if got := boxes[i][pr]; got != want {
				t.Errorf("%s (%d, %d): the input pixels that move it span rows %d–%d, cols %d–%d; Field says %d–%d, %d–%d",
					li.Name, pr.y, pr.x, got[0], got[1], got[2], got[3], want[0], want[1], want[2], want[3])
			}
		}
	}
}

// TestFieldPad checks that lenet5-1998's pad block (the paper's 32×32
// field of background) gives the same receptive fields as lenet5's padded
// C1: the pad widens nothing, it moves where the fields start.
func TestFieldPad(t *testing.T) {
	spec, err := LookupArch("lenet5-1998")
	if err != nil {
		t.Fatal(err)
	}
	infos, err := Plan(spec, Shape{1, 28, 28}, 10, spec.Defaults)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"C1": 5, "S2": 6, "C3": 14, "S4": 16, "C5": 32}
	for _, li := range infos {
		w, ok := want[li.Name]
		if !ok {
			continue
		}
		if li.Field.H != w || li.Field.Start != -2 {
			t.Errorf("lenet5-1998 %s: field %v from %d, want %d×%d from −2", li.Name, li.Field, li.Field.Start, w, w)
		}
		delete(want, li.Name)
	}
	if len(want) > 0 {
		t.Errorf("lenet5-1998 lacks the blocks %v", want)
	}
}

// TestReadSubsample checks the readings of a subsampling map on
// hand-worked numbers: f(c·Σx + b) over a 2×2 window of inputs in [0, 1].
func TestReadSubsample(t *testing.T) {
	tests := []struct {
		name       string
		fn         Activation
		coef, bias float64
		lo, hi     float64
		want       ReadingKind
		span, on   float64
	}{
		// the initial ¼, no bias: the argument runs 0 … 1, the sigmoid's straight part.
		{"initial average", Sigmoid, 0.25, 0, 0, 1, ReadLinear, 1, 0},
		// 0.28·Σ − 0.04 runs −0.04 … 1.08: σ bends from its chord there by
		// under 2% of its rise; a threshold it is not, whatever On says.
		{"small, trained", Sigmoid, 0.28, -0.04, 0, 1, ReadLinear, 1.12, 0.04 / 0.28},
		// 0.75·Σ − 1.5 runs −1.5 … 1.5: σ bends by 3.2% (at 0.75: 0.679
		// against the chord's 0.659, of a rise of 0.636), still a blur.
		{"moderate", Sigmoid, 0.75, -1.5, 0, 1, ReadLinear, 3, 2},
		// Σ − 2 runs −2 … 2: σ bends by 5.4% (at 1: 0.731 against 0.690, of
		// a rise of 0.762), over the 5%: a threshold at two inputs of four.
		{"steeper", Sigmoid, 1, -2, 0, 1, ReadThreshold, 4, 2},
		// 0.25·Σ − 0.5 runs −0.5 … 0.5: still straight.
		{"small, centred", Sigmoid, 0.25, -0.5, 0, 1, ReadLinear, 1, 2},
		// 5·Σ − 2.5 crosses 0 at Σ = 0.5: half an input on is enough.
		{"large, low threshold", Sigmoid, 5, -2.5, 0, 1, ReadOR, 20, 0.5},
		// 5·Σ − 17.5 crosses 0 at Σ = 3.5: all four must be nearly on.
		{"large, high threshold", Sigmoid, 5, -17.5, 0, 1, ReadAND, 20, 3.5},
		// 5·Σ − 10 crosses 0 at Σ = 2: two of four.
		{"large, middle", Sigmoid, 5, -10, 0, 1, ReadThreshold, 20, 2},
		// −5·Σ + 2.5: on only when (almost) none is.
		{"negative, low", Sigmoid, -5, 2.5, 0, 1, ReadNOR, 20, 0.5},
		// 5·Σ + 1 is ≥ 1 everywhere.
		{"always on", Sigmoid, 5, 1, 0, 1, ReadOn, 20, -0.2},
		// tanh inputs in [−1, 1]: 0.1·Σ runs −0.4 … 0.4, inside tanh's ±0.5.
		{"tanh small", Tanh, 0.1, 0, -1, 1, ReadLinear, 0.8, 2},
		// ReLU: 0.25·Σ + 0.1 ≥ 0 on inputs in [0, 6]: straight.
		{"relu positive", ReLU, 0.25, 0.1, 0, 6, ReadLinear, 6, -0.4 / 6},
		// ReLU: 0.25·Σ − 3 is cut below Σ = 12, two of four inputs at 6.
		{"relu cut", ReLU, 0.25, -3, 0, 6, ReadCut, 6, 2},
		// ReLU: 0.3·Σ − 0.024 is cut below Σ = 0.08, a 75th of one input at 6.
		{"relu tiny cut", ReLU, 0.3, -0.024, 0, 6, ReadLinear, 7.2, 0.08 / 6},
		// ReLU: 0.25·Σ − 3 on inputs that never pass 2: always 0.
		{"relu off", ReLU, 0.25, -3, 0, 2, ReadOff, 2, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ReadSubsample(tt.fn, tt.coef, tt.bias, 4, tt.lo, tt.hi)
			if r.Kind != tt.want || math.Abs(r.Span-tt.span) > 1e-12 || math.Abs(r.On-tt.on) > 1e-12 {
				t.Errorf("ReadSubsample(%s, %g, %g, 4, %g, %g) = %v, span %g, on %g; want %v, %g, %g",
					tt.fn, tt.coef, tt.bias, tt.lo, tt.hi, r.Kind, r.Span, r.On, tt.want, tt.span, tt.on)
			}
		})
	}
}

func TestThousands(t *testing.T) {
	for _, c := range []struct {
		n    int
		want string
	}{{0, "0"}, {7, "7"}, {999, "999"}, {1000, "1,000"}, {-1000, "-1,000"}, {-999, "-999"}, {122304, "122,304"}, {1234567, "1,234,567"}, {-100000, "-100,000"}} {
		if got := Thousands(c.n); got != c.want {
			t.Errorf("Thousands(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}
