package engine

import (
	"math"

	"github.com/lenet-tui/lenet-tui/engine/internal/vec"
)

// LayerFlow is how one block's gradients and units fared over one batch:
// the numbers behind "sigmoid learns slowly, σ=1 kills ReLUs".
type LayerFlow struct {
	Name       string
	Activation Activation // the activation after the op; "" for none
	// GradRMS is sqrt(mean(g²)) over the block's parameter gradients (the
	// batch's, summed over workers); NaN for a block without parameters.
	GradRMS float64
	// InputGradRMS is sqrt(mean(g²)) of dL/dx, the gradient flowing into the
	// block's input; NaN for the first block, whose input needs none.
	InputGradRMS float64
	// Saturated is the fraction of activation values whose derivative is
	// under 1% of its maximum (sigmoid, tanh, scaled-tanh); NaN otherwise.
	Saturated float64
	// DeadMaps is the fraction of the block's maps (its filters, or its
	// units for a dense block) that are dead: 0 at every position of every
	// image of the batch (relu); NaN otherwise. A layer most of whose maps
	// are dead passes almost no gradient back.
	DeadMaps float64
	// DeadMapCount of the block's Maps are dead (relu; both 0 otherwise).
	DeadMapCount, Maps int
	// Silent is the fraction of positions (a map's unit at one place) that
	// output 0 on every image of the batch (relu); NaN otherwise. Unlike a
	// dead map, a silent position is normal: C1's border positions see the
	// blank margin of every digit. For a dense block or a 1×1 map, a
	// position is the whole map, and Silent equals DeadMaps.
	Silent float64
}

// Flow reports gradient flow and unit health per block, measured on the
// training batch of step Step; sent every TrainConfig.FlowEvery batches.
type Flow struct {
	Step   int
	Epoch  float64 // epochs trained, e.g. 1.25
	Layers []LayerFlow
}

// saturatedBelow is the fraction of an activation's largest derivative under
// which a unit counts as saturated.
const saturatedBelow = 0.01

// flowMeter accumulates what a Flow reports over one batch, for one net:
// each worker's replica has its own, and the trainer adds them up.
type flowMeter struct {
	on     bool
	blocks []blockMeter
}

type blockMeter struct {
	saturated, values int // activation values with a vanishing derivative, and all
	// alive (Out) ORs together the bits of the unit's outputs over the
	// batch: more than the sign bit once the unit was positive on some
	// image; relu only. NaN outputs are left out, so a net gone NaN (on_nan
	// continue) counts as dead, and as not saturated.
	alive []uint32
	dxSq  float64 // Σ (dL/dx)² over the batch
	dxN   int
}

func newFlowMeter(n *Net) *flowMeter {
	m := &flowMeter{blocks: make([]blockMeter, len(n.blocks))}
	for i, b := range n.blocks {
		if b.act != nil {
			m.blocks[i].alive = make([]uint32, b.info.Out.Size())
		}
	}
	return m
}

// reset starts a new batch.
func (m *flowMeter) reset() {
	for i := range m.blocks {
		bm := &m.blocks[i]
		bm.saturated, bm.values, bm.dxSq, bm.dxN = 0, 0, 0, 0
		clear(bm.alive)
	}
}

// forward counts block i's activations y (n, Out) of one chunk. Its loops
// have no branches on the values, which go one way as often as the other.
func (m *flowMeter) forward(i int, b *block, y []float32, n int) {
	if b.act == nil {
		return
	}
	bm := &m.blocks[i]
	size := b.info.Out.Size()
	y = y[:n*size]
	bm.values += len(y)
	switch b.act.fn {
	case ReLU: // the outputs are ±0 or positive: alive once a bit other than the sign is set
		for s := range n {
			vec.OrBits(bm.alive[:size], y[s*size:(s+1)*size])
		}
	case Sigmoid: // σ' = y(1−y), at most 1/4; counted by the sign of σ' − limit
		var c uint32
		for _, v := range y {
			c += negative(v*(1-v) - saturatedBelow/4)
		}
		bm.saturated += int(c)
	case Tanh, ScaledTanh: // f' ∝ 1 − (y/A)², at most 1 at y = 0
		inv := float32(1)
		if b.act.fn == ScaledTanh {
			inv = 1 / scaledTanhA
		}
		var c uint32
		for _, v := range y {
			t := v * inv
			c += negative(1 - t*t - saturatedBelow)
		}
		bm.saturated += int(c)
	}
}

// signBit is a float32's sign.
const signBit = 1 << 31

// negative is 1 if d < 0 and 0 otherwise (NaN and −0 included), from d's
// bits rather than a branch: the sign bit, unless the rest of the bits
// exceed +Inf's, which only NaN's do, or are all 0.
func negative(d float32) uint32 {
	mag := math.Float32bits(d) &^ signBit
	nan := (0x7f800000 - mag) >> 31
	zero := (mag - 1) >> 31
	return math.Float32bits(d) >> 31 &^ (nan | zero)
}

// backward adds block i's input gradient dx (nil for the first block).
func (m *flowMeter) backward(i int, dx []float32) {
	bm := &m.blocks[i]
	bm.dxSq += vec.SumSquares(dx)
	bm.dxN += len(dx)
}

// meter turns the workers' flow meters on, reset for a new batch, or off.
func (t *Trainer) meter(on bool) {
	for _, w := range t.ws {
		if m := w.net.meter; m != nil {
			if on && !m.on {
				m.reset()
			}
			m.on = on
		}
	}
}

// flow sums the meters of every worker and the master's parameter
// gradients into a Flow.
func (t *Trainer) flow(epoch float64) Flow {
	master := t.ws[0].net
	f := Flow{Step: t.step, Epoch: epoch, Layers: make([]LayerFlow, len(master.blocks))}
	for i, b := range master.blocks {
		lf := LayerFlow{Name: b.info.Name, GradRMS: math.NaN(), InputGradRMS: math.NaN(), Saturated: math.NaN(),
			DeadMaps: math.NaN(), Silent: math.NaN()}
		if b.act != nil {
			lf.Activation = b.act.fn
		}
		var sq float64
		var n int
		for _, p := range b.op.Params() {
			sq += vec.SumSquares(p.G)
			n += len(p.G)
		}
		if n > 0 {
			lf.GradRMS = math.Sqrt(sq / float64(n))
		}
		var dxSq float64
		var dxN, sat, vals int
		alive := master.meter.blocks[i].alive
		for _, w := range t.ws[1:] { // the master's bits become the batch's
			for u, bits := range w.net.meter.blocks[i].alive {
				alive[u] |= bits
			}
		}
		for _, w := range t.ws {
			bm := &w.net.meter.blocks[i]
			dxSq, dxN, sat, vals = dxSq+bm.dxSq, dxN+bm.dxN, sat+bm.saturated, vals+bm.values
		}
		if dxN > 0 {
			lf.InputGradRMS = math.Sqrt(dxSq / float64(dxN))
		}
		switch lf.Activation {
		case ReLU:
			silent, dead := silentAndDead(alive, b.info.Out.C)
			lf.Silent = float64(silent) / float64(len(alive))
			lf.DeadMapCount, lf.Maps = dead, b.info.Out.C
			lf.DeadMaps = float64(dead) / float64(lf.Maps)
		case Sigmoid, Tanh, ScaledTanh:
			if vals > 0 {
				lf.Saturated = float64(sat) / float64(vals)
			}
		}
		f.Layers[i] = lf
	}
	return f
}

// silentAndDead counts the silent positions and the dead maps of a block
// from its alive bits (maps, H, W), OR-ed over the whole batch: a position
// is silent when no bit but the sign's is set, a map dead when every
// position of it is silent.
func silentAndDead(alive []uint32, maps int) (silent, dead int) {
	hw := len(alive) / maps
	for m := range maps {
		var or uint32
		for _, bits := range alive[m*hw : (m+1)*hw] {
			silent += int((bits&^signBit - 1) >> 31) // 1 when no bit but the sign's is set
			or |= bits
		}
		if or&^signBit == 0 {
			dead++
		}
	}
	return silent, dead
}
