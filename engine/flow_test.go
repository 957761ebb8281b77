package engine

import (
	"context"
	"math"
	"testing"

	"github.com/lenet-tui/lenet-tui/dataset"
)

// firstFlow trains spec for one batch with a flow meter and returns the Flow.
func firstFlow(t *testing.T, spec ArchSpec, in Shape, s Settings, train *dataset.Set, workers int) (Flow, *Trainer) {
	t.Helper()
	net, err := Build(spec, in, 10, s)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := NewTrainer(net, train, train, TrainConfig{Settings: s, Workers: workers, FlowEvery: 1})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go tr.Run(ctx)
	for ev := range tr.Events() {
		if f, ok := ev.(Flow); ok {
			cancel()
			for range tr.Events() {
			}
			return f, tr
		}
	}
	t.Fatal("no Flow event")
	return Flow{}, nil
}

// TestFlowAgainstFloat64 recomputes one batch of a two-layer net in float64
// from the same weights and images: gradient RMS per layer, the gradient at
// the output layer's input, and the saturated or dead fractions.
func TestFlowAgainstFloat64(t *testing.T) {
	spec := ArchSpec{Name: "mlp", Layers: []LayerSpec{{Name: "H", Kind: "dense", Units: 12}, {Name: "OUT", Kind: "dense", Units: 10}}}
	train := dataset.Synthetic(64, 6, 6, 3)
	for _, act := range []Activation{Sigmoid, ReLU} {
		t.Run(string(act), func(t *testing.T) {
			s := Settings{Activation: act, Init: InitTruncNormal, InitStd: 1, Optimizer: SGD, LR: 0.01, Batch: 16, Epochs: 1,
				Loss: LossStable, Reduction: ReduceMean, Input: InputUnit, Schedule: ScheduleConstant, Seed: 5,
				Bias: BiasPerMap, Order: OrderAsWritten, Output: OutputSoftmax, OnNaN: NaNStop}
			// The weights before the step: the same build again.
			ref, err := Build(spec, Shape{1, 6, 6}, 10, s)
			if err != nil {
				t.Fatal(err)
			}
			f, _ := firstFlow(t, spec, Shape{1, 6, 6}, s, train, 2)
			want := flow64(ref, train, s)
			for i, lf := range f.Layers {
				w := want[i]
				for _, c := range []struct {
					name      string
					got, want float64
				}{{"GradRMS", lf.GradRMS, w.GradRMS}, {"InputGradRMS", lf.InputGradRMS, w.InputGradRMS},
					{"Saturated", lf.Saturated, w.Saturated}, {"Silent", lf.Silent, w.Silent}, {"DeadMaps", lf.DeadMaps, w.DeadMaps},
					{"DeadMapCount", float64(lf.DeadMapCount), float64(w.DeadMapCount)}, {"Maps", float64(lf.Maps), float64(w.Maps)}} {
					if math.IsNaN(c.got) != math.IsNaN(c.want) || math.Abs(c.got-c.want) > 1e-4*math.Max(1, math.Abs(c.want)) {
						t.Errorf("%s %s = %g, want %g (float64)", lf.Name, c.name, c.got, c.want)
					}
				}
			}
		})
	}
}

// flow64 is one batch of the two-layer net in float64: x → H = f(W1 x + b1)
// → z = W2 H + b2 → mean softmax cross-entropy.
func flow64(net *Net, train *dataset.Set, s Settings) []LayerFlow {
	p := net.Params() // H.w (12, 36), H.b, OUT.w (10, 12), OUT.b
	w1, b1, w2, b2 := p[0].W, p[1].W, p[2].W, p[3].W
	const nin, nh, nout = 36, 12, 10
	x := make([]float32, s.Batch*nin)
	y := make([]uint8, s.Batch)
	sc := dataset.UnitScale()
	b := dataset.NewBatcher(train, s.Batch, true, s.Seed)
	b.Reset() // as Run does at the start of each epoch
	n := b.Next(x, y, &sc)
	dw1, db1 := make([]float64, nh*nin), make([]float64, nh)
	dw2, db2 := make([]float64, nout*nh), make([]float64, nout)
	var dhSq float64
	var sat int
	alive := make([]bool, nh)
	for r := range n {
		h, a := make([]float64, nh), make([]float64, nh)
		for j := range nh {
			a[j] = float64(b1[j])
			for i := range nin {
				a[j] += float64(w1[j*nin+i]) * float64(x[r*nin+i])
			}
			if s.Activation == Sigmoid {
				h[j] = 1 / (1 + math.Exp(-a[j]))
				if h[j]*(1-h[j]) < 0.01/4 {
					sat++
				}
			} else {
				h[j] = math.Max(a[j], 0)
				alive[j] = alive[j] || h[j] > 0
			}
		}
		z := make([]float64, nout)
		zmax := math.Inf(-1)
		for k := range nout {
			z[k] = float64(b2[k])
			for j := range nh {
				z[k] += float64(w2[k*nh+j]) * h[j]
			}
			zmax = math.Max(zmax, z[k])
		}
		var sum float64
		for k := range z {
			sum += math.Exp(z[k] - zmax)
		}
		dz := make([]float64, nout)
		for k := range z {
			dz[k] = math.Exp(z[k]-zmax) / sum / float64(n)
			if k == int(y[r]) {
				dz[k] -= 1 / float64(n)
			}
		}
		dh := make([]float64, nh)
		for k := range nout {
			db2[k] += dz[k]
			for j := range nh {
				dw2[k*nh+j] += dz[k] * h[j]
				dh[j] += float64(w2[k*nh+j]) * dz[k]
			}
		}
		for j := range nh {
			dhSq += dh[j] * dh[j]
			da := dh[j] * h[j] * (1 - h[j])
			if s.Activation == ReLU {
				da = 0
				if a[j] > 0 {
					da = dh[j]
				}
			}
			db1[j] += da
			for i := range nin {
				dw1[j*nin+i] += da * float64(x[r*nin+i])
			}
		}
	}
	rms := func(vs ...[]float64) float64 {
		var sq float64
		var c int
		for _, v := range vs {
			for _, e := range v {
				sq += e * e
			}
			c += len(v)
		}
		return math.Sqrt(sq / float64(c))
	}
	hidden := LayerFlow{Name: "H", GradRMS: rms(dw1, db1), InputGradRMS: math.NaN(), Saturated: math.NaN(), DeadMaps: math.NaN(), Silent: math.NaN()}
	if s.Activation == Sigmoid {
		hidden.Saturated = float64(sat) / float64(n*nh)
	} else {
		dead := 0
		for _, a := range alive {
			if !a {
				dead++
			}
		}
		// A dense unit is a map of one position: silent is dead.
		hidden.Silent, hidden.DeadMaps, hidden.DeadMapCount, hidden.Maps = float64(dead)/nh, float64(dead)/nh, dead, nh
	}
	out := LayerFlow{Name: "OUT", GradRMS: rms(dw2, db2), InputGradRMS: math.Sqrt(dhSq / float64(n*nh)), Saturated: math.NaN(), DeadMaps: math.NaN(), Silent: math.NaN()}
	return []LayerFlow{hidden, out}
}

// TestFlowTellsTheStory runs the 2017 note's program on MNIST for 20
// batches: with σ=1 weights sigmoid saturates almost all of FC1 (it sums
// 5,880 inputs), and ReLU's first updates are so large (gradients in the
// thousands) that every FC1 unit dies and the gradients stop; He
// initialisation keeps most alive, and learning.
func TestFlowTellsTheStory(t *testing.T) {
	if testing.Short() {
		t.Skip("trains on MNIST for half a minute (minutes under emulation); run without -short")
	}
	train, _, err := dataset.Open("mnist", "")
	if err != nil {
		t.Skipf("MNIST: %v", err)
	}
	note, _ := LookupArch("seed-code")
	fc1 := func(s Settings) LayerFlow {
		net, err := Build(note, Shape{1, 28, 28}, 10, s)
		if err != nil {
			t.Fatal(err)
		}
		tr, err := NewTrainer(net, train, train, TrainConfig{Settings: s, FlowEvery: 20})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go tr.Run(ctx)
		defer func() {
			for range tr.Events() {
			}
		}()
		for ev := range tr.Events() {
			if f, ok := ev.(Flow); ok {
				cancel()
				return f.Layers[5]
			}
		}
		t.Fatal("no Flow")
		return LayerFlow{}
	}
	s := note.Defaults
	s.Loss = LossStable
	if l := fc1(s); !(l.Saturated > 0.9) {
		t.Errorf("sigmoid, σ=1, step 20: FC1 %+v, want > 90%% saturated", l)
	}
	s.Activation = ReLU
	if l := fc1(s); !(l.DeadMaps > 0.9) || l.GradRMS != 0 {
		t.Errorf("relu, σ=1, step 20: FC1 %+v, want (almost) all dead and no gradient", l)
	}
	s.Init = InitHe
	if l := fc1(s); !(l.DeadMaps < 0.7) || !(l.GradRMS > 0) {
		t.Errorf("relu, he, step 20: FC1 %+v, want most alive and a gradient", l)
	}
}

// TestNegative: the branch-free d < 0 of the saturation counts agrees with
// the comparison, NaN of either sign and ±Inf included.
func TestNegative(t *testing.T) {
	nan := math.Float32frombits(0x7fc00000)
	for _, d := range []float32{-1, 1, 0, float32(math.Copysign(0, -1)), -1e-45, 1e-45, float32(math.Inf(-1)), float32(math.Inf(1)),
		nan, -nan, math.Float32frombits(0xffc00000), math.Float32frombits(0xff800001), -3.4e38} {
		want := uint32(0)
		if d < 0 {
			want = 1
		}
		if got := negative(d); got != want {
			t.Errorf("negative(%v, bits %#x) = %d, want %d", d, math.Float32bits(d), got, want)
		}
	}
}

// TestSilentAndDead: a map is dead only when every one of its positions is
// silent; a map silent at its border alone is alive. The sign bit alone
// (outputs of −0) is silence.
func TestSilentAndDead(t *testing.T) {
	const on, sign = 0x3f800000, signBit // 1.0, −0
	// Three 3×3 maps: each given as its 9 positions' bits.
	dead := []uint32{0, 0, 0, 0, sign, 0, 0, 0, 0}
	border := []uint32{0, sign, 0, 0, on, 0, 0, 0, 0} // alive at the centre only
	alive := []uint32{on, on, on, on, on, on, on, on, 1}
	for _, c := range []struct {
		name                 string
		maps                 [][]uint32
		wantSilent, wantDead int
	}{
		{"a dead map", [][]uint32{dead}, 9, 1},
		{"silent at its border", [][]uint32{border}, 8, 0},
		{"all alive", [][]uint32{alive}, 0, 0},
		{"one of each", [][]uint32{alive, dead, border}, 17, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			var bits []uint32
			for _, m := range c.maps {
				bits = append(bits, m...)
			}
			if silent, dead := silentAndDead(bits, len(c.maps)); silent != c.wantSilent || dead != c.wantDead {
				t.Errorf("silentAndDead(%d maps) = %d silent, %d dead, want %d, %d", len(c.maps), silent, dead, c.wantSilent, c.wantDead)
			}
		})
	}
}

// TestDeadMapsVsSilent trains the default lenet5 (ReLU, He) on MNIST for
// 100 batches: no map of C1 is dead, but some of its positions are silent,
// those the blank margin of every digit feeds (DESIGN.md, "Dead map vs
// silent position"), most of them within flowBorder positions of the edge.
func TestDeadMapsVsSilent(t *testing.T) {
	if testing.Short() {
		t.Skip("trains on MNIST for a few seconds; run without -short")
	}
	train, _, err := dataset.Open("mnist", "")
	if err != nil {
		t.Skipf("MNIST: %v", err)
	}
	spec, _ := LookupArch("lenet5")
	s := spec.Defaults
	if s.Activation != ReLU {
		t.Fatalf("lenet5's default activation is %s, want relu", s.Activation)
	}
	net, err := Build(spec, Shape{1, 28, 28}, 10, s)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := NewTrainer(net, train, train, TrainConfig{Settings: s, FlowEvery: 100})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go tr.Run(ctx)
	var f Flow
	for ev := range tr.Events() {
		if e, ok := ev.(Flow); ok && f.Step == 0 {
			f = e
			cancel()
		}
	}
	for _, l := range f.Layers {
		t.Logf("step %d %s: dead maps %d/%d (%.0f%%), silent %.1f%%", f.Step, l.Name, l.DeadMapCount, l.Maps, 100*l.DeadMaps, 100*l.Silent)
	}
	c1 := f.Layers[0]
	if c1.Name != "C1" || c1.Maps != 6 {
		t.Fatalf("first block %+v, want C1 with 6 maps", c1)
	}
	if c1.DeadMapCount != 0 || c1.DeadMaps != 0 || !(c1.Silent > 0) {
		t.Errorf("C1 at step %d: dead maps %d/%d (%g), silent %g; want no dead map and some silent positions", f.Step, c1.DeadMapCount, c1.Maps, c1.DeadMaps, c1.Silent)
	}
	// The trainer has returned: the master's meter holds the batch's bits
	// (flow OR-ed the workers' into it), C1's as (6, 28, 28).
	alive, out := tr.ws[0].net.meter.blocks[0].alive, tr.ws[0].net.blocks[0].info.Out
	var silent, border int
	for u, bits := range alive {
		y, x := u/out.W%out.H, u%out.W
		if bits&^signBit == 0 {
			silent++
			if min(y, x, out.H-1-y, out.W-1-x) < flowBorder {
				border++
			}
		}
	}
	t.Logf("C1 %v: %d silent positions, %d of them within %d of the edge", out, silent, border, flowBorder)
	if float64(border) < 0.8*float64(silent) {
		t.Errorf("C1: %d of %d silent positions within %d of the edge, want most (the blank margin)", border, silent, flowBorder)
	}
}

// flowBorder is the width of the ring of C1's positions, in from the edge,
// that MNIST's margin feeds.
const flowBorder = 4
