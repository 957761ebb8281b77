package engine

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
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

// Settings are the hyper-parameters of a run.
type Settings struct {
	Activation string  // hidden activation
	Init       string  // initialiser
	InitStd    float64 // σ for truncated-normal
	Optimizer  string
	LR         float64
	Batch      int
	Epochs     int
	Loss       string // stable or naive
	Reduction  string // mean or sum
	Input      string // pixel scaling: standardize or unit
	Schedule   string // learning-rate schedule: constant (or empty) or onecycle
	Seed       uint64
}

// Input scalings.
const (
	InputStandardize = "standardize" // (p/255 − mean)/std with the training set's pixel mean and std
	InputUnit        = "unit"        // p/255, in [0, 1], as the note's TensorFlow input
)

// Check validates every setting and returns the first problem.
func (s Settings) Check() error {
	if err := CheckActivation(s.Activation); err != nil {
		return err
	}
	if err := CheckInit(Init{s.Init, s.InitStd}); err != nil {
		return err
	}
	if _, err := NewOptimizer(s.Optimizer, 0); err != nil {
		return err
	}
	if err := CheckLoss(s.Loss); err != nil {
		return err
	}
	if err := CheckReduction(s.Reduction); err != nil {
		return err
	}
	if s.Schedule != "" {
		if err := CheckSchedule(s.Schedule); err != nil {
			return err
		}
	}
	switch {
	case !(s.LR > 0):
		return fmt.Errorf("learning rate must be > 0, got %g", s.LR)
	case s.Batch < 1:
		return fmt.Errorf("batch size must be at least 1, got %d", s.Batch)
	case s.Epochs < 1:
		return fmt.Errorf("epochs must be at least 1, got %d", s.Epochs)
	case s.Input != InputStandardize && s.Input != InputUnit:
		return fmt.Errorf("unknown input scaling %q (want standardize or unit)", s.Input)
	}
	return nil
}

type block struct {
	info   LayerInfo
	op     Layer
	act    *Act      // nil when no activation follows
	out    []float32 // (N, Out) the block's last output, after the activation
	hidden bool
	fused  bool // op applies act itself (see Conv.act): skip act's own passes
}

// fuse lets a convolution apply the block's activation in its own passes
// over the output, saving two passes over the largest maps of the net.
func (b *block) fuse() {
	if c, ok := b.op.(*Conv); ok && b.act != nil && !c.whole() {
		c.act, b.fused = b.act, true
	}
}

// Net is a feed-forward stack of blocks ending in class scores (logits).
type Net struct {
	arch    string
	in      Shape
	classes int
	hidden  string
	blocks  []*block
	params  []*Param
	w, g    []float32 // every parameter's values and gradients, end to end; each Param views a part
}

// Build makes a net for inputs of shape in, with the given hidden activation,
// its parameters drawn by init from a generator seeded with seed.
func Build(spec ArchSpec, in Shape, classes int, hidden string, init Init, seed uint64) (*Net, error) {
	if err := CheckActivation(hidden); err != nil {
		return nil, err
	}
	if err := CheckInit(init); err != nil {
		return nil, err
	}
	if len(spec.Layers) == 0 {
		return nil, fmt.Errorf("architecture %q has no layers", spec.Name)
	}
	net := &Net{arch: spec.Name, in: in, classes: classes, hidden: hidden}
	shape := in
	for i, ls := range spec.Layers {
		name := ls.Name
		if name == "" {
			name = fmt.Sprintf("L%d", i+1)
		}
		b, err := buildBlock(name, ls, shape, i == 0, i == len(spec.Layers)-1, hidden)
		if err != nil {
			return nil, fmt.Errorf("architecture %q, layer %d (%s): %w", spec.Name, i+1, name, err)
		}
		net.blocks = append(net.blocks, b)
		net.params = append(net.params, b.op.Params()...)
		shape = b.info.Out
	}
	if shape.Size() != classes {
		return nil, fmt.Errorf("architecture %q ends with %d outputs, but the data has %d classes: end it with a dense layer of %d units", spec.Name, shape.Size(), classes, classes)
	}
	rng := rand.New(rand.NewPCG(seed, 0x1e5e7))
	for _, p := range net.params {
		initParam(p, init, rng)
	}
	net.flatten(nil)
	for _, b := range net.blocks {
		if c, ok := b.op.(*Conv); ok && c.table != nil {
			c.applyTable(c.w.W)
		}
	}
	return net, nil
}

func buildBlock(name string, ls LayerSpec, in Shape, first, last bool, hidden string) (*block, error) {
	b := &block{info: LayerInfo{Name: name, Kind: ls.Kind, In: in, Note: ls.Note}}
	var err error
	switch ls.Kind {
	case "conv":
		b.op, err = buildConv(name, ls, in, !first, &b.info)
	case "pool":
		b.op, err = buildPool(name, ls, in, &b.info)
	case "dense":
		b.op, err = newDense(name, in, ls.Units, !first)
		b.info.Op = "dense"
	default:
		err = fmt.Errorf("unknown kind %q (want conv, pool or dense)", ls.Kind)
	}
	if err != nil {
		return nil, err
	}
	b.info.Out = b.op.OutShape()
	if c, ok := b.op.(counter); ok {
		cs := c.counts()
		b.info.Params, b.info.Connections = cs.params, cs.connections
		b.info.ParamsFormula, b.info.ConnectionsFormula = cs.paramsFormula, cs.connectionsFormula
	}
	act := ls.Activation
	if act == "" {
		act = "hidden"
		if last {
			act = "none"
		}
	}
	switch act {
	case "none":
	case "hidden":
		b.hidden = true
		b.act = newAct(hidden, b.info.Out)
	default:
		if err := CheckActivation(act); err != nil {
			return nil, err
		}
		b.act = newAct(act, b.info.Out)
	}
	if b.act != nil {
		b.info.Activation, b.info.Hidden = b.act.fn, b.hidden
	}
	b.fuse()
	return b, nil
}

func buildConv(name string, ls LayerSpec, in Shape, needDx bool, info *LayerInfo) (Layer, error) {
	k := ls.Kernel
	if k == 0 {
		return nil, fmt.Errorf("conv needs a kernel size")
	}
	if ls.Maps < 1 {
		return nil, fmt.Errorf("conv needs maps ≥ 1, got %d", ls.Maps)
	}
	pad := 0
	switch p := ls.Padding; p {
	case "", "valid":
		info.Padding = "valid"
	case "same":
		if k%2 == 0 {
			return nil, fmt.Errorf("padding same needs an odd kernel, got %d", k)
		}
		pad, info.Padding = (k-1)/2, "same"
	default:
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("padding %q: want valid, same or a number of pixels", p)
		}
		pad, info.Padding = n, p
	}
	var table [][]bool
	switch ls.Table {
	case "", "full":
	case "lenet5":
		if in.C != 6 || ls.Maps != 16 {
			return nil, fmt.Errorf("table lenet5 connects 6 input maps to 16, not %d to %d", in.C, ls.Maps)
		}
		table = LeNet5Table()
	default:
		return nil, fmt.Errorf("unknown table %q (want full or lenet5)", ls.Table)
	}
	info.Kernel, info.Table = k, table
	info.Op = fmt.Sprintf("conv %d×%d %s", k, k, info.Padding)
	if pad > 0 && info.Padding != "same" {
		info.Op = fmt.Sprintf("conv %d×%d pad %d", k, k, pad)
	}
	if table != nil {
		info.Op += ", table"
	}
	return newConv(name, in, ls.Maps, k, pad, table, needDx)
}

func buildPool(name string, ls LayerSpec, in Shape, info *LayerInfo) (Layer, error) {
	s := ls.Kernel
	if s == 0 {
		s = 2
	}
	ceil := false
	switch ls.Padding {
	case "", "valid":
	case "same":
		ceil = true
	default:
		return nil, fmt.Errorf("pool padding %q: want valid or same", ls.Padding)
	}
	info.Kernel = s
	info.Padding = map[bool]string{false: "valid", true: "same"}[ceil]
	info.Op = fmt.Sprintf("%s %d×%d", ls.Pool, s, s)
	if ls.Pool == PoolMax || ls.Pool == PoolAvg {
		info.Op = fmt.Sprintf("%s pool %d×%d", ls.Pool, s, s)
	}
	return newPool(name, ls.Pool, in, s, ceil)
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

// Arch is the name of the architecture the net was built from.
func (n *Net) Arch() string { return n.arch }

// InShape is the shape of one input sample.
func (n *Net) InShape() Shape { return n.in }

// Classes is the number of outputs.
func (n *Net) Classes() int { return n.classes }

// Params lists every trainable parameter, in block order.
func (n *Net) Params() []*Param { return n.params }

// Activation is the current hidden activation.
func (n *Net) Activation() string { return n.hidden }

// SetActivation switches every hidden activation; weights are untouched.
func (n *Net) SetActivation(name string) error {
	if err := CheckActivation(name); err != nil {
		return err
	}
	n.hidden = name
	for _, b := range n.blocks {
		if b.hidden {
			b.act.SetFunc(name)
			b.info.Activation = name
		}
	}
	return nil
}

// Info describes every block.
func (n *Net) Info() []LayerInfo {
	infos := make([]LayerInfo, len(n.blocks))
	for i, b := range n.blocks {
		infos[i] = b.info
	}
	return infos
}

// Forward runs a batch x (n, In) through the net and returns the logits
// (n, classes), a buffer owned by the net.
func (n *Net) Forward(x []float32, batch int) []float32 {
	for _, b := range n.blocks {
		x = b.op.Forward(x, batch)
		if b.act != nil && !b.fused {
			x = b.act.Forward(x, batch)
		}
		b.out = x
	}
	return x
}

// Backward propagates dlogits (n, classes) of the last Forward, adding into
// every parameter's gradient.
func (n *Net) Backward(dlogits []float32) {
	d := dlogits
	for i := len(n.blocks) - 1; i >= 0; i-- {
		b := n.blocks[i]
		if b.act != nil && !b.fused {
			d = b.act.Backward(d)
		}
		d = b.op.Backward(d)
	}
}

// ZeroGrad clears every gradient.
func (n *Net) ZeroGrad() { clear(n.g) }

// flatten moves every parameter into one vector of values and one of
// gradients, so reductions and updates are single loops over a slice. With
// w nil it allocates the values and keeps them; otherwise the parameters
// view w, the values of the net being replicated.
func (n *Net) flatten(w []float32) {
	size := 0
	for _, p := range n.params {
		size += len(p.W)
	}
	if w == nil {
		w = make([]float32, size)
		off := 0
		for _, p := range n.params {
			off += copy(w[off:], p.W)
		}
	}
	n.w, n.g = w, make([]float32, size)
	off := 0
	for _, p := range n.params {
		l := len(p.W)
		p.W, p.G = w[off:off+l:off+l], n.g[off:off+l:off+l]
		off += l
	}
}

// replicate returns a net sharing n's parameter values, with its own
// gradients and buffers, for another worker goroutine.
func (n *Net) replicate() *Net {
	r := &Net{arch: n.arch, in: n.in, classes: n.classes, hidden: n.hidden}
	for _, b := range n.blocks {
		rb := &block{info: b.info, op: b.op.replicate(), hidden: b.hidden}
		if b.act != nil {
			rb.act = b.act.replicate().(*Act)
		}
		rb.fuse()
		r.blocks = append(r.blocks, rb)
		r.params = append(r.params, rb.op.Params()...)
	}
	r.flatten(n.w)
	return r
}

// Summary formats the blocks as a table: name, kind, output shape, params,
// connections and their formulas, then the totals.
func Summary(arch string, infos []LayerInfo) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%-7s %-21s %-8s %-9s %8s %11s  %s\n", "layer", "op", "act", "output", "params", "connections", "arithmetic")
	for _, li := range infos {
		act := li.Activation
		if act == "" {
			act = "-"
		}
		fmt.Fprintf(&sb, "%-7s %-21s %-8s %-9s %8s %11s  %s; %s\n", li.Name, li.Op, act, li.Out,
			commas(li.Params), commas(li.Connections), li.ParamsFormula, li.ConnectionsFormula)
	}
	p, c := Totals(infos)
	fmt.Fprintf(&sb, "%-7s %-21s %-8s %-9s %8s %11s\n", "total", arch, "", "", commas(p), commas(c))
	for _, li := range infos {
		if li.Note != "" {
			fmt.Fprintf(&sb, "note: %s: %s\n", li.Name, li.Note)
		}
	}
	return sb.String()
}
