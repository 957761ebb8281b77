package engine

import (
	"math"

	"github.com/lenet-tui/lenet-tui/engine/internal/vec"
)

// worker is one share of every batch: its own replica of the net and what
// its forward and backward passes leave. Any goroutine of the crew may run
// its job (crew).
type worker struct {
	net  *Net
	ce   crossEntropy // the loss, unless rbf
	rbf  bool         // the net ends in RBF units: the paper's loss, eq. 9
	goOn bool         // on_nan continue: a non-finite loss does not end the job
	// nan explains the first chunk of the job with a non-finite loss, when
	// goOn and the job asked (job.explain); nil otherwise.
	nan     *Failed
	dz      []float32 // (N, classes) gradient of the loss at the logits
	m       int       // rows of the last chunk passed through the net
	loss    float64   // summed per-image loss of the last job
	correct int
	fault   *crash // a panic in the last job, for the trainer's goroutine to raise again
}

// job is one worker's share of a batch: rows [lo, hi) of x and y; or, when
// update is set, its share [lo, hi) of the parameter vector to reduce and
// update.
type job struct {
	x       []float32
	y       []uint8
	lo      int
	hi      int
	train   bool
	explain bool    // goOn: explain the first non-finite chunk into worker.nan
	scale   float32 // multiplies the per-image loss gradients
	update  *update
	// rec, for an evaluation that wants a Breakdown, keeps the logits and
	// embedding rows of the images; row 0 of x is image base of the set.
	rec  *evalRecord
	base int
}

// update is the second half of a step: sum the workers' gradients into the
// master's and apply the optimiser, each worker over its own range.
type update struct {
	ws    []*worker
	opt   optimizer
	lr    float32
	decay float32 // weight decay: w shrinks by lr·decay before the step
	t     int     // 1-based step
}

func (u *update) run(lo, hi int) {
	g := u.ws[0].net.g[lo:hi]
	for _, w := range u.ws[1:] {
		addInto(g, w.net.g[lo:hi])
	}
	if u.decay > 0 {
		// Decoupled from the gradient (Loshchilov and Hutter 2019): under
		// Adam, an L2 term in the loss would be divided by √v̂ and shrink
		// the weights with large gradients least.
		vec.Scale(u.ws[0].net.w[lo:hi], max(0, 1-u.lr*u.decay)) // a rate raised live (+) cannot flip signs
	}
	u.opt.step(u.ws[0].net.w, u.ws[0].net.g, u.lr, u.t, lo, hi)
}

func (w *worker) run(j job) {
	if j.update != nil {
		j.update.run(j.lo, j.hi)
		return
	}
	in, k := w.net.in.Size(), w.net.classes
	w.m = j.hi - j.lo
	w.loss, w.correct, w.nan = 0, 0, nil
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
		if j.rec != nil {
			j.rec.keep(w.net, z, j.base+lo, m)
		}
		var dz []float32
		if j.train {
			w.dz = grow(w.dz, m*k)
			dz = w.dz
		}
		loss, correct := w.lossOf(z, j.y[lo:hi], m, j.scale, dz)
		w.loss += loss
		w.correct += correct
		w.m = m // the failing chunk, if any, is what diagnose reads
		if !finite(loss) {
			if !w.goOn {
				return
			}
			if j.explain && w.nan == nil {
				w.nan = new(Failed)
				w.explain(w.nan)
			}
		}
		if j.train {
			w.net.Backward(dz)
		}
	}
}

// lossOf is the summed loss of the m outputs z (m, classes) of a chunk
// against its labels y, and how many are classified correctly; with dz non-nil it
// also sets dz (m, classes) to the loss's gradient at z, times scale.
func (w *worker) lossOf(z []float32, y []uint8, m int, scale float32, dz []float32) (loss float64, correct int) {
	if w.rbf {
		return rbfLoss(z, y, m, w.net.classes, scale, dz)
	}
	return softmaxCE(w.ce, z, y, m, w.net.classes, scale, dz)
}

// chunk is the most images a worker passes through its net at once.
const chunk = 16

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
