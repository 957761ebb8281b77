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
	if c.TrainFingerprint = md["train_fingerprint"]; !isFingerprint(c.TrainFingerprint) && c.TrainFingerprint != "" {
		return nil, bad("train_fingerprint", "%q, want %d hexadecimal digits", c.TrainFingerprint, fingerprintLen)
	}
	var in [3]int
	if err := strictJSON(md["input_shape"], &in); err != nil {
		return nil, bad("input_shape", "%v", err)
	}
	c.In = Shape{C: in[0], H: in[1], W: in[2]}
	if err := c.readNumbers(md, bad); err != nil {
		return nil, err
	}
	if err := c.readNames(md["class_names"], bad); err != nil {
		return nil, err
	}
	if _, err := Plan(c.Spec, c.In, c.Classes, c.Settings); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// maxClassName bounds a class's name in a checkpoint: a folder's name, which
// file systems keep to 255 bytes.
const maxClassName = 255

// readNames sets c.Names from the metadata's class_names, a JSON list of
// one printable name per class; a checkpoint saved before names were kept
// has none, and ClassNames then falls back to its dataset's.
func (c *Checkpoint) readNames(text string, bad func(key, format string, args ...any) error) error {
	if text == "" {
		return nil
	}
	var names []string
	if err := strictJSON(text, &names); err != nil {
		return bad("class_names", "%v", err)
	}
	if len(names) != c.Classes {
		return bad("class_names", "%d names for %d classes", len(names), c.Classes)
	}
	for i, n := range names {
		if n == "" {
			return bad("class_names", "class %d has no name", i)
		}
		if err := checkText(fmt.Sprintf("class %d's name", i), n, maxClassName); err != nil {
			return bad("class_names", "%v", err)
		}
	}
	c.Names = names
	return nil
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
