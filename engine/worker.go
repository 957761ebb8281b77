package engine

import (
	"fmt"
	"math"
	"strings"

	"github.com/lenet-tui/lenet-tui/dataset"
)

// worker runs forward and backward passes over its share of each batch on
// its own replica of the net.
type worker struct {
	net   *Net
	naive bool
	start chan job      // nil for ws[0], which runs on the trainer's goroutine
	done  chan struct{} // signalled when a job is finished

	dz      []float32 // (N, classes) gradient of the loss at the logits
	m       int       // rows of the last chunk passed through the net
	loss    float64   // summed per-image loss of the last job
	correct int
}

// job is one worker's share of a batch: rows [lo, hi) of x and y; or, when
// update is set, its share [lo, hi) of the parameter vector to reduce and
// update.
type job struct {
	x      []float32
	y      []uint8
	lo     int
	hi     int
	train  bool
	scale  float32 // multiplies the per-image loss gradients
	update *update
}

// update is the second half of a step: sum the workers' gradients into the
// master's and apply the optimiser, each worker over its own range.
type update struct {
	ws  []*worker
	opt Optimizer
	lr  float32
	t   int // 1-based step
}

func (u *update) run(lo, hi int) {
	g := u.ws[0].net.g[lo:hi]
	for _, w := range u.ws[1:] {
		addInto(g, w.net.g[lo:hi])
	}
	u.opt.Step(u.ws[0].net.w, u.ws[0].net.g, u.lr, u.t, lo, hi)
}

func (w *worker) run(j job) {
	if j.update != nil {
		j.update.run(j.lo, j.hi)
		return
	}
	in, k := w.net.in.Size(), w.net.classes
	w.m = j.hi - j.lo
	w.loss, w.correct = 0, 0
	if j.train {
		w.net.ZeroGrad()
	}
	if w.m == 0 {
		return
	}
	// Chunks of a few images keep every layer's buffers in the core's
	// cache; their gradients add up to the gradient of the whole share.
	for lo := j.lo; lo < j.hi; lo += chunk {
		hi := min(lo+chunk, j.hi)
		m := hi - lo
		z := w.net.Forward(j.x[lo*in:hi*in], m)
		var dz []float32
		if j.train {
			w.dz = grow(w.dz, m*k)
			dz = w.dz
		}
		loss, correct := softmaxCE(w.naive, z, j.y[lo:hi], m, k, j.scale, dz)
		w.loss += loss
		w.correct += correct
		w.m = m // the failing chunk, if any, is what diagnose reads
		if !finite(loss) {
			return
		}
		if j.train {
			w.net.Backward(dz)
		}
	}
}

// chunk is the most images a worker passes through its net at once.
const chunk = 16

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func (t *Trainer) startWorkers() {
	for _, w := range t.ws[1:] {
		w.start, w.done = make(chan job), make(chan struct{})
		go func() {
			for j := range w.start {
				w.run(j)
				w.done <- struct{}{}
			}
		}()
	}
}

func (t *Trainer) stopWorkers() {
	for _, w := range t.ws[1:] {
		close(w.start)
	}
}

// parallel splits rows [0, n) of x and y over the workers and waits for them.
func (t *Trainer) parallel(x []float32, y []uint8, n int, train bool, scale float32) (loss float64, correct int) {
	t.split(n, job{x: x, y: y, train: train, scale: scale})
	for _, w := range t.ws {
		loss += w.loss
		correct += w.correct
	}
	return loss, correct
}

// split runs j on every worker, each with its share [lo, hi) of [0, n),
// and waits for them all.
func (t *Trainer) split(n int, j job) {
	per := (n + len(t.ws) - 1) / len(t.ws)
	for i := len(t.ws) - 1; i >= 0; i-- {
		j.lo, j.hi = min(i*per, n), min((i+1)*per, n)
		if i > 0 {
			t.ws[i].start <- j
		} else {
			t.ws[0].run(j)
		}
	}
	for _, w := range t.ws[1:] {
		<-w.done
	}
}

// trainStep trains on the first n images of the batch buffer and returns the
// summed per-image loss and the number classified correctly. The gradients
// of the workers are summed into the master net's before the update.
func (t *Trainer) trainStep(n int) (loss float64, correct int) {
	scale := float32(1)
	if t.cfg.Reduction == ReduceMean {
		scale = 1 / float32(n)
	}
	loss, correct = t.parallel(t.batch.x, t.batch.y, n, true, scale)
	if !finite(loss) {
		return loss, correct
	}
	t.upd = update{ws: t.ws, opt: t.opt, t: t.step + 1,
		lr: t.lr * float32(scheduleFactor(t.cfg.Schedule, t.step, t.cfg.Epochs*t.batches))}
	t.split(len(t.net.w), job{update: &t.upd})
	return loss, correct
}

// evaluate returns the mean loss and the accuracy over a whole set.
func (t *Trainer) evaluate(s *dataset.Set) (loss, acc float64) {
	b := dataset.NewBatcher(s, t.cfg.Batch, false, 0)
	var correct int
	for {
		n := b.Next(t.batch.x, t.batch.y, &t.scale)
		if n == 0 {
			break
		}
		l, c := t.parallel(t.batch.x, t.batch.y, n, false, 0)
		loss += l
		correct += c
	}
	return loss / float64(s.Count), float64(correct) / float64(s.Count)
}

// diagnose explains a non-finite loss from the state the workers were left
// in by the failing batch.
func (t *Trainer) diagnose(epoch, batch, n int) string {
	where := fmt.Sprintf("the loss became NaN at epoch %d, batch %d (step %d)", epoch, batch, t.step)
	var why string
	for _, w := range t.ws {
		if w.m == 0 || finite(w.loss) {
			continue
		}
		why = w.explain()
		break
	}
	return where + ": " + why + "; " + t.hint()
}

// explain names the first block whose output is not finite, or else the
// logit spread that made the naive loss take log(0).
func (w *worker) explain() string {
	largest := 0.0
	for _, b := range w.net.blocks {
		out := b.out[:w.m*b.info.Out.Size()]
		big := 0.0
		for _, v := range out {
			a := math.Abs(float64(v))
			if math.IsNaN(a) || math.IsInf(a, 0) {
				return fmt.Sprintf("%s's outputs overflowed float32 (largest |value| before it: %.3g)", b.info.Name, largest)
			}
			big = max(big, a)
		}
		largest = big
	}
	k := w.net.classes
	z := w.net.blocks[len(w.net.blocks)-1].out[:w.m*k]
	spread := 0.0
	for s := range w.m {
		lo, hi := float64(z[s*k]), float64(z[s*k])
		for _, v := range z[s*k : (s+1)*k] {
			lo, hi = math.Min(lo, float64(v)), math.Max(hi, float64(v))
		}
		spread = math.Max(spread, hi-lo)
	}
	if w.naive {
		return fmt.Sprintf("the logits span %.3g, so softmax rounds some probabilities to 0 and the naive loss takes 0·log(0) = NaN", spread)
	}
	return fmt.Sprintf("the logits span %.3g and the loss overflowed", spread)
}

// hint suggests what to change, starting from the configuration at hand.
func (t *Trainer) hint() string {
	var tips []string
	if t.cfg.Init == InitTruncNormal && t.cfg.InitStd >= 0.5 {
		tips = append(tips, fmt.Sprintf("σ=%g initial weights let %s activations grow layer by layer: try --init he (glorot for sigmoid)", t.cfg.InitStd, t.net.hidden))
	}
	if t.cfg.Loss == LossNaive {
		tips = append(tips, "--loss stable never takes log(0)")
	}
	tips = append(tips, "a smaller --lr keeps weights from running away")
	return strings.Join(tips, "; ")
}
