package engine

import (
	"fmt"
	"math/rand/v2"
	"strconv"
)

// Build makes a net for inputs of shape in and the given number of classes,
// with the hidden activation s.Activation, its parameters drawn by s.Init
// (and s.InitStd) from a generator seeded with s.Seed. The other settings
// are the trainer's. A spec that cannot be built is an error naming its layer.
func Build(spec ArchSpec, in Shape, classes int, s Settings) (*Net, error) {
	hidden := s.Activation
	for _, err := range []error{checkEnum("activation", hidden), checkEnum("init", s.Init), s.checkInitStd()} {
		if err != nil {
			return nil, err
		}
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
	rng := rand.New(rand.NewPCG(s.Seed, 0x1e5e7))
	for _, p := range net.params {
		initParam(p, s.Init, s.InitStd, rng)
	}
	net.flatten(nil)
	for _, b := range net.blocks {
		if c, ok := b.op.(*Conv); ok && c.table != nil {
			c.applyTable(c.w.W)
		}
	}
	return net, nil
}

func buildBlock(name string, ls LayerSpec, in Shape, first, last bool, hidden Activation) (*block, error) {
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
		var fn Activation
		if err := fn.UnmarshalText([]byte(act)); err != nil {
			return nil, fmt.Errorf("activation %q: want hidden, none or %s", act, WantOneOf(fn.Values()))
		}
		b.act = newAct(fn, b.info.Out)
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
