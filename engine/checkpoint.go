package engine

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/lenet-tui/lenet-tui/dataset"
	"github.com/lenet-tui/lenet-tui/safetensors"
)

// A checkpoint is a safetensors file (package safetensors) holding a net's
// parameters under the names of PyTorch's state_dict for the same layers,
// the optimiser's state, and in its metadata the architecture, the settings
// and how far the run had come. Tensors:
//
//	<layer>.weight  conv (Cout, Cin, K, K), as PyTorch's Conv2d (OIHW);
//	                dense (Out, In), as PyTorch's Linear
//	<layer>.bias    (Cout) or (Out); (Cout, Hout, Wout) for a convolution
//	                with a bias per position (no torch.nn equivalent)
//	<layer>.coef    subsampling: one coefficient per map (C); no torch.nn
//	<layer>.bias    subsampling: one bias per map (C)    equivalent
//	momentum.v      the momentum optimiser's velocity, flat (P)
//	adam.m, adam.v  Adam's first and second moments, flat (P)
//
// where <layer> is the layer's name in lower case and P the number of
// parameters; the flat vectors follow the parameters in block order, each
// weight before its bias (Net.Params). A partially connected convolution
// (C3's table) keeps every (Cout, Cin) kernel, those the table leaves out
// all zero. Metadata keys (all strings, JSON where structured):
//
//	format             "lenet-tui checkpoint 1"
//	arch               {"name": …, "layers": [{name, kind, maps, …}, …]}
//	settings           {"activation": …, "lr": …, …} as in force when saved,
//	                   under their config.yaml keys; epochs is the run's total
//	dataset            the dataset's name (mnist)
//	input_shape        [C, H, W] of one image; classes: the outputs
//	input_mean, input_std  the pixel scaling: x = (p/255 − mean)/std
//	train_images       the training set's size
//	step               optimiser steps taken; batches_per_epoch; epoch: step/batches
//	test_loss, test_acc  on the whole test set with these weights
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

	TrainImages         int
	InputMean, InputStd float32
	Step                int // optimiser steps taken
	BatchesPerEpoch     int
	TestLoss, TestAcc   float64 // on the whole test set, with these weights

	file safetensors.File
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

// checkpointParams names every parameter of n as PyTorch's state_dict
// would, with its shape.
// TensorName is the checkpoint's name of a block's parameter: its name
// in lower case, a dot and the parameter's ("weight", "bias", "coef"),
// e.g. "c3.weight".
func TensorName(block, param string) string { return strings.ToLower(block) + "." + param }

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

// optimizerTensors are the names and values of an optimiser's state.
func optimizerTensors(o optimizer) map[string][]float32 {
	switch o := o.(type) {
	case *momentum:
		return map[string][]float32{"momentum.v": o.v}
	case *adam:
		return map[string][]float32{"adam.m": o.m, "adam.v": o.v}
	}
	return nil
}

var optimizerNames = []string{"momentum.v", "adam.m", "adam.v"}

// checkpoint returns the run as it stands: call it between batches, or
// before or after Run. It evaluates the test set when the last evaluation
// is older than the current step.
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
	opt := optimizerTensors(t.opt)
	for _, name := range optimizerNames {
		if v, ok := opt[name]; ok {
			f.Tensors = append(f.Tensors, safetensors.Tensor{Name: name, Shape: []int{len(v)}, Data: v})
		}
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
		"input_mean":        f32(t.inMean),
		"input_std":         f32(t.inStd),
		"train_images":      strconv.Itoa(t.train.Count),
		"step":              strconv.Itoa(t.step),
		"batches_per_epoch": strconv.Itoa(t.batches),
		"epoch":             f64(float64(t.step) / float64(t.batches)),
		"test_loss":         f64(t.testLoss),
		"test_acc":          f64(t.testAcc),
	}
	return f, nil
}

// Save writes the run as it stands to path, atomically (see
// safetensors.WriteFile). The net is Run's while it trains: call Save before
// Run or after it has returned; during a run, send the Save command.
func (t *Trainer) Save(path string) (err error) {
	t.outside(func() { err = t.save(path) })
	return err
}

// save is Save on Run's goroutine, between batches.
func (t *Trainer) save(path string) error {
	f, err := t.checkpoint()
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return safetensors.WriteFile(path, f)
}

// ReadCheckpoint reads the checkpoint at path: its tensors and what its
// metadata says. A file that is not a lenet-tui checkpoint, or whose
// metadata is incomplete or corrupted, is an error naming the file and the
// key; tensors are checked against the architecture by Net.
func ReadCheckpoint(path string) (*Checkpoint, error) {
	f, err := safetensors.ReadFile(path)
	if err != nil {
		return nil, err
	}
	c := &Checkpoint{Path: path, file: f}
	md := f.Metadata
	bad := func(key, format string, args ...any) error {
		return fmt.Errorf("%s: metadata %s: %s", path, key, fmt.Sprintf(format, args...))
	}
	if md["format"] != checkpointFormat {
		if _, ok := md["format"]; !ok {
			return nil, fmt.Errorf("%s: a safetensors file without lenet-tui's metadata (no format key): not a lenet-tui checkpoint", path)
		}
		return nil, bad("format", "%q, want %q", md["format"], checkpointFormat)
	}
	var arch savedArch
	if err := strictJSON(md["arch"], &arch); err != nil {
		return nil, bad("arch", "%v", err)
	}
	c.Spec.Name = arch.Name
	for _, l := range arch.Layers {
		c.Spec.Layers = append(c.Spec.Layers, LayerSpec(l))
	}
	var s savedSettings
	if err := strictJSON(md["settings"], &s); err != nil {
		return nil, bad("settings", "%v", err)
	}
	c.Settings = Settings(s)
	c.Settings.olderDefaults()
	if err := c.Settings.Check(); err != nil {
		return nil, bad("settings", "%v", err)
	}
	c.Dataset = md["dataset"]
	var in [3]int
	if err := strictJSON(md["input_shape"], &in); err != nil {
		return nil, bad("input_shape", "%v", err)
	}
	c.In = Shape{C: in[0], H: in[1], W: in[2]}
	if err := c.readNumbers(md, bad); err != nil {
		return nil, err
	}
	if _, err := Plan(c.Spec, c.In, c.Classes, c.Settings); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// readNumbers sets c's counts, test results and input scaling from the
// metadata md; bad makes the error for a key. A number that is not finite,
// and an input_std ≤ 0, are refused: they would reach the output as NaN.
func (c *Checkpoint) readNumbers(md map[string]string, bad func(key, format string, args ...any) error) error {
	ints := []struct {
		key string
		v   *int
	}{{"classes", &c.Classes}, {"train_images", &c.TrainImages}, {"step", &c.Step}, {"batches_per_epoch", &c.BatchesPerEpoch}}
	for _, kv := range ints {
		n, err := strconv.Atoi(md[kv.key])
		if err != nil || n < 0 {
			return bad(kv.key, "%q, want a whole number ≥ 0", md[kv.key])
		}
		*kv.v = n
	}
	floats := []struct {
		key string
		v   *float64
	}{{"test_loss", &c.TestLoss}, {"test_acc", &c.TestAcc}}
	for _, kv := range floats {
		v, err := strconv.ParseFloat(md[kv.key], 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return bad(kv.key, "%q, want a finite number", md[kv.key])
		}
		*kv.v = v
	}
	for _, kv := range []struct {
		key string
		v   *float32
	}{{"input_mean", &c.InputMean}, {"input_std", &c.InputStd}} {
		v, err := strconv.ParseFloat(md[kv.key], 32)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return bad(kv.key, "%q, want a finite number", md[kv.key])
		}
		*kv.v = float32(v)
	}
	// the pixels are divided by it: 0 would make every input ±Inf or NaN
	if !(c.InputStd > 0) {
		return bad("input_std", "%q, want a number > 0 (the pixels are divided by it)", md["input_std"])
	}
	return nil
}

// strictJSON decodes text into v, refusing unknown fields.
func strictJSON(text string, v any) error {
	if text == "" {
		return errors.New("missing")
	}
	d := json.NewDecoder(strings.NewReader(text))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.More() {
		return errors.New("text after the JSON value")
	}
	return nil
}

// Net builds the checkpoint's net with the settings s (the saved ones, or
// them overridden: the hidden activation may differ) and loads its weights.
// A tensor that is missing, of another shape, not finite, or not of this
// architecture is an error naming the file, the tensor and the
// architecture.
func (c *Checkpoint) Net(s Settings) (*Net, error) {
	net, err := Build(c.Spec, c.In, c.Classes, s)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c.Path, err)
	}
	if err := c.load(net); err != nil {
		return nil, err
	}
	sc := c.Scale()
	net.SetBackground(sc[0]) // a blank pixel, scaled: what its pad blocks fill with, as in training
	return net, nil
}

// load copies the checkpoint's tensors into net's parameters.
func (c *Checkpoint) load(net *Net) error {
	ps, err := net.checkpointParams()
	if err != nil {
		return fmt.Errorf("%s: %w", c.Path, err)
	}
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%s: %s", c.Path, fmt.Sprintf(format, args...))
	}
	known := map[string]bool{}
	for _, n := range optimizerNames {
		known[n] = true
	}
	for _, p := range ps {
		known[p.name] = true
		t, ok := c.file.Tensor(p.name)
		if !ok {
			return fail("no tensor %s: architecture %s has it, of shape %v", p.name, net.arch, p.shape)
		}
		if !slices.Equal(t.Shape, p.shape) {
			return fail("tensor %s has shape %v; architecture %s wants %v", p.name, t.Shape, net.arch, p.shape)
		}
		if i := nonFinite(t.Data); i >= 0 {
			return fail("tensor %s holds %v at index %d: the run had diverged", p.name, t.Data[i], i)
		}
		copy(p.p.W, t.Data)
		if p.conv != nil && p.conv.table != nil {
			kk := p.conv.k * p.conv.k
			for j := range p.conv.out.C {
				for i := range p.conv.in.C {
					if p.conv.table[i][j] {
						continue
					}
					for _, v := range t.Data[(j*p.conv.in.C+i)*kk : (j*p.conv.in.C+i+1)*kk] {
						if v != 0 {
							return fail("tensor %s: output map %d reads input map %d, which architecture %s's connection table leaves out (its weights must be 0)", p.name, j, i, net.arch)
						}
					}
				}
			}
		}
	}
	for _, t := range c.file.Tensors {
		if !known[t.Name] {
			return fail("tensor %s is not part of architecture %s", t.Name, net.arch)
		}
	}
	return nil
}

// olderDefaults fills in the settings a checkpoint written before they
// existed lacks, with the values every such run trained with.
func (s *Settings) olderDefaults() {
	if s.Bias == "" {
		s.Bias = BiasPerMap
	}
	if s.Order == "" {
		s.Order = OrderAsWritten
	}
	if s.Output == "" {
		s.Output = OutputSoftmax
	}
	if s.OnNaN == "" {
		s.OnNaN = NaNStop
	}
}

// resume sets the trainer's optimiser state and step from c.
func (t *Trainer) resume(c *Checkpoint) error {
	if c.BatchesPerEpoch != t.batches {
		return fmt.Errorf("%s: saved with %d batches per epoch (%d training images, batch %d); this run has %d (%d images, batch %d): resume with the same data and batch", c.Path, c.BatchesPerEpoch, c.TrainImages, c.Settings.Batch, t.batches, t.train.Count, t.cfg.Batch)
	}
	if c.Step >= t.cfg.Epochs*t.batches {
		return &SettingError{Key: "epochs", Value: strconv.Itoa(t.cfg.Epochs), Want: fmt.Sprintf("more than the %g the checkpoint has trained: epochs is the run's total", c.Epochs())}
	}
	for name, v := range optimizerTensors(t.opt) {
		s, ok := c.file.Tensor(name)
		if !ok {
			return fmt.Errorf("%s: no tensor %s, which resuming with optimizer %s needs (saved with %s)", c.Path, name, t.cfg.Optimizer, c.Settings.Optimizer)
		}
		if !slices.Equal(s.Shape, []int{len(v)}) {
			return fmt.Errorf("%s: tensor %s has shape %v; architecture %s wants [%d]", c.Path, name, s.Shape, t.net.arch, len(v))
		}
		if i := nonFinite(s.Data); i >= 0 {
			return fmt.Errorf("%s: tensor %s holds %v at index %d", c.Path, name, s.Data[i], i)
		}
		copy(v, s.Data)
	}
	t.step = c.Step
	t.testLoss, t.testAcc, t.evaluated, t.evalStep = c.TestLoss, c.TestAcc, true, c.Step
	return nil
}

// nonFinite returns the index of the first NaN or infinity in v, or -1.
func nonFinite(v []float32) int {
	for i, x := range v {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return i
		}
	}
	return -1
}

// Scale is the pixel scaling the checkpoint's net was trained with, to
// feed it images (Net.Look): x = (p/255 − InputMean)/InputStd.
func (c *Checkpoint) Scale() dataset.Scale { return dataset.Standardize(c.InputMean, c.InputStd) }
