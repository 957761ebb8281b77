package engine

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
)

// Build makes a net for inputs of shape in and the given number of classes,
// with the hidden activation s.Activation, its parameters drawn by s.Init
// (and s.InitStd) from a generator seeded with s.Seed. The other settings
// are the trainer's. A spec that cannot be built, or that would break a limit
// or the memory budget (see Plan), is an error naming its layer; nothing is
// allocated before the whole net is checked.
func Build(spec ArchSpec, in Shape, classes int, s Settings) (*Net, error) {
	net, err := layout(spec, in, classes, s)
	if err != nil {
		return nil, err
	}
	net.flatten(nil)
	rng := rand.New(rand.NewPCG(s.Seed, 0x1e5e7))
	for _, p := range net.params {
		initParam(p, s.Init, s.InitStd, rng)
	}
	for _, b := range net.blocks {
		if c, ok := b.op.(*Conv); ok && c.table != nil {
			c.applyTable(c.w.W)
		}
	}
	return net, nil
}

// checkUnset is checkEnum for a setting whose zero value means its default.
func checkUnset[E interface {
	~string
	Enum
}](key string, v E) error {
	if v == "" {
		return nil
	}
	return checkEnum(key, v)
}

// layout makes a net's blocks, their shapes and counts, with no parameter
// allocated, and checks them against the limits and the memory budget.
func layout(spec ArchSpec, in Shape, classes int, s Settings) (*Net, error) {
	hidden := s.Activation
	for _, err := range []error{checkEnum("activation", hidden), checkEnum("init", s.Init), s.checkInitStd(),
		checkUnset("bias", s.Bias), checkUnset("order", s.Order), checkUnset("output", s.Output),
		checkText("architecture name", spec.Name, MaxNameLen), checkInput(in, classes)} {
		if err != nil {
			return nil, err
		}
	}
	if len(spec.Layers) == 0 {
		return nil, fmt.Errorf("architecture %q has no layers", spec.Name)
	}
	if len(spec.Layers) > MaxLayers {
		return nil, fmt.Errorf("architecture %q has %d layers, more than %d", spec.Name, len(spec.Layers), MaxLayers)
	}
	net := &Net{arch: spec.Name, spec: slices.Clone(spec.Layers), in: in, classes: classes, hidden: hidden, output: s.Output}
	if net.output == "" {
		net.output = OutputSoftmax
	}
	shape, params := in, 0
	first := true // no block before wants d(input): only pads so far
	for i, ls := range reorder(spec.Layers, s.Order) {
		name := ls.Name
		if name == "" {
			name = fmt.Sprintf("L%d", i+1)
		}
		if err := checkText("name", ls.Name, MaxNameLen); err != nil {
			return nil, fmt.Errorf("architecture %q, layer %d: %w", spec.Name, i+1, err)
		}
		b, err := buildBlock(name, ls, shape, params, first, i == len(spec.Layers)-1, s)
		if err != nil {
			return nil, fmt.Errorf("architecture %q, layer %d (%s): %w", spec.Name, i+1, name, err)
		}
		first = first && ls.Kind == "pad"
		net.blocks = append(net.blocks, b)
		net.params = append(net.params, b.op.Params()...)
		shape, params = b.info.Out, params+b.info.Params
	}
	if shape.Size() != classes {
		return nil, fmt.Errorf("architecture %q ends with %d outputs, but the data has %d classes: end it with a dense layer of %d units", spec.Name, shape.Size(), classes, classes)
	}
	if err := net.checkMemory(s); err != nil {
		return nil, err
	}
	return net, nil
}

// reorder returns layers with the hidden activation of each convolution
// followed by a pooling layer moved where order puts it: after the pooling
// only (pool-then-activate) or on the convolution only (activate-then-pool).
// A pair in which either layer names an activation function of its own, or
// neither has the hidden one, is left as written.
func reorder(layers []LayerSpec, order Order) []LayerSpec {
	if order != OrderPoolThenActivate && order != OrderActivateThenPool {
		return layers
	}
	layers = slices.Clone(layers)
	movable := func(i int) (hidden, ok bool) {
		switch layers[i].Activation {
		case "hidden":
			return true, true
		case "":
			return i < len(layers)-1, true // the last block has none by default
		case "none":
			return false, true
		}
		return false, false
	}
	for i := 0; i+1 < len(layers); i++ {
		if layers[i].Kind != "conv" || layers[i+1].Kind != "pool" {
			continue
		}
		convHidden, ok1 := movable(i)
		poolHidden, ok2 := movable(i + 1)
		if !ok1 || !ok2 || !convHidden && !poolHidden {
			continue
		}
		layers[i].Activation, layers[i+1].Activation = "none", "hidden"
		if order == OrderActivateThenPool {
			layers[i].Activation, layers[i+1].Activation = "hidden", "none"
		}
	}
	return layers
}

// buildBlock makes one block on input in; params counts the parameters of
// the blocks before it.
func buildBlock(name string, ls LayerSpec, in Shape, params int, first, last bool, s Settings) (*block, error) {
	hidden := s.Activation
	if err := checkText("note", ls.Note, MaxNoteLen); err != nil {
		return nil, err
	}
	b := &block{info: LayerInfo{Name: name, Kind: ls.Kind, In: in, Note: ls.Note}}
	var err error
	switch ls.Kind {
	case "conv":
		b.op, err = buildConv(name, ls, in, params, !first, &b.info)
		if c, ok := b.op.(*Conv); ok && err == nil && s.Bias == BiasPerPosition {
			c.biasPerPosition()
		}
	case "pool":
		b.op, err = buildPool(name, ls, in, &b.info)
	case "dense":
		if last && s.Output == OutputRBF {
			// The paper's output: fixed RBF units in place of the last
			// dense layer, which must be the 10 classes on F6's 84.
			b.op, err = newRBF(name, in, ls.Units)
			b.info.Op = fmt.Sprintf("rbf %d×%d bitmaps", rbfCols, rbfRows)
			break
		}
		b.op, err = buildDense(name, ls, in, params, !first)
		b.info.Op = "dense"
	case "pad":
		b.op, err = buildPad(name, ls, in, !first, &b.info)
	default:
		err = fmt.Errorf("unknown kind %q (want conv, pool, dense or pad)", ls.Kind)
	}
	if err != nil {
		return nil, err
	}
	b.info.Out = b.op.OutShape()
	if err := checkOut(b.info.Out); err != nil {
		return nil, err
	}
	if c, ok := b.op.(counter); ok {
		cs := c.counts()
		b.info.Params, b.info.Connections = cs.params, cs.connections
		b.info.ParamsFormula, b.info.ConnectionsFormula = cs.paramsFormula, cs.connectionsFormula
	}
	if err := b.setActivation(ls.Activation, ls.Kind, last, hidden); err != nil {
		return nil, err
	}
	if b.act != nil {
		b.info.Activation, b.info.Hidden = b.act.fn, b.hidden
	}
	b.fuse()
	return b, nil
}

// setActivation gives b the activation its spec names: act, or when empty
// the hidden one (none after the last block and a pad); "hidden" is the
// net's hidden activation, which a SetActivation command changes.
func (b *block) setActivation(act, kind string, last bool, hidden Activation) error {
	if act == "" {
		act = "hidden"
		if last || kind == "pad" {
			act = "none"
		}
	}
	switch act {
	case "none":
	case "hidden":
		b.hidden = true
		b.act = newAct(hidden, b.info.Out)
	default:
		var fn Activation
		if err := fn.UnmarshalText([]byte(act)); err != nil {
			return fmt.Errorf("activation %q: want hidden, none or %s", act, WantOneOf(fn.Values()))
		}
		b.act = newAct(fn, b.info.Out)
	}
	return nil
}

func buildConv(name string, ls LayerSpec, in Shape, params int, needDx bool, info *LayerInfo) (Layer, error) {
	k := ls.Kernel
	switch {
	case k == 0:
		return nil, fmt.Errorf("conv needs a kernel size")
	case k < 1 || k > MaxKernel:
		return nil, fmt.Errorf("kernel %d: want 1 to %d", k, MaxKernel)
	case ls.Maps < 1 || ls.Maps > MaxMaps:
		return nil, fmt.Errorf("maps %d: want 1 to %d", ls.Maps, MaxMaps)
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
		if err != nil || n < 0 || n > k-1 {
			return nil, fmt.Errorf("padding %q: want valid, same or a number of pixels from 0 to %d (the kernel's size − 1; more pads only zeros)", p, k-1)
		}
		pad, info.Padding = n, strconv.Itoa(n) // "01" and "+1" are 1
	}
	if err := checkParams(float64(ls.Maps), float64(in.C)*float64(k*k), params, "maps"); err != nil {
		return nil, err
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

func buildPad(name string, ls LayerSpec, in Shape, needDx bool, info *LayerInfo) (Layer, error) {
	n, err := strconv.Atoi(ls.Padding)
	if err != nil || n < 1 || n > MaxKernel {
		return nil, fmt.Errorf("pad padding %q: want a number of pixels from 1 to %d", ls.Padding, MaxKernel)
	}
	info.Padding = strconv.Itoa(n)
	info.Op = fmt.Sprintf("pad %d, background", n)
	return newPad(name, in, n, needDx)
}

func buildPool(name string, ls LayerSpec, in Shape, info *LayerInfo) (Layer, error) {
	s := ls.Kernel
	if s == 0 {
		s = 2
	}
	if s < 1 || s > MaxKernel {
		return nil, fmt.Errorf("window %d: want 1 to %d", s, MaxKernel)
	}
	ceil := false
	switch ls.Padding {
	case "", "valid":
	case "same":
		ceil = true
	default:
		return nil, fmt.Errorf("pool padding %q: want valid or same", ls.Padding)
	}
	info.Kernel, info.Pool = s, ls.Pool
	info.Padding = map[bool]string{false: "valid", true: "same"}[ceil]
	info.Op = fmt.Sprintf("%s %d×%d", ls.Pool, s, s)
	if ls.Pool == PoolMax || ls.Pool == PoolAvg {
		info.Op = fmt.Sprintf("%s pool %d×%d", ls.Pool, s, s)
	}
	return newPool(name, ls.Pool, in, s, ceil)
}

func buildDense(name string, ls LayerSpec, in Shape, params int, needDx bool) (Layer, error) {
	if ls.Units < 1 || ls.Units > MaxUnits {
		return nil, fmt.Errorf("units %d: want 1 to %d", ls.Units, MaxUnits)
	}
	if err := checkParams(float64(ls.Units), float64(in.Size()), params, "units"); err != nil {
		return nil, err
	}
	return newDense(name, in, ls.Units, needDx)
}
