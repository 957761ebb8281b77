package engine

import (
	"context"
	"math"
	"time"

	"github.com/lenet-tui/lenet-tui/dataset"
)

// The trainer's evaluations: on the test set's head every EvalEvery of an
// epoch (Evaluation), on the whole test set at each epoch's end (EpochEnd),
// each optionally followed by its Breakdown; and the same from outside a
// run (Evaluate, Logits).

// quickEvaluation sends an Evaluation on the test set's head, and its
// Breakdown, when batch b of epoch is the first at or past a multiple of
// EvalEvery (not on an epoch's last batch, which EpochEnd reports). It
// reports false if ctx ended while it waited.
func (t *Trainer) quickEvaluation(ctx context.Context, epoch, b int) bool {
	if t.evalBatches == 0 || b == t.batches || math.Floor(float64(b)/t.evalBatches) <= math.Floor(float64(b-1)/t.evalBatches) {
		return true
	}
	loss, acc, bd := t.judge(t.quick)
	ev := Evaluation{Step: t.step, Epoch: t.epochAt(epoch, b), Images: t.quick.Count, TestLoss: loss, TestAcc: acc}
	return t.emit(ctx, ev) && (bd == nil || t.emit(ctx, bd.at(ev.Epoch, false)))
}

// endEpoch evaluates the whole test set after epoch, keeps the result for
// checkpoints and done, and sends EpochEnd, its Breakdown and a Snapshot.
// It reports false if ctx ended while it waited.
func (t *Trainer) endEpoch(ctx context.Context, epoch int, sums epochSums, done *Done) bool {
	secs := (time.Since(sums.start) - (t.pausedFor - sums.pausedBefore)).Seconds() // paused time left out
	testLoss, testAcc, bd := t.judge(t.test)
	t.evaluated, t.evalStep, t.testLoss, t.testAcc = true, t.step, testLoss, testAcc
	done.Epochs, done.TestLoss, done.TestAcc = epoch, testLoss, testAcc
	trainLoss, trainAcc := sums.mean()
	ev := EpochEnd{
		Epoch: epoch, Epochs: t.cfg.Epochs, Step: t.step,
		TrainLoss: trainLoss, TrainAcc: trainAcc,
		TestLoss: testLoss, TestAcc: testAcc, Seconds: secs, ImagesPerSec: float64(sums.seen) / secs,
	}
	if !t.emit(ctx, ev) || bd != nil && !t.emit(ctx, bd.at(float64(epoch), true)) {
		return false
	}
	t.snapshot(ctx)
	return true
}

// evaluate returns the mean loss and the accuracy over a whole set. With
// rec (sized for s) it also keeps what a Breakdown needs.
func (t *Trainer) evaluate(s *dataset.Set, rec *evalRecord) (loss, acc float64) {
	b := dataset.NewBatcher(s, t.cfg.Batch, false, 0)
	var correct, seen int
	for {
		n := b.Next(t.batch.x, t.batch.y, &t.scale)
		if n == 0 {
			break
		}
		l, c := t.parallel(n, job{x: t.batch.x, y: t.batch.y, rec: rec, base: seen})
		loss += l
		correct += c
		seen += n
	}
	return loss / float64(s.Count), float64(correct) / float64(s.Count)
}

// judge evaluates set s (the test set or its head) and, when the run
// sends them, returns the Breakdown that is to follow the evaluation's own
// event (nil otherwise). The record it fills is made once, for the whole
// test set, and reused.
func (t *Trainer) judge(s *dataset.Set) (loss, acc float64, b *Breakdown) {
	if !t.cfg.Breakdown {
		loss, acc = t.evaluate(s, nil)
		return loss, acc, nil
	}
	if t.rec == nil {
		t.rec = newEvalRecord(t.net, t.test.Count)
	}
	loss, acc = t.evaluate(s, t.rec)
	bd := t.breakdown(t.rec, s.Images, s.Labels, s.Rows, s.Cols)
	return loss, acc, &bd
}

// Evaluate returns the mean loss and the accuracy over the whole test set,
// as each epoch's end reports them. Call it before Run or after it has
// returned.
func (t *Trainer) Evaluate() (loss, acc float64) {
	t.outside(func() { loss, acc = t.evaluate(t.test, nil) })
	return loss, acc
}

// Logits returns the net's outputs (n, classes) for the first n test images
// (all of them if n is larger), with their labels, one image at a time. Call
// it before Run or after it has returned.
func (t *Trainer) Logits(n int) (logits []float32, labels []uint8) {
	n = min(n, t.test.Count)
	in, k := t.net.in.Size(), t.net.classes
	x := make([]float32, in)
	for i := range n {
		t.test.Fill(x, i, &t.scale)
		logits = append(logits, t.net.Forward(x, 1)[:k]...)
		labels = append(labels, t.test.Labels[i])
	}
	return logits, labels
}
