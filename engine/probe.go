package engine

import "fmt"

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
	x := make([]float32, t.net.in.Size()) // (C, H, W)
	t.test.Fill(x, index, &t.scale)
	logits := t.net.Forward(x, 1)
	s := Snapshot{Step: t.step, Probe: index, Label: int(t.test.Labels[index]), Input: x}
	for _, b := range t.net.blocks {
		bm := BlockMaps{Name: b.info.Name, Shape: b.info.Out, Maps: append([]float32(nil), b.out[:b.info.Out.Size()]...)}
		if c, ok := b.op.(*Conv); ok {
			bm.Kernels = append([]float32(nil), c.w.W...)
			bm.KShape = [4]int{c.out.C, c.in.C, c.k, c.k}
		}
		s.Blocks = append(s.Blocks, bm)
	}
	s.Probs = t.net.Probs(logits[:t.net.classes])
	return s
}
