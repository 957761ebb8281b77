package engine

import (
	"errors"
	"runtime"
	"strings"
	"testing"
)

// TestPlanLimits gives Plan nets that break a limit: each is an error that
// says which, before anything is allocated.
func TestPlanLimits(t *testing.T) {
	mnist := Shape{1, 28, 28}
	out := LayerSpec{Name: "OUT", Kind: "dense", Units: 10}
	conv := func(maps, k int, pad string) LayerSpec {
		return LayerSpec{Name: "C", Kind: "conv", Maps: maps, Kernel: k, Padding: pad}
	}
	many := make([]LayerSpec, MaxLayers+1)
	for i := range many {
		many[i] = LayerSpec{Kind: "pool", Pool: PoolMax, Kernel: 1}
	}
	for _, tc := range []struct {
		name   string
		layers []LayerSpec
		in     Shape
		batch  int
		want   string
	}{
		{"maps", []LayerSpec{conv(100_000_000, 3, ""), out}, mnist, 32, "layer 1 (C): maps 100000000: want 1 to 4096"},
		{"negative maps", []LayerSpec{conv(-1, 3, ""), out}, mnist, 32, "layer 1 (C): maps -1: want 1 to 4096"},
		{"kernel", []LayerSpec{conv(6, 1<<32+1, ""), out}, mnist, 32, "layer 1 (C): kernel 4294967297: want 1 to 64"},
		{"padding", []LayerSpec{conv(6, 3, "2147483636"), out}, mnist, 32, `layer 1 (C): padding "2147483636": want valid, same or a number of pixels from 0 to 2`},
		{"window", []LayerSpec{{Name: "S", Kind: "pool", Pool: PoolMax, Kernel: 1 << 40}, out}, mnist, 32, "layer 1 (S): window 1099511627776: want 1 to 64"},
		{"units", []LayerSpec{{Name: "F", Kind: "dense", Units: 1_000_000_000}, out}, mnist, 32, "layer 1 (F): units 1000000000: want 1 to 65536"},
		{"parameters", []LayerSpec{{Name: "F", Kind: "dense", Units: 60_000}, {Name: "G", Kind: "dense", Units: 60_000}, out}, mnist, 32,
			"layer 2 (G): 60,000 units × (60,000 inputs + 1) = 3,600,060,000 parameters take the net to 3,647,160,000, more than the 67,108,864 it may have: lower its units"},
		{"a wide output", []LayerSpec{conv(8, 3, "1"), out}, Shape{1, 4096, 4096}, 32, "layer 1 (C): output 8@4096×4096 holds 134,217,728 values per image, more than 67,108,864"},
		{"layers", append(many, out), mnist, 32, `architecture "big" has 258 layers, more than 256`},
		{"input side", []LayerSpec{out}, Shape{1, 5000, 5000}, 32, "input 1@5000×5000: want sides from 1 to 4096"},
		{"an escape in a name", []LayerSpec{{Name: "C\x1b[31m", Kind: "conv", Maps: 6, Kernel: 5}, out}, mnist, 32, `name "C\x1b[31m": want printable text`},
		{"a long note", []LayerSpec{{Name: "C", Kind: "conv", Maps: 6, Kernel: 5, Note: strings.Repeat("n", 1000)}, out}, mnist, 32, "note of 1000 bytes: want at most 256"},
		{"buffers", []LayerSpec{conv(16, 3, "1"), conv(16, 3, "1"), conv(16, 3, "1"), {Name: "S", Kind: "pool", Pool: PoolMax, Kernel: 64}, out}, Shape{1, 2048, 2048}, 1,
			`architecture "big" on 1@2048×2048 images needs about 5.57 GiB even with batches of 1, more than the 2 GiB memory budget; C takes 2 GiB (its 16@2048×2048 outputs and their gradients): lower its maps, or use smaller images`},
		{"batch", []LayerSpec{{Name: "S", Kind: "pool", Pool: PoolMax, Kernel: 64}, out}, Shape{1, 4096, 4096}, 64, "batch 64: want at most"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec := ArchSpec{Name: "big", Layers: tc.layers}
			s := modern
			s.Batch = tc.batch
			var err error
			n := allocatedBytes(func() { _, err = Plan(spec, tc.in, 10, s) })
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Plan() error = %v, want %s", err, tc.want)
			}
			if n > 1<<20 {
				t.Errorf("Plan() allocated %d bytes, want less than 1 MiB", n)
			}
			var se *SettingError
			if isBatch := errors.As(err, &se) && se.Key == "batch"; isBatch != (tc.name == "batch") {
				t.Errorf("Plan() error = %#v: a *SettingError for batch %t, want %t", err, isBatch, tc.name == "batch")
			}
		})
	}
}

// TestPlanAllocatesNoWeights plans a net of millions of parameters: the
// summary's counts come without the weights, which Build allocates.
func TestPlanAllocatesNoWeights(t *testing.T) {
	spec := ArchSpec{Name: "wide", Layers: []LayerSpec{{Name: "F", Kind: "dense", Units: 8192}, {Name: "OUT", Kind: "dense", Units: 10}}}
	s := modern
	s.Optimizer = SGD
	var infos []LayerInfo
	var err error
	if n := allocatedBytes(func() { infos, err = Plan(spec, Shape{1, 28, 28}, 10, s) }); err != nil || n > 1<<20 {
		t.Fatalf("Plan() allocated %d bytes, %v; want less than 1 MiB", n, err)
	}
	if p, _ := Totals(infos); p != 8192*785+10*8193 {
		t.Errorf("Plan() counts %d parameters, want %d", p, 8192*785+10*8193)
	}
	if n := allocatedBytes(func() { _, err = Build(spec, Shape{1, 28, 28}, 10, s) }); err != nil || n < 2*4*8192*785 {
		t.Errorf("Build() allocated %d bytes, %v; want the weights and gradients, %d", n, err, 2*4*8192*785)
	}
}

// TestPlanMatchesBuild: for every built-in architecture, Plan describes the
// net Build makes.
func TestPlanMatchesBuild(t *testing.T) {
	for _, name := range ArchNames() {
		spec, _ := LookupArch(name)
		infos, err := Plan(spec, Shape{1, 28, 28}, 10, spec.Defaults)
		if err != nil {
			t.Fatal(err)
		}
		net, err := Build(spec, Shape{1, 28, 28}, 10, spec.Defaults)
		if err != nil {
			t.Fatal(err)
		}
		for i, li := range net.Info() {
			if li.ParamsFormula != infos[i].ParamsFormula || li.ConnectionsFormula != infos[i].ConnectionsFormula || li.Out != infos[i].Out {
				t.Errorf("%s: Plan()[%d] = %+v, Build().Info()[%d] = %+v", name, i, infos[i], i, li)
			}
		}
	}
}

func TestCheckTrainSet(t *testing.T) {
	s := modern
	s.Batch = 64
	if err := s.CheckTrainSet(64); err != nil {
		t.Errorf("CheckTrainSet(64) with batch 64 = %v, want nil", err)
	}
	var se *SettingError
	if err := s.CheckTrainSet(63); !errors.As(err, &se) || se.Key != "batch" || se.Want != "at most the 63 images of the training set" {
		t.Errorf("CheckTrainSet(63) with batch 64 = %v, want a batch error", err)
	}
}

// allocatedBytes returns the bytes f allocates on the heap.
func allocatedBytes(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
