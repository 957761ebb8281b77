package engine

import (
	"fmt"
	"slices"
	"sort"
)

// LayerSpec describes one block of a net: an operation and the activation
// that follows it. It is plain data, read from config files.
type LayerSpec struct {
	Name       string `yaml:"name"`
	Kind       string `yaml:"kind"`                 // conv, pool or dense
	Maps       int    `yaml:"maps,omitempty"`       // conv: output maps
	Units      int    `yaml:"units,omitempty"`      // dense: outputs
	Kernel     int    `yaml:"kernel,omitempty"`     // conv: kernel size; pool: window size (default 2)
	Padding    string `yaml:"padding,omitempty"`    // conv: valid (default), same or a number of pixels; pool: valid (default) or same
	Pool       string `yaml:"pool,omitempty"`       // pool: max, avg or subsample
	Table      string `yaml:"table,omitempty"`      // conv: full (default) or lenet5, the 1998 paper's C3 table
	Activation string `yaml:"activation,omitempty"` // hidden (default, but none for the last block), none, or an activation name
	Note       string `yaml:"note,omitempty"`       // shown beside the block's counts
}

// ArchSpec is a whole architecture: its blocks and the settings it runs with
// unless told otherwise.
type ArchSpec struct {
	Name     string
	About    string
	Layers   []LayerSpec
	Defaults Settings
}

// modern holds the settings the built-in nets train with by default: ReLU,
// He initialisation, Adam, standardised input.
var modern = Settings{
	Activation: ReLU, Init: InitHe, InitStd: 1, Optimizer: Adam, LR: 0.003, Batch: 32, Epochs: 3, Schedule: ScheduleOneCycle,
	Loss: LossStable, Reduction: ReduceMean, Input: InputStandardize, Seed: 1,
	Bias: BiasPerMap, Order: OrderAsWritten, Output: OutputSoftmax, OnNaN: NaNStop, Augment: AugmentNone,
}

// arches are the built-in architectures, by name. LookupArch hands out
// copies, so nobody can change them.
var arches = map[string]ArchSpec{
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
	"lenet5-1998": {
		Name:  "lenet5-1998",
		About: "LeNet-5 as LeCun et al. 1998 trained it: digits in a 32×32 field of background, scaled tanh, U(±2.4/Fᵢ) initial weights, and 10 Euclidean RBF output units with fixed 7×12 bitmaps under the paper's loss (eq. 9)",
		Layers: []LayerSpec{
			{Name: "INPUT", Kind: "pad", Padding: "2", Note: "the 28×28 digit in a 32×32 field of background (a blank pixel after the input scaling: −0.1 under input paper), not of zeros"},
			{Name: "C1", Kind: "conv", Maps: 6, Kernel: 5},
			{Name: "S2", Kind: "pool", Pool: PoolSubsample, Kernel: 2},
			{Name: "C3", Kind: "conv", Maps: 16, Kernel: 5, Table: "lenet5"},
			{Name: "S4", Kind: "pool", Pool: PoolSubsample, Kernel: 2},
			{Name: "C5", Kind: "conv", Maps: 120, Kernel: 5},
			{Name: "F6", Kind: "dense", Units: 84},
			{Name: "OUTPUT", Kind: "dense", Units: 10, Note: "under output rbf (the default here): 10 Euclidean RBF units y_i = Σ_j (x_j − w_ij)², 840 fixed RBF weights (±1 7×12 bitmaps of the digits), no trainable parameters; the smallest y_i is the answer"},
		},
		Defaults: Settings{
			// The paper's stochastic diagonal Levenberg–Marquardt is not
			// here: Adam, one-cycle, at a peak rate that suits eq. 9's larger
			// gradients (0.01 reaches 97.97–98.12% in one epoch, 0.003 97.6–98.0%).
			Activation: ScaledTanh, Init: InitLeCun1998, InitStd: 1, Optimizer: Adam, LR: 0.01, Batch: 32, Epochs: 3, Schedule: ScheduleOneCycle,
			Loss: LossStable, Reduction: ReduceMean, Input: InputPaper, Seed: 1,
			Bias: BiasPerMap, Order: OrderAsWritten, Output: OutputRBF, OnNaN: NaNStop, Augment: AugmentNone,
		},
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
			{Name: "S2", Kind: "pool", Pool: PoolMax, Kernel: 2, Activation: "none", Note: "max pooling, as the note's code writes it (max_pool): no parameters, where its text counts the paper's subsampling, 6×(1+1)=12"},
			{Name: "C3", Kind: "conv", Maps: 16, Kernel: 5, Padding: "valid", Note: "a full [5,5,6,16] filter, as the note writes it: 16×(6×5×5+1)=2,416 parameters, where its text counts the paper's partial table, 1,516"},
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
			Loss: LossNaive, Reduction: ReduceSum, Input: InputUnit, Schedule: ScheduleConstant, Seed: 1,
			Bias: BiasPerMap, Order: OrderAsWritten, Output: OutputSoftmax, OnNaN: NaNStop, Augment: AugmentNone,
		},
	},
}

func withActivation(s Settings, act Activation, init Init) Settings {
	s.Activation, s.Init = act, init
	return s
}

// ArchNames lists the built-in architectures, sorted.
func ArchNames() []string {
	names := make([]string, 0, len(arches))
	for n := range arches {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// LookupArch returns a copy of the named built-in architecture, or a
// *SettingError for the key "arch".
func LookupArch(name string) (ArchSpec, error) {
	a, ok := arches[name]
	if !ok {
		return ArchSpec{}, &SettingError{Key: "arch", Value: fmt.Sprintf("%q", name), Want: WantOneOf(ArchNames())}
	}
	a.Layers = slices.Clone(a.Layers)
	return a, nil
}

// ForClasses returns spec for data of the given number of classes: its
// output layer — the last layer, when it is dense — has one unit per class.
// The built-in architectures are written for MNIST's 10 digits; a dataset
// of 3 letters trains the same net with an output layer of 3. The layers
// are a copy; a spec that does not end with a dense layer is returned as it
// is (Build then says what its last layer should be).
func (spec ArchSpec) ForClasses(classes int) ArchSpec {
	spec.Layers = slices.Clone(spec.Layers)
	if n := len(spec.Layers); n > 0 && spec.Layers[n-1].Kind == "dense" {
		spec.Layers[n-1].Units = classes
	}
	return spec
}

// LeNet5Table is Table I of LeCun et al. 1998: which of S2's 6 maps (rows)
// each of C3's 16 maps (columns) reads.
func LeNet5Table() [][]bool {
	inputs := [16][]int{
		{0, 1, 2}, {1, 2, 3}, {2, 3, 4}, {3, 4, 5}, {0, 4, 5}, {0, 1, 5},
		{0, 1, 2, 3}, {1, 2, 3, 4}, {2, 3, 4, 5}, {0, 3, 4, 5}, {0, 1, 4, 5}, {0, 1, 2, 5},
		{0, 1, 3, 4}, {1, 2, 4, 5}, {0, 2, 3, 5},
		{0, 1, 2, 3, 4, 5},
	}
	t := make([][]bool, 6)
	for i := range t {
		t[i] = make([]bool, 16)
	}
	for j, ins := range inputs {
		for _, i := range ins {
			t[i][j] = true
		}
	}
	return t
}
