package engine

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/lenet-tui/lenet-tui/safetensors"
)

// A checkpoint is two safetensors files (package safetensors). The file at
// the path the user names holds the net's parameters under the names of
// PyTorch's state_dict for the same layers, and nothing else, so that
// PyTorch loads it with load_state_dict(strict=True); its metadata holds
// the architecture, the settings and how far the run had come. Tensors:
//
//	<layer>.weight  conv (Cout, Cin, K, K), as PyTorch's Conv2d (OIHW);
//	                dense (Out, In), as PyTorch's Linear
//	<layer>.bias    (Cout) or (Out); (Cout, Hout, Wout) for a convolution
//	                with a bias per position (no torch.nn equivalent)
//	<layer>.coef    subsampling: one coefficient per map (C); no torch.nn
//	<layer>.bias    subsampling: one bias per map (C)    equivalent
//
// where <layer> is the layer's name in lower case. A partially connected
// convolution (C3's table) keeps every (Cout, Cin) kernel, those the table
// leaves out all zero. Metadata keys (all strings, JSON where structured):
//
//	format             "lenet-tui checkpoint 1"
//	arch               {"name": …, "layers": [{name, kind, maps, …}, …]}
//	settings           {"activation": …, "lr": …, …} as in force when saved,
//	                   under their config.yaml keys; epochs is the run's total
//	dataset            the dataset's name (mnist)
//	input_shape        [C, H, W] of one image; classes: the outputs
//	class_names        ["0", …, "9"]: the classes' names by index, from the
//	                   training set (an image folder's class folders);
//	                   older checkpoints lack it
//	input_mean, input_std  the pixel scaling: x = (p/255 − mean)/std
//	train_images       the training set's size
//	train_fingerprint  the training set's identity (trainFingerprint); a
//	                   resume on other images is refused. Older checkpoints
//	                   lack it.
//	step               optimiser steps taken; batches_per_epoch; epoch: step/batches
//	test_loss, test_acc  on the whole test set with these weights
//
// The optimiser's state is the second file, beside the first: its name
// with ".safetensors" replaced by ".optimizer.safetensors" (StatePath:
// net.safetensors keeps it in net.optimizer.safetensors). SGD keeps none
// and writes none. Tensors, flat vectors (P) that follow the parameters in
// block order, each weight before its bias (Net.Params), P the number of
// parameter values:
//
//	momentum.v      the momentum optimiser's velocity
//	adam.m, adam.v  Adam's first and second moments
//
// and metadata: format "lenet-tui optimizer state 1", optimizer (its
// name), step, and weights: a fingerprint of the weights file's tensors
// (weightsFingerprint). A resume uses the state only when its step and
// fingerprint are those of the weights it loads, so a state file left
// from another save is never mistaken for this one's. Checkpoints written
// before the state moved out hold these tensors in the weights file;
// they are still read, and resume exactly.
const checkpointFormat = "lenet-tui checkpoint 1"

// Checkpoint is a saved net and the state of its run, read by
// ReadCheckpoint. Build its net with Net; pass it as TrainConfig.Resume to
// continue the run.
type Checkpoint struct {
	Path     string
	Spec     ArchSpec // Name and Layers
	Settings Settings // as in force when saved; Epochs is the run's total
	Dataset  string
	In       Shape
	Classes  int
	// Names are the classes' names by index, as the metadata key
	// class_names holds them; nil in a checkpoint without them (use
	// ClassNames, which falls back to the dataset's).
	Names []string

	TrainImages         int
	InputMean, InputStd float32
	Step                int // optimiser steps taken
	BatchesPerEpoch     int
	TestLoss, TestAcc   float64 // on the whole test set, with these weights
	// TrainFingerprint identifies the training set (trainFingerprint); ""
	// in checkpoints older than it.
	TrainFingerprint string

	file  safetensors.File // the weights file: the parameters and, in older checkpoints, the optimiser's state
	state *savedState      // the optimiser's state, once OptimizerState has looked for it
}

// Epochs is the number of epochs trained, a fraction when saved mid-epoch.
func (c *Checkpoint) Epochs() float64 {
	return float64(c.Step) / float64(max(1, c.BatchesPerEpoch))
}

// savedSettings is Settings under the config.yaml keys; the conversion from
// Settings fails to compile when a field is added to one and not the other.
type savedSettings struct {
	Activation Activation `json:"activation"`
	Init       Init       `json:"init"`
	InitStd    float64    `json:"init_std"`
	Optimizer  Optimizer  `json:"optimizer"`
	LR         float64    `json:"lr"`
	Batch      int        `json:"batch"`
	Epochs     int        `json:"epochs"`
	Loss       Loss       `json:"loss"`
	Reduction  Reduction  `json:"reduction"`
	Input      Input      `json:"input"`
	Schedule   Schedule   `json:"schedule"`
	Seed       uint64     `json:"seed"`
	Bias       Bias       `json:"bias"`
	Order      Order      `json:"order"`
	Output     Output     `json:"output"`
	OnNaN      OnNaN      `json:"on_nan"`
	Augment    Augment    `json:"augment"`
	// Checkpoints older than these two lack them: 0, as those runs had.
	LabelSmoothing float64 `json:"label_smoothing"`
	WeightDecay    float64 `json:"weight_decay"`
}

// savedLayer is LayerSpec with JSON names, as savedSettings.
type savedLayer struct {
	Name       string `json:"name"`
	Kind       string `json:"kind"`
	Maps       int    `json:"maps,omitempty"`
	Units      int    `json:"units,omitempty"`
	Kernel     int    `json:"kernel,omitempty"`
	Padding    string `json:"padding,omitempty"`
	Pool       string `json:"pool,omitempty"`
	Table      string `json:"table,omitempty"`
	Activation string `json:"activation,omitempty"`
	Note       string `json:"note,omitempty"`
}

type savedArch struct {
	Name   string       `json:"name"`
	Layers []savedLayer `json:"layers"`
}

// namedParam is a parameter with its checkpoint name and shape.
type namedParam struct {
	p     *Param
	name  string
	shape []int
	conv  *Conv // set for a convolution's weights, to check its table
}

// TensorName is the checkpoint's name of a block's parameter: its name
// in lower case, a dot and the parameter's ("weight", "bias", "coef"),
// e.g. "c3.weight".
func TensorName(block, param string) string { return strings.ToLower(block) + "." + param }

// checkpointParams names every parameter of n as PyTorch's state_dict
// would, with its shape.
func (n *Net) checkpointParams() ([]namedParam, error) {
	var ps []namedParam
	seen := map[string]string{}
	for _, b := range n.blocks {
		add := func(p *Param, suffix string, shape []int, conv *Conv) error {
			name := TensorName(b.info.Name, suffix)
			if other, dup := seen[name]; dup {
				return fmt.Errorf("layers %s and %s both give the tensor name %s: rename one", other, b.info.Name, name)
			}
			seen[name] = b.info.Name
			ps = append(ps, namedParam{p: p, name: name, shape: shape, conv: conv})
			return nil
		}
		var err error
		switch op := b.op.(type) {
		case *Conv:
			bias := []int{op.out.C}
			if op.perPos {
				bias = []int{op.out.C, op.out.H, op.out.W}
			}
			if err = add(op.w, "weight", []int{op.out.C, op.in.C, op.k, op.k}, op); err == nil {
				err = add(op.b, "bias", bias, nil)
			}
		case *Dense:
			if err = add(op.w, "weight", []int{op.out.C, op.in.Size()}, nil); err == nil {
				err = add(op.b, "bias", []int{op.out.C}, nil)
			}
		case *Pool:
			if op.mode == PoolSubsample {
				if err = add(op.coef, "coef", []int{op.in.C}, nil); err == nil {
					err = add(op.bias, "bias", []int{op.in.C}, nil)
				}
			}
		}
		if err != nil {
			return nil, err
		}
	}
	return ps, nil
}

// checkpoint returns the weights file of the run as it stands: call it
// between batches, or before or after Run. It evaluates the test set when
// the last evaluation is older than the current step. Its tensors alias
// the net's parameters: write it before the next step.
func (t *Trainer) checkpoint() (safetensors.File, error) {
	ps, err := t.net.checkpointParams()
	if err != nil {
		return safetensors.File{}, err
	}
	if !t.evaluated || t.evalStep != t.step {
		t.testLoss, t.testAcc = t.evaluate(t.test, nil)
		t.evaluated, t.evalStep = true, t.step
	}
	var f safetensors.File
	for _, p := range ps {
		f.Tensors = append(f.Tensors, safetensors.Tensor{Name: p.name, Shape: p.shape, Data: p.p.W})
	}
	s := t.cfg.Settings
	s.Activation = t.net.hidden
	// the rate as set, not its float32 rounding: 0.003, not 0.003000000026
	s.LR, _ = strconv.ParseFloat(strconv.FormatFloat(float64(t.lr), 'g', -1, 32), 64)
	arch := savedArch{Name: t.net.arch, Layers: []savedLayer{}}
	for _, l := range t.net.spec {
		arch.Layers = append(arch.Layers, savedLayer(l))
	}
	archJSON, err := json.Marshal(arch)
	if err != nil {
		return safetensors.File{}, err
	}
	setJSON, err := json.Marshal(savedSettings(s))
	if err != nil {
		return safetensors.File{}, err
	}
	namesJSON, err := json.Marshal(t.classNames())
	if err != nil {
		return safetensors.File{}, err
	}
	f32 := func(v float32) string { return strconv.FormatFloat(float64(v), 'g', -1, 32) }
	f64 := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	in := t.net.in
	f.Metadata = map[string]string{
		"format":            checkpointFormat,
		"arch":              string(archJSON),
		"settings":          string(setJSON),
		"dataset":           t.cfg.Dataset,
		"input_shape":       fmt.Sprintf("[%d, %d, %d]", in.C, in.H, in.W),
		"classes":           strconv.Itoa(t.net.classes),
		"class_names":       string(namesJSON),
		"input_mean":        f32(t.inMean),
		"input_std":         f32(t.inStd),
		"train_images":      strconv.Itoa(t.train.Count),
		"train_fingerprint": trainFingerprint(t.train),
		"step":              strconv.Itoa(t.step),
		"batches_per_epoch": strconv.Itoa(t.batches),
		"epoch":             f64(float64(t.step) / float64(t.batches)),
		"test_loss":         f64(t.testLoss),
		"test_acc":          f64(t.testAcc),
	}
	return f, nil
}

// Save writes the run as it stands to path, and its optimiser's state
// beside it (StatePath), each atomically (see safetensors.WriteFile) and
// streamed from the net's own memory. The net is Run's while it trains:
// call Save before Run or after it has returned; during a run, send the
// Save command.
func (t *Trainer) Save(path string) (err error) {
	t.outside(func() { err = t.save(path) })
	return err
}

// save is Save on Run's goroutine, between batches: the weights, then the
// state that goes with them. A state file of another program at the name
// is refused before anything is written.
func (t *Trainer) save(path string) error {
	state, err := t.stateFile(path)
	if err != nil {
		return err
	}
	f, err := t.checkpoint()
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := safetensors.WriteFile(path, f); err != nil {
		return err
	}
	if state == nil {
		return nil
	}
	state.Metadata["weights"] = weightsFingerprint(f.Tensors)
	if err := safetensors.WriteFile(StatePath(path), *state); err != nil {
		return fmt.Errorf("the weights are saved in %s, but not the optimiser's state: %w", path, err)
	}
	return nil
}
