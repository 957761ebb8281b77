package engine

import (
	"fmt"
	"runtime"
	"strconv"
	"unicode/utf8"
)

// Limits on what a net may ask for. Build and Plan check them layer by layer
// before anything is allocated, each factor before it is multiplied, so no
// size can overflow an int on the way.
const (
	MaxLayers  = 256
	MaxSide    = 4096    // the height or width of an input or a map
	MaxMaps    = 4096    // a convolution's output maps
	MaxUnits   = 1 << 16 // a dense layer's outputs
	MaxKernel  = 64      // a convolution's kernel or a pooling window, per side
	MaxValues  = 1 << 26 // the values one image takes at a block's output
	MaxParams  = 1 << 26 // trainable parameters of a whole net
	MaxNameLen = 32      // bytes of an architecture's or a layer's name
	MaxNoteLen = 256     // bytes of a layer's note

	// MemoryBudget bounds what a run may allocate for its net: parameters,
	// gradients and optimiser state, every worker's buffers and the batch,
	// and what saving a checkpoint takes (see cost).
	MemoryBudget = 2 << 30
)

// Plan lays spec out for inputs of shape in and the given number of classes
// without allocating a parameter: every block's shapes and counts, with the
// arithmetic, checked against the limits and, for batches of s.Batch, the
// memory budget. Build starts with it; a summary needs nothing more.
func Plan(spec ArchSpec, in Shape, classes int, s Settings) ([]LayerInfo, error) {
	net, err := layout(spec, in, classes, s)
	if err != nil {
		return nil, err
	}
	return net.Info(), nil
}

// checkText reports a name or note that is too long or holds a character
// that is not printable, such as an escape sequence.
func checkText(what, s string, most int) error {
	if len(s) > most {
		return fmt.Errorf("%s of %d bytes: want at most %d", what, len(s), most)
	}
	for _, r := range s {
		if r == utf8.RuneError || !strconv.IsPrint(r) {
			return fmt.Errorf("%s %s: want printable text", what, strconv.QuoteToASCII(s))
		}
	}
	return nil
}

// checkInput reports an input shape outside the limits.
func checkInput(in Shape, classes int) error {
	switch {
	case in.C < 1 || in.C > MaxUnits || in.H < 1 || in.H > MaxSide || in.W < 1 || in.W > MaxSide:
		return fmt.Errorf("input %d@%d×%d: want sides from 1 to %d", in.C, in.H, in.W, MaxSide)
	case classes < 1 || classes > MaxUnits:
		return fmt.Errorf("%d classes: want 1 to %d", classes, MaxUnits)
	}
	return nil
}

// checkParams reports a block of outs outputs, each with a weight per input
// and a bias, that would take the net past MaxParams; before counts the
// parameters of the blocks before it. It computes in float64, which holds
// every product of the bounded factors exactly enough. key names what to
// lower: maps or units.
func checkParams(outs, inputs float64, before int, key string) error {
	p := outs * (inputs + 1)
	if total := p + float64(before); total > MaxParams {
		return fmt.Errorf("%s %s × (%s inputs + 1) = %s parameters take the net to %s, more than the %s it may have: lower its %s or shrink the maps that feed it",
			Thousands(int(outs)), key, Thousands(int(inputs)), Thousands(int(p)), Thousands(int(total)), Thousands(MaxParams), key)
	}
	return nil
}

// checkOut reports a block output too large for one image.
func checkOut(out Shape) error {
	switch {
	case out.H > MaxSide || out.W > MaxSide:
		return fmt.Errorf("output %v: want sides up to %d", out, MaxSide)
	case out.Size() > MaxValues:
		return fmt.Errorf("output %v holds %s values per image, more than %s", out, Thousands(out.Size()), Thousands(MaxValues))
	}
	return nil
}

// cost is what one block of a run allocates, in bytes: its parameters with
// their gradients and optimiser state, and every worker's buffers for the
// images it passes through the net at once. It is an estimate from shapes
// alone, in float64 so that it cannot overflow. A save streams the
// parameters and the optimiser's state from where they are (Trainer.Save:
// a few chunks of 64 KiB, which saveOverhead counts); reading the
// checkpoint back, as a save that reports what it wrote does while the run
// is still in memory, takes the parameters once more.
type cost struct{ params, buffers float64 }

func (c cost) total() float64 { return c.params + c.buffers }

// costs returns the cost of each block for the given workers, optimiser and
// batch size, and what each image of a batch adds (the batch buffer).
func (n *Net) costs(workers int, opt Optimizer, batch int) (blocks []cost, perImage float64) {
	const f32 = 4
	state := map[Optimizer]float64{SGD: 0, Momentum: 1, Adam: 2}[opt]
	w, images := float64(workers), float64(min((batch+workers-1)/workers, chunk))
	for _, b := range n.blocks {
		var params float64
		for _, p := range b.op.Params() {
			params += float64(p.size)
		}
		in, out := float64(b.info.In.Size()), float64(b.info.Out.Size())
		buffers := images * (in + 3*out) // dx; y, the activation's output and its gradient
		if c, ok := b.op.(*Conv); ok && !c.whole() {
			// Packed, flipped and lane-accumulated (×8) weights, and a
			// padded sample.
			buffers += 10*float64(c.w.size) + 2*in + 2*out
		}
		// Values, gradients, optimiser state; a gradient per other worker;
		// the values read back after a save.
		blocks = append(blocks, cost{params: f32 * params * (2 + state + (w - 1) + 1), buffers: f32 * w * buffers})
	}
	return blocks, f32*float64(n.in.Size()) + 1
}

// saveOverhead is what a save takes beyond the run's own memory: its
// chunks, the checkpoint's header and metadata, and a state file's header
// read to check what is at its name. 1 MiB is a few times that.
const saveOverhead = 1 << 20

// checkMemory reports a net that would not fit the memory budget at batch
// size s.Batch: a *SettingError for "batch" when a smaller batch would fit,
// otherwise an error naming the block that takes most.
func (n *Net) checkMemory(s Settings) error {
	need, _, _ := n.memory(s.Batch, s.Optimizer)
	if need <= MemoryBudget {
		return nil
	}
	// The largest batch that fits (lo; 0 if none): memory only grows with
	// the batch.
	fits := func(batch int) bool {
		m, _, _ := n.memory(batch, s.Optimizer)
		return m <= MemoryBudget
	}
	lo, hi := 0, s.Batch
	for hi-lo > 1 {
		if mid := lo + (hi-lo)/2; fits(mid) {
			lo = mid
		} else {
			hi = mid
		}
	}
	if lo >= 1 {
		return &SettingError{Key: "batch", Value: strconv.Itoa(s.Batch),
			Want: fmt.Sprintf("at most %d: with batches of %d images of %v, %s needs about %s, more than the %s memory budget",
				lo, s.Batch, n.in, n.arch, gib(need), gib(MemoryBudget))}
	}
	need, blocks, big := n.memory(1, s.Optimizer)
	b, c := n.blocks[big].info, blocks[big]
	why := fmt.Sprintf("its %s parameters with their gradients and optimiser state", Thousands(b.Params))
	lower := map[string]string{"conv": "its maps", "dense": "its units", "pool": "the maps before it"}[b.Kind]
	if c.buffers > c.params {
		why = fmt.Sprintf("its %v outputs and their gradients", b.Out)
	}
	return fmt.Errorf("architecture %q on %v images needs about %s even with batches of 1, more than the %s memory budget; %s takes %s (%s): lower %s, or use smaller images",
		n.arch, n.in, gib(need), gib(MemoryBudget), b.Name, gib(c.total()), why, lower)
}

// memory is what a run at the given batch size needs in all, each block's
// cost, and the index of the costliest block.
func (n *Net) memory(batch int, opt Optimizer) (need float64, blocks []cost, big int) {
	workers := max(1, min(runtime.GOMAXPROCS(0), batch))
	blocks, perImage := n.costs(workers, opt, batch)
	need = perImage*float64(batch) + saveOverhead
	for i, c := range blocks {
		need += c.total()
		if c.total() > blocks[big].total() {
			big = i
		}
	}
	return need, blocks, big
}

// gib formats a size in bytes: "1.5 GiB", "300 MiB".
func gib(b float64) string {
	if b >= 1<<30 {
		return fmt.Sprintf("%.3g GiB", b/(1<<30))
	}
	return fmt.Sprintf("%.3g MiB", b/(1<<20))
}
