package config

import (
	"strings"

	"github.com/lenet-tui/lenet-tui/dataset"
	"github.com/lenet-tui/lenet-tui/engine"
)

// Config is a whole run: what to learn from, which net, and how to train it.
type Config struct {
	Dataset  string             // one of dataset.Names
	Data     string             // a folder with the four IDX files, or an image folder; "" finds the dataset
	HeldOut  float64            // an image folder without test/: the share of train/ held out (dataset.Options.HeldOut)
	KeepSize bool               // an image folder: keep pictures already 28×28 grey as they are
	Arch     string             // a built-in architecture, or the name of Layers
	Layers   []engine.LayerSpec // a new architecture; nil for a built-in one
	engine.Settings
	Save string // write a checkpoint here when the run ends; "" for none
	Load string // start from this checkpoint; "" for a new net

	from map[string]source // where each key was set, for Place
}

// setting is one row of the table.
type setting struct {
	key  string // config.yaml key; the flag is the key with - for _
	arg  string // placeholder in help: NAME, N, X, DIR, LIST
	help string
	// data marks settings about the data rather than the net: a flag that
	// picks another architecture than the file's keeps them.
	data bool
	// values lists what a plain string setting accepts (enums list their own).
	values func() []string
	field  func(*Config) any // a pointer to the setting's value
}

// table is every setting, in the order help and `lenet-tui config` show them.
var table = []setting{
	{key: "dataset", arg: "NAME", help: "the images to learn", data: true, values: dataset.Names,
		field: func(c *Config) any { return &c.Dataset }},
	{key: "data", arg: "DIR", help: "a folder with the four IDX files (gzipped or not), or an image folder: DIR/train/<class>/*.png|jpg|jpeg|gif and optionally DIR/test/<class>/…, classes named by their folders in sorted order; empty: find the dataset", data: true,
		field: func(c *Config) any { return &c.Data }},
	{key: "held_out", arg: "X", help: "an image folder without test/: the share of each class of train/ held out as the test set, picked by a hash of the file names, the same on every run (1/7 unless set, as MNIST keeps 10,000 of 70,000)", data: true,
		field: func(c *Config) any { return &c.HeldOut }},
	{key: "keep_size", help: "an image folder: keep pictures already 28×28 grey (light ink on black, as MNIST's) byte for byte instead of preparing them as predict does (grey, ink fitted into 20×20, centred)", data: true,
		field: func(c *Config) any { return &c.KeepSize }},
	{key: "arch", arg: "NAME", help: "the architecture, built in or named by a layers list", values: engine.ArchNames,
		field: func(c *Config) any { return &c.Arch }},
	{key: "layers", arg: "LIST", help: "a new architecture, a YAML list of {name, kind: conv|pool|dense|pad, maps, units, kernel, padding, pool, table, activation}",
		field: func(c *Config) any { return &c.Layers }},
	{key: "activation", arg: "NAME", help: "the hidden activation (scaled-tanh is LeCun's 1.7159·tanh(2a/3))",
		field: func(c *Config) any { return &c.Activation }},
	{key: "init", arg: "NAME", help: "how initial weights are drawn (lecun: N(0, 1/fan_in) from Efficient BackProp; lecun-1998: the LeNet-5 paper's U(±2.4/fan_in))",
		field: func(c *Config) any { return &c.Init }},
	{key: "init_std", arg: "X", help: "σ of truncated-normal initial weights",
		field: func(c *Config) any { return &c.InitStd }},
	{key: "optimizer", arg: "NAME", help: "the update rule (momentum: μ = 0.9)",
		field: func(c *Config) any { return &c.Optimizer }},
	{key: "lr", arg: "X", help: "the learning rate (the peak, under onecycle)",
		field: func(c *Config) any { return &c.LR }},
	{key: "schedule", arg: "NAME", help: "how lr varies (onecycle: up to lr over 30% of the steps, then a cosine to almost 0)",
		field: func(c *Config) any { return &c.Schedule }},
	{key: "batch", arg: "N", help: "images per mini-batch",
		field: func(c *Config) any { return &c.Batch }},
	{key: "epochs", arg: "N", help: "passes over the training set",
		field: func(c *Config) any { return &c.Epochs }},
	{key: "seed", arg: "N", help: "seeds the initial weights and the shuffling",
		field: func(c *Config) any { return &c.Seed }},
	{key: "loss", arg: "NAME", help: "cross-entropy, stable (log-sum-exp) or the 2017 note's naive −Σ y·log(softmax(z))",
		field: func(c *Config) any { return &c.Loss }},
	{key: "reduction", arg: "NAME", help: "how per-image losses combine (the note used sum)",
		field: func(c *Config) any { return &c.Reduction }},
	{key: "input", arg: "NAME", help: "pixel scaling: the training set's mean and std, unit p/255, or the paper's background −0.1 and foreground 1.175",
		field: func(c *Config) any { return &c.Input }},
	{key: "bias", arg: "NAME", help: "a convolution's biases: one per map (per-map), or one per map and output position (per-position, the note's first question)",
		field: func(c *Config) any { return &c.Bias }},
	{key: "order", arg: "NAME", help: "where a convolution→pooling pair's hidden activation goes: as the layers say, after the pooling only (f(pool(conv))) or on the convolution only (pool(f(conv)))",
		field: func(c *Config) any { return &c.Order }},
	{key: "output", arg: "NAME", help: "the output layer: dense logits and softmax, or the 1998 paper's 10 Euclidean RBF units with fixed 7×12 bitmaps and its loss (eq. 9)",
		field: func(c *Config) any { return &c.Output }},
	{key: "on_nan", arg: "NAME", help: "when the loss turns NaN: stop and say why, or continue on NaN weights as the note's TensorFlow program did",
		field: func(c *Config) any { return &c.OnNaN }},
	{key: "label_smoothing", arg: "X", help: "ε of label smoothing: the cross-entropy's target is 1 − ε + ε/K on the true class and ε/K on each of the other K − 1 (0: none)",
		field: func(c *Config) any { return &c.LabelSmoothing }},
	{key: "weight_decay", arg: "X", help: "every parameter shrinks by lr·X before each update, apart from the gradient as in AdamW (0: none)",
		field: func(c *Config) any { return &c.WeightDecay }},
	{key: "augment", arg: "NAME", help: "random distortions of each training batch: affine (±12°, ±10% scale, ±0.15 shear, ±2.5 px) or elastic (Simard et al. 2003, α 34, σ 4)",
		field: func(c *Config) any { return &c.Augment }},
	{key: "save", arg: "FILE", help: "write a checkpoint (safetensors) to FILE when the run ends; in the terminal UI, s writes it at any time", data: true,
		field: func(c *Config) any { return &c.Save }},
	{key: "load", arg: "FILE", help: "start from a checkpoint: its net, settings and optimizer state (train resumes the run, eval measures it); flags override its settings", data: true,
		field: func(c *Config) any { return &c.Load }},
}

// lookup returns the setting with the given key.
func lookup(key string) (setting, bool) {
	for _, s := range table {
		if s.key == key {
			return s, true
		}
	}
	return setting{}, false
}

// Keys lists every config.yaml key, in table order.
func Keys() []string {
	keys := make([]string, len(table))
	for i, s := range table {
		keys[i] = s.key
	}
	return keys
}

// FlagName is the flag of a key: init_std → init-std.
func FlagName(key string) string { return strings.ReplaceAll(key, "_", "-") }

// Values lists what the setting with key accepts when it is one of a set of
// names (an enum, a dataset, an architecture); nil otherwise.
func Values(key string) []string {
	s, ok := lookup(key)
	if !ok {
		return nil
	}
	if s.values != nil {
		return s.values()
	}
	if e, ok := s.field(&Config{}).(interface{ Values() []string }); ok {
		return e.Values()
	}
	return nil
}

// Defaults is the run an architecture trains with unless told otherwise:
// MNIST, found where it is, and the architecture's own settings; an image
// folder without test/ holds out dataset.DefaultHeldOut of it.
func Defaults(spec engine.ArchSpec) Config {
	return Config{Dataset: "mnist", Arch: spec.Name, HeldOut: dataset.DefaultHeldOut, Settings: spec.Defaults}
}

// Spec is the architecture to build: the layers list under Arch's name, or
// the built-in Arch. A layers list trains with lenet5's defaults.
func (c Config) Spec() (engine.ArchSpec, error) {
	if len(c.Layers) == 0 {
		return engine.LookupArch(c.Arch)
	}
	base, _ := engine.LookupArch(DefaultArch)
	return engine.ArchSpec{Name: c.Arch, About: "a layers list", Layers: c.Layers, Defaults: base.Defaults}, nil
}

// DefaultArch is the architecture when nothing names one.
const DefaultArch = "lenet5"
