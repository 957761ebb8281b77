package engine

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/lenet-tui/lenet-tui/dataset"
	"github.com/lenet-tui/lenet-tui/safetensors"
)

// stateFormat is the format key of an optimiser state file.
const stateFormat = "lenet-tui optimizer state 1"

// StatePath is where the checkpoint at path keeps its optimiser's state:
// beside it, ".safetensors" replaced by ".optimizer.safetensors" (added to
// a name without it): net.safetensors → net.optimizer.safetensors.
func StatePath(path string) string {
	return strings.TrimSuffix(path, ".safetensors") + ".optimizer.safetensors"
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

// stateFile is the optimiser state file of a save to path, its weights
// fingerprint still to be set; nil for an optimiser that keeps no state.
// Something at StatePath(path) that is not an optimiser state file is an
// error: a save must not replace a file it did not write.
func (t *Trainer) stateFile(path string) (*safetensors.File, error) {
	opt := optimizerTensors(t.opt)
	if len(opt) == 0 {
		return nil, nil
	}
	at := StatePath(path)
	if md, err := safetensors.ReadMetadata(at); err == nil && md["format"] != stateFormat || err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: the optimiser's state goes to %s, and a file there is not one lenet-tui wrote: move it, or save under another name", path, at)
	}
	f := &safetensors.File{Metadata: map[string]string{
		"format":    stateFormat,
		"optimizer": string(t.cfg.Optimizer),
		"step":      strconv.Itoa(t.step),
	}}
	for _, name := range optimizerNames {
		if v, ok := opt[name]; ok {
			f.Tensors = append(f.Tensors, safetensors.Tensor{Name: name, Shape: []int{len(v)}, Data: v})
		}
	}
	return f, nil
}

// savedState is a checkpoint's optimiser state as found: its tensors and
// the file they came from, or why there are none.
type savedState struct {
	from    string // the file holding the tensors
	tensors []safetensors.Tensor
	why     string // why there are none: the file, and what is wrong with it
}

// inlineState takes the optimiser's state out of the weights file of a
// checkpoint written before the state moved to a file of its own.
func (c *Checkpoint) inlineState() {
	var inline []safetensors.Tensor
	for _, t := range c.file.Tensors {
		if slices.Contains(optimizerNames, t.Name) {
			inline = append(inline, t)
		}
	}
	if len(inline) > 0 {
		c.state = &savedState{from: c.Path, tensors: inline}
	}
}

// MissingState is why a run resumed from a checkpoint starts its
// optimiser's state at zero: the state file beside it is missing, was
// saved with other weights, or holds another optimiser's state. It is a
// notice, not a failure: the run resumes, though not exactly where it
// stopped.
type MissingState struct {
	Checkpoint string    // the weights file
	Optimizer  Optimizer // whose state is missing
	Why        string    // the state file and what is wrong with it
}

func (e *MissingState) Error() string {
	return fmt.Sprintf("%s: resuming without %s's saved state (%s): it starts at zero", e.Checkpoint, e.Optimizer, e.Why)
}

// OptimizerState finds, the first time it is called, the optimiser's state
// saved with c: in the file StatePath names, used only if its step and
// weights fingerprint are c's, or in c's own file for a checkpoint written
// before the state moved out. It returns nil when the state of optimiser
// opt is there for a resume to restore, or opt keeps none, and otherwise a
// *MissingState: a run resumed from c then starts opt's state at zero.
// The first call reads files and sets c's state: make it before c is
// shared (a resume calls it too).
func (c *Checkpoint) OptimizerState(opt Optimizer) error {
	if c.state == nil {
		c.inlineState()
	}
	if c.state == nil {
		c.state = c.readState()
	}
	need := optimizerTensors(newOptimizer(opt, 0))
	if len(need) == 0 {
		return nil
	}
	if c.state.why != "" {
		return &MissingState{Checkpoint: c.Path, Optimizer: opt, Why: c.state.why}
	}
	for name := range need {
		if !slices.ContainsFunc(c.state.tensors, func(t safetensors.Tensor) bool { return t.Name == name }) {
			return &MissingState{Checkpoint: c.Path, Optimizer: opt, Why: fmt.Sprintf("%s holds %s's state", c.state.from, c.Settings.Optimizer)}
		}
	}
	return nil
}

// readState reads the state file beside c if it goes with c's weights.
func (c *Checkpoint) readState() *savedState {
	at := StatePath(c.Path)
	md, err := safetensors.ReadMetadata(at)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &savedState{why: at + " is missing"}
	case err != nil:
		return &savedState{why: err.Error()}
	case md["format"] != stateFormat:
		return &savedState{why: fmt.Sprintf("%s is not an optimiser state file: format %q, want %q", at, md["format"], stateFormat)}
	case md["step"] != strconv.Itoa(c.Step):
		return &savedState{why: fmt.Sprintf("%s was saved at step %s, these weights at step %d", at, printableStep(md["step"]), c.Step)}
	case md["weights"] != weightsFingerprint(c.file.Tensors):
		return &savedState{why: fmt.Sprintf("%s was saved with other weights (another fingerprint)", at)}
	}
	f, err := safetensors.ReadFile(at)
	if err != nil {
		return &savedState{why: err.Error()}
	}
	for _, t := range f.Tensors {
		if !slices.Contains(optimizerNames, t.Name) {
			return &savedState{why: fmt.Sprintf("%s holds a tensor %s, not an optimiser's state", at, t.Name)}
		}
	}
	return &savedState{from: at, tensors: f.Tensors}
}

// printableStep is a step read from a file, quoted unless it is a number.
func printableStep(s string) string {
	if _, err := strconv.Atoi(s); err == nil {
		return s
	}
	return strconv.Quote(s)
}

// resume sets the trainer's step and optimiser state from c: exactly the
// saved state when OptimizerState finds it, zero otherwise (the caller
// has said so with the *MissingState OptimizerState returns). A run on
// another training set is refused, as is one with another number of
// batches per epoch.
func (t *Trainer) resume(c *Checkpoint) error {
	if fp := trainFingerprint(t.train); c.TrainFingerprint != "" && c.TrainFingerprint != fp {
		return fmt.Errorf("%s: trained on other images: its training set (%s, %d images) has fingerprint %s, this run's (%s, %d images) %s: resume it on the images it was trained on",
			c.Path, c.Dataset, c.TrainImages, c.TrainFingerprint, t.cfg.Dataset, t.train.Count, fp)
	}
	if c.BatchesPerEpoch != t.batches {
		return fmt.Errorf("%s: saved with %d batches per epoch (%d training images, batch %d); this run has %d (%d images, batch %d): resume with the same data and batch", c.Path, c.BatchesPerEpoch, c.TrainImages, c.Settings.Batch, t.batches, t.train.Count, t.cfg.Batch)
	}
	if c.Step >= t.cfg.Epochs*t.batches {
		return &SettingError{Key: "epochs", Value: strconv.Itoa(t.cfg.Epochs), Want: fmt.Sprintf("more than the %g the checkpoint has trained: epochs is the run's total", c.Epochs())}
	}
	c.OptimizerState(t.cfg.Optimizer) // a *MissingState leaves the state at zero
	for name, v := range optimizerTensors(t.opt) {
		i := slices.IndexFunc(c.state.tensors, func(t safetensors.Tensor) bool { return t.Name == name })
		if i < 0 {
			continue
		}
		s := c.state.tensors[i]
		if !slices.Equal(s.Shape, []int{len(v)}) {
			return fmt.Errorf("%s: tensor %s has shape %v; architecture %s wants [%d]", c.state.from, name, s.Shape, t.net.arch, len(v))
		}
		if i := nonFinite(s.Data); i >= 0 {
			return fmt.Errorf("%s: tensor %s holds %v at index %d", c.state.from, name, s.Data[i], i)
		}
		copy(v, s.Data)
	}
	t.step = c.Step
	t.testLoss, t.testAcc, t.evaluated, t.evalStep = c.TestLoss, c.TestAcc, true, c.Step
	return nil
}

// stateValue is value flat of the saved state tensor name, and whether
// there is one.
func (c *Checkpoint) stateValue(name string, flat int) (float32, bool) {
	if c.state == nil {
		return 0, false
	}
	for _, t := range c.state.tensors {
		if t.Name == name && flat < len(t.Data) {
			return t.Data[flat], true
		}
	}
	return 0, false
}

// fingerprintLen is the hexadecimal digits of a fingerprint: 64 bits.
const fingerprintLen = 16

// isFingerprint reports whether s is fingerprintLen hexadecimal digits.
func isFingerprint(s string) bool {
	_, err := hex.DecodeString(s)
	return len(s) == fingerprintLen && err == nil
}

// weightsFingerprint identifies a weights file's tensors (the parameters;
// an older checkpoint's optimiser state left out): SHA-256 over each
// one's name, shape and values, in order, cut to 64 bits.
func weightsFingerprint(ts []safetensors.Tensor) string {
	h := sha256.New()
	buf := make([]byte, 0, 64<<10)
	for _, t := range ts {
		if slices.Contains(optimizerNames, t.Name) {
			continue
		}
		buf = append(append(buf[:0], t.Name...), 0)
		for _, d := range t.Shape {
			buf = binary.LittleEndian.AppendUint64(buf, uint64(d))
		}
		h.Write(buf)
		buf = buf[:0]
		for _, v := range t.Data {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
			if len(buf) == cap(buf) {
				h.Write(buf)
				buf = buf[:0]
			}
		}
		h.Write(buf)
	}
	return hex.EncodeToString(h.Sum(nil))[:fingerprintLen]
}

// trainFingerprint identifies a training set: SHA-256 over its count and
// image size, every label in order, and 1,024 images spread evenly over
// it (all of a smaller set), cut to 64 bits. It reads about 800 KB of
// MNIST's 47 MB, well under a millisecond, so it is computed where it is
// needed (a save, a resume) rather than kept. Another set of the same size
// differs in its labels or its sampled images: a subset, a shuffle,
// Fashion-MNIST for MNIST.
func trainFingerprint(s *dataset.Set) string {
	h := sha256.New()
	var head []byte
	for _, n := range []int{s.Count, s.Rows, s.Cols} {
		head = binary.LittleEndian.AppendUint64(head, uint64(n))
	}
	h.Write(head)
	h.Write(s.Labels[:s.Count])
	const sample = 1024
	for k := range min(sample, s.Count) {
		h.Write(s.Image(k * s.Count / min(sample, s.Count)))
	}
	return hex.EncodeToString(h.Sum(nil))[:fingerprintLen]
}
