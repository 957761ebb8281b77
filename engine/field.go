package engine

import "fmt"

// Field is the receptive field of a block's output values on the net's
// input: the input pixels one output value depends on. Output (y, x) of
// the block reads input rows Start+y·Jump … Start+y·Jump+H−1 and columns
// Start+x·Jump … Start+x·Jump+W−1; rows or columns outside the input lie
// in the zero padding of some convolution (LeNet-5's C1 pads 28×28 to the
// paper's 32×32 field, so its fields start at −2).
type Field struct {
	H, W  int // pixels one output value reads, per side
	Jump  int // input pixels between neighbouring outputs
	Start int // the first row (and column) read by output (0, 0); negative in the padding
}

// String is the field's size, e.g. "14×14".
func (f Field) String() string { return fmt.Sprintf("%d×%d", f.H, f.W) }

// Rows is the range [r0, r1) of input rows that output row y reads, and
// Cols that of input columns for output column x; both may reach past the
// input into the padding.
func (f Field) Rows(y int) (r0, r1 int) { return f.Start + y*f.Jump, f.Start + y*f.Jump + f.H }
func (f Field) Cols(x int) (c0, c1 int) { return f.Start + x*f.Jump, f.Start + x*f.Jump + f.W }

// next is the field of a layer that reads k×k windows of this one's
// outputs, stride apart, with pad zeros before the first: the classic
// recurrence size += (k−1)·jump, start −= pad·jump, jump ·= stride.
func (f Field) next(kh, kw, stride, pad int) Field {
	return Field{H: f.H + (kh-1)*f.Jump, W: f.W + (kw-1)*f.Jump, Jump: f.Jump * stride, Start: f.Start - pad*f.Jump}
}

// field is the receptive field of the block's outputs given in, that of
// its inputs (a single pixel for the first block: Field{1, 1, 1, 0}). A
// pad block is a 1×1 kernel after padding; a dense layer (or the RBF
// output) reads its whole input, as a kernel of the input's size.
func (b *block) field(in Field) Field {
	switch op := b.op.(type) {
	case *Conv:
		return in.next(op.k, op.k, 1, op.pad)
	case *Pool:
		return in.next(op.s, op.s, op.s, 0)
	case *Pad:
		return in.next(1, 1, 1, op.p)
	default:
		return in.next(b.info.In.H, b.info.In.W, 1, 0)
	}
}
