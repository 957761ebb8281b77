package engine

import (
	"fmt"

	"github.com/lenet-tui/lenet-tui/dataset"
)

// Probe returns test image index as the net sees it now: the image as fed
// to the net, the output of every block and the class probabilities, from a
// forward pass of that one image, without training. It is what the trainer
// sends as a Snapshot, with Step the steps trained so far.
//
// The net is Run's while it trains: call Probe before Run starts or after
// it has returned, never during it. An index outside the test set is a
// programmer error and panics.
func (t *Trainer) Probe(index int) Snapshot {
	if index < 0 || index >= t.test.Count {
		panic(fmt.Sprintf("engine: Trainer.Probe(%d): the test set has %d images", index, t.test.Count))
	}
	s := t.net.Look(t.test.Image(index), &t.scale)
	s.Step, s.Probe, s.Label = t.step, index, int(t.test.Labels[index])
	return s
}

// ProbeImage is Probe for an image of one's own (a digit drawn in the
// terminal, a scan): pixels (H, W) as the dataset's bytes, 0 background,
// scaled as the training images are. The Snapshot has Own set and Probe
// and Label −1. As Probe, call it only while Run is not going; pixels of
// another size than the net's input are a programmer error and panic.
func (t *Trainer) ProbeImage(pixels []uint8) Snapshot {
	s := t.net.Look(pixels, &t.scale)
	s.Step, s.Probe, s.Label, s.Own = t.step, -1, -1, true
	return s
}

// Look passes one image through the net: pixels (H, W) as bytes, converted
// through sc as the training images were (Checkpoint.Scale gives a saved
// net's). It returns what a Snapshot shows: the input as fed, every block's
// output and the class probabilities; Step, Probe and Label are the
// caller's to set. The slices are copies. Pixels of another size than the
// net's input are a programmer error and panic.
func (n *Net) Look(pixels []uint8, sc *dataset.Scale) Snapshot {
	if len(pixels) != n.in.Size() {
		panic(fmt.Sprintf("engine: Net.Look: %d pixels, the net takes %v", len(pixels), n.in))
	}
	x := make([]float32, n.in.Size()) // (C, H, W)
	for i, p := range pixels {
		x[i] = sc[p]
	}
	logits := n.Forward(x, 1)
	s := Snapshot{Input: x}
	for _, b := range n.blocks {
		bm := BlockMaps{Name: b.info.Name, Shape: b.info.Out, Maps: append([]float32(nil), b.out[:b.info.Out.Size()]...)}
		if c, ok := b.op.(*Conv); ok {
			bm.Kernels = append([]float32(nil), c.w.W...)
			bm.KShape = [4]int{c.out.C, c.in.C, c.k, c.k}
		}
		s.Blocks = append(s.Blocks, bm)
	}
	s.Probs = n.Probs(logits[:n.classes])
	return s
}
