package engine

import (
	"cmp"
	"math"
	"slices"
)

// Breakdown is an evaluation image by image, for the views that ask where
// the net goes wrong and what it has learned: the confusion counts, some
// test digits behind each count, and the outputs of the layer before the
// classifier (F6 in LeNet-5) for the first test images. The trainer sends
// one after every Evaluation and EpochEnd when TrainConfig.Breakdown is set.
type Breakdown struct {
	Step    int
	Epoch   float64 // epochs trained so far, e.g. 1.25
	Full    bool    // the whole test set (an epoch's end), else its first Images
	Images  int     // test images evaluated
	Classes int
	// Counts is the confusion matrix (true class, predicted class), row
	// major: Counts[t*Classes+p] images of class t were read as p.
	Counts []int
	// Digits are up to DigitsPerCell test digits of each cell of Counts,
	// in cell order (true class, then predicted class); within a cell the
	// most telling first: a mistake made with the most confidence, a right
	// answer given with the least.
	Digits     []Digit
	Rows, Cols int // of each digit's Pixels
	// Embedding is what the layer before the classifier makes of the first
	// EmbedImages test digits (fewer if fewer were evaluated); empty for a
	// net of one block.
	Embedding Embedding
}

// Digit is one test image as an evaluation judged it.
type Digit struct {
	Index       int         // in the test set
	Label, Pred int         // true and predicted class
	Top         []ClassProb // the most probable classes, most probable first, at most 3
	Pixels      []uint8     // (Rows, Cols) the image as stored, 0 background
}

// ClassProb is a class and the probability the net gave it.
type ClassProb struct {
	Class int
	P     float32
}

// Embedding holds one block's outputs for a number of test images.
type Embedding struct {
	Layer  string    // the block, e.g. "F6"
	Dim    int       // outputs per image
	Labels []uint8   // (N) true classes
	Values []float32 // (N, Dim) the block's outputs, after its activation
}

// DigitsPerCell bounds the digits a Breakdown keeps of each confusion cell.
const DigitsPerCell = 32

// EmbedImages is how many test images a Breakdown's Embedding covers: the
// first ones, the same at every evaluation, so successive embeddings show
// the same digits moving.
const EmbedImages = 1000

// at returns b measured after epoch epochs, on the whole test set if full.
func (b Breakdown) at(epoch float64, full bool) Breakdown {
	b.Epoch, b.Full = epoch, full
	return b
}

// Cell returns the digits of Breakdown b behind confusion cell (true t,
// predicted p), most telling first.
func (b *Breakdown) Cell(t, p int) []Digit {
	lo, _ := slices.BinarySearchFunc(b.Digits, t*b.Classes+p, func(d Digit, key int) int {
		return cmp.Compare(d.Label*b.Classes+d.Pred, key)
	})
	hi := lo
	for hi < len(b.Digits) && b.Digits[hi].Label == t && b.Digits[hi].Pred == p {
		hi++
	}
	return b.Digits[lo:hi]
}

// evalRecord collects what an evaluation's workers see, image by image, for
// a Breakdown: the logits of every image and the outputs of the block
// before the last for the first e. Workers write disjoint rows.
type evalRecord struct {
	logits []float32 // (N, classes) of the set evaluated
	embed  []float32 // (e, dim) outputs of block feat
	e, dim int
	feat   int // index of the block whose outputs embed holds; -1 for none
}

// newEvalRecord sizes a record for up to n images of net.
func newEvalRecord(net *Net, n int) *evalRecord {
	r := &evalRecord{logits: make([]float32, n*net.classes), feat: len(net.blocks) - 2}
	if r.feat >= 0 {
		r.dim = net.blocks[r.feat].info.Out.Size()
		r.e = min(n, EmbedImages)
		r.embed = make([]float32, r.e*r.dim)
	}
	return r
}

// keep copies the logits z (m, classes) of images [lo, lo+m) of the set,
// and their block outputs for those among the first e.
func (r *evalRecord) keep(net *Net, z []float32, lo, m int) {
	k := net.classes
	copy(r.logits[lo*k:(lo+m)*k], z[:m*k])
	if r.feat < 0 || lo >= r.e {
		return
	}
	n := min(m, r.e-lo)
	copy(r.embed[lo*r.dim:(lo+n)*r.dim], net.blocks[r.feat].out[:n*r.dim])
}

// breakdown turns the record of an evaluation of the images (n, rows,
// cols) with their labels (n) into a Breakdown; Epoch and Full are the
// caller's to set (at).
func (t *Trainer) breakdown(r *evalRecord, images []uint8, labels []uint8, rows, cols int) Breakdown {
	k := t.net.classes
	n := len(labels)
	e := min(n, r.e)
	b := Breakdown{Step: t.step, Images: n, Classes: k, Counts: make([]int, k*k), Rows: rows, Cols: cols}
	// Scores are the logits, or for RBF units the penalties negated: the
	// prediction is the largest score, and the probabilities are its
	// softmax (Net.Probs).
	sign := float32(1)
	if t.net.output == OutputRBF {
		sign = -1
	}
	all := make([]judged, n)
	for i := range n {
		z := r.logits[i*k : (i+1)*k]
		pred := argmaxSigned(z, sign)
		var sum float64 // p(pred) = 1 / Σ exp(s − s[pred]), s[pred] the largest
		for _, v := range z {
			sum += math.Exp(float64(sign * (v - z[pred])))
		}
		cell := int(labels[i])*k + pred
		b.Counts[cell]++
		all[i] = judged{i: i, cell: cell, p: 1 / sum}
	}
	// Within a cell: mistakes most confident first, right answers least
	// confident first; ties by index, so a Breakdown is deterministic.
	slices.SortFunc(all, func(a, c judged) int {
		if a.cell != c.cell {
			return cmp.Compare(a.cell, c.cell)
		}
		pa, pc := a.p, c.p
		if a.cell%(k+1) != 0 {
			pa, pc = -pa, -pc
		}
		if d := cmp.Compare(pa, pc); d != 0 {
			return d
		}
		return cmp.Compare(a.i, c.i)
	})
	b.Digits = t.cellDigits(all, r.logits, images, rows*cols)
	if r.feat >= 0 {
		b.Embedding = Embedding{
			Layer: t.net.blocks[r.feat].info.Name, Dim: r.dim,
			Labels: append([]uint8(nil), labels[:e]...),
			Values: append([]float32(nil), r.embed[:e*r.dim]...),
		}
	}
	return b
}

// judged is an image of an evaluation: its index, its cell of the
// confusion matrix (label·classes + prediction) and the probability of the
// predicted class.
type judged struct {
	i, cell int
	p       float64
}

// cellDigits picks the first DigitsPerCell images of each cell of all
// (sorted by cell), with their pixels (size each, from images) and top
// classes (from logits).
func (t *Trainer) cellDigits(all []judged, logits []float32, images []uint8, size int) []Digit {
	k := t.net.classes
	var digits []Digit
	for j, taken := 0, 0; j < len(all); j++ {
		if j > 0 && all[j].cell != all[j-1].cell {
			taken = 0
		}
		if taken == DigitsPerCell {
			continue
		}
		taken++
		a := all[j]
		d := Digit{Index: a.i, Label: a.cell / k, Pred: a.cell % k, Top: topClasses(t.net.Probs(logits[a.i*k:(a.i+1)*k]), 3)}
		d.Pixels = append([]uint8(nil), images[a.i*size:(a.i+1)*size]...)
		digits = append(digits, d)
	}
	return digits
}

// argmaxSigned is the index of the largest sign·v, the first of equals:
// the prediction as softmaxCE (sign 1) or rbfLoss (sign −1, the smallest
// penalty) counts it right or wrong.
func argmaxSigned(v []float32, sign float32) int {
	best := 0
	for i, x := range v {
		if sign*x > sign*v[best] {
			best = i
		}
	}
	return best
}

// topClasses returns the n most probable classes of probs, most probable
// first (the lower class first among equals).
func topClasses(probs []float32, n int) []ClassProb {
	all := make([]ClassProb, len(probs))
	for c, p := range probs {
		all[c] = ClassProb{Class: c, P: p}
	}
	slices.SortStableFunc(all, func(a, b ClassProb) int { return cmp.Compare(b.P, a.P) })
	return all[:min(n, len(all))]
}

// Inspect evaluates the whole test set as an epoch's end does and returns
// its Breakdown as well: what eval reports of a checkpoint. Call it before
// Run or after it has returned.
func (t *Trainer) Inspect() (loss, acc float64, b Breakdown) {
	r := newEvalRecord(t.net, t.test.Count)
	t.outside(func() { loss, acc = t.evaluate(t.test, r) })
	b = t.breakdown(r, t.test.Images, t.test.Labels, t.test.Rows, t.test.Cols)
	return loss, acc, b.at(float64(t.step)/float64(t.batches), true)
}
