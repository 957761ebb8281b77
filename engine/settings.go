package engine

import (
	"fmt"

	"github.com/lenet-tui/lenet-tui/dataset"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Settings are the hyper-parameters of a run. Each enum field is a type whose
// UnmarshalText accepts exactly its named values, so flags and config files
// can decode straight into it; Check validates a whole Settings.
type Settings struct {
	Activation Activation // hidden activation
	Init       Init       // initialiser
	InitStd    float64    // σ of InitTruncNormal; unused by the others
	Optimizer  Optimizer
	LR         float64 // peak learning rate under a schedule
	Batch      int
	Epochs     int
	Loss       Loss
	Reduction  Reduction
	Input      Input // pixel scaling
	Schedule   Schedule
	Seed       uint64  // weights, shuffling and distortions
	Bias       Bias    // one bias per conv map, or per map and position
	Order      Order   // where a conv→pool pair's hidden activation goes
	Output     Output  // the output layer: dense + softmax, or the paper's RBF units
	OnNaN      OnNaN   // what a non-finite loss does to the run
	Augment    Augment // random distortions of the training images
	// LabelSmoothing is ε of the smoothed cross-entropy (0: none).
	LabelSmoothing float64
	// WeightDecay shrinks every parameter by lr·WeightDecay before each
	// update, decoupled from the gradient as in AdamW (0: none).
	WeightDecay float64
}

// Limits on the sizes a run may ask for.
const (
	MaxBatch  = 1 << 16
	MaxEpochs = 10_000
)

// Check validates every setting and returns the first problem as a
// *SettingError naming it.
func (s Settings) Check() error {
	enums := []struct {
		key string
		v   Enum
	}{
		{"activation", s.Activation}, {"init", s.Init}, {"optimizer", s.Optimizer}, {"loss", s.Loss},
		{"reduction", s.Reduction}, {"input", s.Input}, {"schedule", s.Schedule},
		{"bias", s.Bias}, {"order", s.Order}, {"output", s.Output}, {"on_nan", s.OnNaN}, {"augment", s.Augment},
	}
	for _, e := range enums {
		if err := checkEnum(e.key, e.v); err != nil {
			return err
		}
	}
	if err := s.checkInitStd(); err != nil {
		return err
	}
	bad := func(key string, v any, want string) error {
		return &SettingError{Key: key, Value: fmt.Sprint(v), Want: want}
	}
	switch {
	case !(s.LR > 0 && s.LR < math.Inf(1)):
		return bad("lr", s.LR, "a learning rate > 0")
	case s.Batch < 1 || s.Batch > MaxBatch:
		return bad("batch", s.Batch, fmt.Sprintf("a batch size from 1 to %d", MaxBatch))
	case s.Epochs < 1 || s.Epochs > MaxEpochs:
		return bad("epochs", s.Epochs, fmt.Sprintf("a number of epochs from 1 to %d", MaxEpochs))
	// The engine computes in float32: ε and lr·decay are checked as it
	// will see them (0.99999999 is 1 there).
	case !(s.LabelSmoothing >= 0 && float32(s.LabelSmoothing) < 1):
		return bad("label_smoothing", s.LabelSmoothing, "an ε from 0 up to (not including) 1")
	case s.LabelSmoothing > 0 && s.Output == OutputRBF:
		return bad("label_smoothing", s.LabelSmoothing, "0 with output rbf, whose loss (eq. 9) has no targets to smooth")
	case s.LabelSmoothing > 0 && s.Loss == LossNaive:
		// The naive loss stands for the 2017 note's program, whose NaN
		// (0·log 0) a smoothed target would turn into −∞·(ε/K): +Inf, not
		// the NaN the note saw.
		return bad("label_smoothing", s.LabelSmoothing, "0 with loss naive, the note's loss as it was written (use loss stable)")
	case !(s.WeightDecay >= 0 && float32(s.LR)*float32(s.WeightDecay) < 1):
		return bad("weight_decay", s.WeightDecay, fmt.Sprintf("a decay ≥ 0 with lr·weight_decay < 1 (lr is %g)", s.LR))
	}
	return nil
}

// CheckTrainSet reports a batch larger than a training set of n images.
func (s Settings) CheckTrainSet(n int) error {
	if s.Batch > n {
		return &SettingError{Key: "batch", Value: strconv.Itoa(s.Batch), Want: fmt.Sprintf("at most the %d images of the training set", n)}
	}
	return nil
}

// checkInitStd checks the σ that truncated-normal needs.
func (s Settings) checkInitStd() error {
	if s.Init == InitTruncNormal && !(s.InitStd > 0 && s.InitStd < math.Inf(1)) {
		return &SettingError{Key: "init_std", Value: fmt.Sprint(s.InitStd), Want: "a standard deviation > 0 for init truncated-normal"}
	}
	return nil
}

// checkEnum reports a value that is not one of its enum's names.
func checkEnum(key string, v Enum) error {
	if slices.Contains(v.Values(), v.String()) {
		return nil
	}
	return &SettingError{Key: key, Value: strconv.Quote(v.String()), Want: WantOneOf(v.Values())}
}

// SettingError is a setting with a value it cannot take. Key is the setting's
// name in config files (init_std, lr …).
type SettingError struct {
	Key, Value, Want string
}

func (e *SettingError) Error() string {
	return fmt.Sprintf("%s %s: want %s", e.Key, e.Value, e.Want)
}

// WantOneOf phrases a list of accepted values: "one of a, b, c".
func WantOneOf(values []string) string { return "one of " + strings.Join(values, ", ") }

// Enum is a setting with a fixed list of named values. The enum types of
// Settings implement it, and their pointers implement
// encoding.TextUnmarshaler.
type Enum interface {
	fmt.Stringer
	MarshalText() ([]byte, error)
	// Values lists the accepted names, in the order help shows them.
	Values() []string
}

// parseEnum sets *dst to the value named text, or reports what it accepts.
func parseEnum[E ~string](dst *E, text []byte, values []E) error {
	for _, v := range values {
		if string(v) == string(text) {
			*dst = v
			return nil
		}
	}
	return &EnumError{Value: string(text), Want: names(values)}
}

// EnumError is a name an enum does not have.
type EnumError struct {
	Value string
	Want  []string
}

func (e *EnumError) Error() string { return fmt.Sprintf("%q: want %s", e.Value, WantOneOf(e.Want)) }

func names[E ~string](values []E) []string {
	s := make([]string, len(values))
	for i, v := range values {
		s[i] = string(v)
	}
	return s
}

// Activation is a hidden activation function.
type Activation string

// The activations, in the order a user cycles through them.
const (
	Sigmoid    Activation = "sigmoid"
	ReLU       Activation = "relu"
	Tanh       Activation = "tanh"
	ScaledTanh Activation = "scaled-tanh" // LeCun 1998: 1.7159·tanh(2a/3)
)

var activations = []Activation{Sigmoid, ReLU, Tanh, ScaledTanh}

// Activations lists the activations in the order a user cycles through them.
func Activations() []Activation { return slices.Clone(activations) }

func (a Activation) String() string                { return string(a) }
func (a Activation) Values() []string              { return names(activations) }
func (a Activation) MarshalText() ([]byte, error)  { return []byte(a), nil }
func (a *Activation) UnmarshalText(b []byte) error { return parseEnum(a, b, activations) }

// Init is how a net's initial parameters are drawn.
type Init string

// The initialisers.
const (
	InitTruncNormal Init = "truncated-normal" // N(0, σ²) redrawn beyond 2σ, weights and biases alike (TensorFlow's truncated_normal, as in the note)
	InitHe          Init = "he"               // N(0, 2/fan_in), He et al. 2015, for ReLU
	InitGlorot      Init = "glorot"           // U(±√(6/(fan_in+fan_out))), Glorot & Bengio 2010, for sigmoid and tanh
	// InitLeCun is "LeCun normal", N(0, 1/fan_in), from Efficient BackProp
	// (LeCun, Bottou, Orr, Müller 1998), not the LeNet-5 paper.
	InitLeCun Init = "lecun"
	// InitLeCun1998 is the LeNet-5 paper's (LeCun et al. 1998, appendix A):
	// every weight, bias and subsampling coefficient uniform in ±2.4/Fᵢ, Fᵢ
	// the fan-in of the unit it feeds.
	InitLeCun1998 Init = "lecun-1998"
)

var inits = []Init{InitTruncNormal, InitHe, InitGlorot, InitLeCun, InitLeCun1998}

func (i Init) String() string                { return string(i) }
func (i Init) Values() []string              { return names(inits) }
func (i Init) MarshalText() ([]byte, error)  { return []byte(i), nil }
func (i *Init) UnmarshalText(b []byte) error { return parseEnum(i, b, inits) }

// Optimizer names an update rule (see optim.go).
type Optimizer string

// The optimisers.
const (
	SGD      Optimizer = "sgd"
	Momentum Optimizer = "momentum" // heavy ball, μ = 0.9
	Adam     Optimizer = "adam"
)

var optimizers = []Optimizer{SGD, Momentum, Adam}

func (o Optimizer) String() string                { return string(o) }
func (o Optimizer) Values() []string              { return names(optimizers) }
func (o Optimizer) MarshalText() ([]byte, error)  { return []byte(o), nil }
func (o *Optimizer) UnmarshalText(b []byte) error { return parseEnum(o, b, optimizers) }

// Loss is how the loss of one image is computed from its logits.
type Loss string

// The losses.
const (
	LossStable Loss = "stable" // log-sum-exp cross-entropy: never takes log(0)
	LossNaive  Loss = "naive"  // −Σ y·log(softmax(z)), as the 2017 note wrote it: NaN once softmax underflows
)

var losses = []Loss{LossStable, LossNaive}

func (l Loss) String() string                { return string(l) }
func (l Loss) Values() []string              { return names(losses) }
func (l Loss) MarshalText() ([]byte, error)  { return []byte(l), nil }
func (l *Loss) UnmarshalText(b []byte) error { return parseEnum(l, b, losses) }

// Reduction is how the per-image losses of a batch combine into the loss that
// is differentiated.
type Reduction string

// The reductions.
const (
	ReduceMean Reduction = "mean"
	ReduceSum  Reduction = "sum" // the note's tf.reduce_sum: gradients grow with the batch size
)

var reductions = []Reduction{ReduceMean, ReduceSum}

func (r Reduction) String() string                { return string(r) }
func (r Reduction) Values() []string              { return names(reductions) }
func (r Reduction) MarshalText() ([]byte, error)  { return []byte(r), nil }
func (r *Reduction) UnmarshalText(b []byte) error { return parseEnum(r, b, reductions) }

// Input is how pixels are scaled before they enter the net.
type Input string

// The input scalings.
const (
	InputStandardize Input = "standardize" // (p/255 − mean)/std with the training set's pixel mean and std
	InputUnit        Input = "unit"        // p/255, in [0, 1], as the note's TensorFlow input
	// InputPaper is LeCun et al. 1998's: background −0.1, foreground 1.175,
	// so the mean is about 0 and the variance about 1.
	InputPaper Input = "paper"
)

var inputs = []Input{InputStandardize, InputUnit, InputPaper}

func (i Input) String() string                { return string(i) }
func (i Input) Values() []string              { return names(inputs) }
func (i Input) MarshalText() ([]byte, error)  { return []byte(i), nil }
func (i *Input) UnmarshalText(b []byte) error { return parseEnum(i, b, inputs) }

// Schedule is how the learning rate varies over a run (see schedule.go).
type Schedule string

// The learning-rate schedules.
const (
	ScheduleConstant Schedule = "constant" // the learning rate as set, throughout
	// ScheduleOneCycle is Smith & Topin's one-cycle policy as PyTorch's
	// OneCycleLR runs it: from lr/25 up to lr over the first 30% of the steps,
	// then down to lr/250,000 along a cosine.
	ScheduleOneCycle Schedule = "onecycle"
)

var schedules = []Schedule{ScheduleConstant, ScheduleOneCycle}

func (s Schedule) String() string                { return string(s) }
func (s Schedule) Values() []string              { return names(schedules) }
func (s Schedule) MarshalText() ([]byte, error)  { return []byte(s), nil }
func (s *Schedule) UnmarshalText(b []byte) error { return parseEnum(s, b, schedules) }

// Bias is how many biases a convolution has.
type Bias string

// The bias modes.
const (
	BiasPerMap Bias = "per-map" // one per output map, shared by its positions (the paper, and every framework)
	// BiasPerPosition gives every output pixel of every map its own bias:
	// the 2017 note's first question. C1 then has 6×25+6×28×28 parameters.
	BiasPerPosition Bias = "per-position"
)

var biases = []Bias{BiasPerMap, BiasPerPosition}

func (b Bias) String() string                { return string(b) }
func (b Bias) Values() []string              { return names(biases) }
func (b Bias) MarshalText() ([]byte, error)  { return []byte(b), nil }
func (b *Bias) UnmarshalText(t []byte) error { return parseEnum(b, t, biases) }

// Order is where the hidden activation of a convolution followed by a
// pooling layer goes: the 2017 note's sigmoid(pool(c1)+b) against
// pool(sigmoid(c1+b)).
type Order string

// The orders.
const (
	// OrderAsWritten keeps the activations the architecture's layers name:
	// lenet5 squashes after the convolution and after the subsampling, as
	// the paper; lenet5-modern only after the convolution.
	OrderAsWritten Order = "as-written"
	// OrderPoolThenActivate leaves the convolution linear and applies the
	// hidden activation after the pooling: f(pool(w⊛x+b)).
	OrderPoolThenActivate Order = "pool-then-activate"
	// OrderActivateThenPool applies the hidden activation to the
	// convolution and none after the pooling: pool(f(w⊛x+b)).
	OrderActivateThenPool Order = "activate-then-pool"
)

var orders = []Order{OrderAsWritten, OrderPoolThenActivate, OrderActivateThenPool}

func (o Order) String() string                { return string(o) }
func (o Order) Values() []string              { return names(orders) }
func (o Order) MarshalText() ([]byte, error)  { return []byte(o), nil }
func (o *Order) UnmarshalText(t []byte) error { return parseEnum(o, t, orders) }

// Output is the net's output layer and the loss that goes with it.
type Output string

// The output layers.
const (
	OutputSoftmax Output = "softmax" // the last dense layer's outputs are logits for softmax cross-entropy (see Loss)
	// OutputRBF replaces the last dense layer by LeCun et al. 1998's 10
	// Euclidean RBF units y_i = Σ_j (x_j − w_ij)² with fixed ±1 weights, 7×12
	// bitmaps of the digits, trained with the paper's loss (eq. 9); the
	// smallest y_i is the answer.
	OutputRBF Output = "rbf"
)

var outputs = []Output{OutputSoftmax, OutputRBF}

func (o Output) String() string                { return string(o) }
func (o Output) Values() []string              { return names(outputs) }
func (o Output) MarshalText() ([]byte, error)  { return []byte(o), nil }
func (o *Output) UnmarshalText(t []byte) error { return parseEnum(o, t, outputs) }

// OnNaN is what the trainer does when a batch's loss is not a finite number.
type OnNaN string

// The reactions to a non-finite loss.
const (
	NaNStop OnNaN = "stop" // end the run with a Failed event that says why
	// NaNContinue trains on, as the 2017 note's TensorFlow program did: the
	// NaN gradients make every weight NaN, and the argmax of NaN outputs is
	// class 0 for every image. The first such batch is reported (WentNaN).
	NaNContinue OnNaN = "continue"
)

var onNaNs = []OnNaN{NaNStop, NaNContinue}

func (o OnNaN) String() string                { return string(o) }
func (o OnNaN) Values() []string              { return names(onNaNs) }
func (o OnNaN) MarshalText() ([]byte, error)  { return []byte(o), nil }
func (o *OnNaN) UnmarshalText(t []byte) error { return parseEnum(o, t, onNaNs) }

// Augment is how training images are distorted, afresh for every batch, as
// they are fed (see dataset.Augmenter); test images never are. The zero
// value is AugmentNone, so Settings written before augment existed still
// mean what they meant.
type Augment string

// The augmentations.
const (
	AugmentNone Augment = "none"
	// AugmentAffine rotates (±12°), scales (±10%), shears (±0.15) and shifts
	// (±2.5 px) each image at random (dataset.DefaultAffine).
	AugmentAffine Augment = "affine"
	// AugmentElastic bends each image along a random smooth displacement
	// field (Simard et al. 2003, α = 34, σ = 4: dataset.DefaultElastic).
	AugmentElastic Augment = "elastic"
)

var augments = []Augment{AugmentNone, AugmentAffine, AugmentElastic}

func (a Augment) String() string {
	if a == "" {
		return string(AugmentNone)
	}
	return string(a)
}
func (a Augment) Values() []string              { return names(augments) }
func (a Augment) MarshalText() ([]byte, error)  { return []byte(a.String()), nil }
func (a *Augment) UnmarshalText(b []byte) error { return parseEnum(a, b, augments) }

// Augmenter returns the dataset.Augmenter that draws a's distortions from
// seed; nil for none.
func (a Augment) Augmenter(seed uint64) *dataset.Augmenter {
	switch a {
	case AugmentAffine:
		return dataset.NewAffineAugmenter(dataset.DefaultAffine, seed)
	case AugmentElastic:
		return dataset.NewElasticAugmenter(dataset.DefaultElastic, seed)
	}
	return nil
}
