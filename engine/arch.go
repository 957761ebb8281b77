package engine

import (
	"fmt"
	"sort"
	"strings"
)

// modern holds the settings the built-in nets train with by default: ReLU,
// He initialisation, Adam, standardised input.
var modern = Settings{
	Activation: ReLU, Init: InitHe, Optimizer: Adam, LR: 0.003, Batch: 32, Epochs: 3, Schedule: ScheduleOneCycle,
	Loss: LossStable, Reduction: ReduceMean, Input: InputStandardize, Seed: 1,
}

// Arches are the built-in architectures, by name.
var Arches = map[string]ArchSpec{
	"lenet5": {
		Name:  "lenet5",
		About: "LeNet-5 as in LeCun et al. 1998: subsampling layers and C3's partial connection table, on 28×28 input padded to the paper's 32×32 geometry",
		Layers: []LayerSpec{
			{Name: "C1", Kind: "conv", Maps: 6, Kernel: 5, Padding: "2"},
			{Name: "S2", Kind: "pool", Pool: PoolSubsample, Kernel: 2},
			{Name: "C3", Kind: "conv", Maps: 16, Kernel: 5, Table: "lenet5"},
			{Name: "S4", Kind: "pool", Pool: PoolSubsample, Kernel: 2},
			{Name: "C5", Kind: "conv", Maps: 120, Kernel: 5},
			{Name: "F6", Kind: "dense", Units: 84},
			{Name: "OUTPUT", Kind: "dense", Units: 10, Note: "a dense layer with softmax; the 1998 paper used 84×10=840 fixed RBF weights (Euclidean radial basis units) here"},
		},
		Defaults: modern,
	},
	"lenet5-modern": {
		Name:  "lenet5-modern",
		About: "LeNet-5 as usually written today: max pooling and a fully connected C3 (61,706 parameters)",
		Layers: []LayerSpec{
			{Name: "C1", Kind: "conv", Maps: 6, Kernel: 5, Padding: "2"},
			{Name: "S2", Kind: "pool", Pool: PoolMax, Kernel: 2, Activation: "none"},
			{Name: "C3", Kind: "conv", Maps: 16, Kernel: 5},
			{Name: "S4", Kind: "pool", Pool: PoolMax, Kernel: 2, Activation: "none"},
			{Name: "C5", Kind: "conv", Maps: 120, Kernel: 5},
			{Name: "F6", Kind: "dense", Units: 84},
			{Name: "OUTPUT", Kind: "dense", Units: 10},
		},
		Defaults: modern,
	},
	"seed-notes": {
		Name:  "seed-notes",
		About: "the 2017 note's layer list as written: SAME C1, VALID C3, SAME C5, so C5 is 120@5×5 and F6 reads 3,000 values (the note's 84×120+84 assumes 120)",
		Layers: []LayerSpec{
			{Name: "C1", Kind: "conv", Maps: 6, Kernel: 5, Padding: "same"},
			{Name: "S2", Kind: "pool", Pool: PoolMax, Kernel: 2, Activation: "none"},
			{Name: "C3", Kind: "conv", Maps: 16, Kernel: 5, Padding: "valid"},
			{Name: "S4", Kind: "pool", Pool: PoolMax, Kernel: 2, Activation: "none"},
			{Name: "C5", Kind: "conv", Maps: 120, Kernel: 5, Padding: "same", Note: "SAME padding keeps 5×5, so C5 is 120@5×5 and not the 1×1 the note's F6 count assumes"},
			{Name: "F6", Kind: "dense", Units: 84, Note: "reads 5×5×120=3,000 values: 84×(3,000+1)=252,084, not the note's 84×120+84"},
			{Name: "OUTPUT", Kind: "dense", Units: 10, Note: "84 inputs; the note's 80-wide weight does not fit after an 84-wide F6"},
		},
		Defaults: withActivation(modern, Sigmoid, InitGlorot),
	},
	"seed-code": {
		Name:  "seed-code",
		About: "the note's TensorFlow program: SAME convs 6→16→120 with max pooling, dense 5,880→80, softmax; σ=1 truncated normal, plain gradient descent lr 0.001 on the summed naive loss, batch 200",
		Layers: []LayerSpec{
			{Name: "C1", Kind: "conv", Maps: 6, Kernel: 5, Padding: "same"},
			{Name: "P2", Kind: "pool", Pool: PoolMax, Kernel: 2, Padding: "same", Activation: "none"},
			{Name: "C3", Kind: "conv", Maps: 16, Kernel: 5, Padding: "same"},
			{Name: "P4", Kind: "pool", Pool: PoolMax, Kernel: 2, Padding: "same", Activation: "none"},
			{Name: "C5", Kind: "conv", Maps: 120, Kernel: 5, Padding: "same"},
			{Name: "FC1", Kind: "dense", Units: 80},
			{Name: "OUTPUT", Kind: "dense", Units: 10},
		},
		Defaults: Settings{
			Activation: Sigmoid, Init: InitTruncNormal, InitStd: 1, Optimizer: SGD, LR: 0.001, Batch: 200, Epochs: 1,
			Loss: LossNaive, Reduction: ReduceSum, Input: InputUnit, Seed: 1,
		},
	},
}

func withActivation(s Settings, act, init string) Settings {
	s.Activation, s.Init = act, init
	return s
}

// ArchNames lists the built-in architectures, sorted.
func ArchNames() []string {
	names := make([]string, 0, len(Arches))
	for n := range Arches {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// LookupArch returns the named built-in architecture.
func LookupArch(name string) (ArchSpec, error) {
	a, ok := Arches[name]
	if !ok {
		return ArchSpec{}, fmt.Errorf("unknown architecture %q (built in: %s)", name, strings.Join(ArchNames(), ", "))
	}
	return a, nil
}
