package engine

import (
	"time"

	"github.com/lenet-tui/lenet-tui/engine/internal/gemm"
)

// PassRow is one row of a PassTable: a block's forward or backward pass,
// the optimiser's update, or the rest of a step, per image.
type PassRow struct {
	Layer string `json:"layer"` // the block's name, or "update" or "other"
	// Pass is "forward", "backward" (the input and the weight gradients
	// together: the convolution kernels compute both in one call),
	// "update" (summing the workers' gradients and the optimiser's step)
	// or "other" (loss, zeroing gradients, handing work to the workers,
	// waiting for the slower one: a real step's time the rows above do not
	// account for).
	Pass string  `json:"pass"`
	FLOP float64 `json:"flop"` // per image, from the layer's geometry (passFLOP)
	// FMA is set when FLOP are 2·multiply-adds of a convolution or dense
	// layer; otherwise FLOP are element ops (pooling, padding), not FMA
	// work, and are left out of PassTable.StepFLOP.
	FMA     bool    `json:"fma"`
	Seconds float64 `json:"seconds"` // per image, on one worker
	Share   float64 `json:"share"`   // of a real step's time: Seconds / PassTable.StepSeconds
}

// GFLOPS is the row's rate, FLOP over time; 0 for a row without either.
func (r PassRow) GFLOPS() float64 {
	if r.Seconds <= 0 {
		return 0
	}
	return r.FLOP / r.Seconds / 1e9
}

// PassTable is where the time of a training step goes, layer by layer and
// pass by pass, measured on this machine (BenchPasses).
type PassTable struct {
	Arch    string `json:"arch"`
	Batch   int    `json:"batch"`
	Workers int    `json:"workers"` // goroutines of a real step, one core each
	// WorkerImages is one worker's share of the batch, Batch/Workers
	// rounded up: the rows were timed on one goroutine training on that
	// many images a step, in chunks of Chunk.
	WorkerImages int       `json:"worker_images"`
	Chunk        int       `json:"chunk"`
	Round        float64   `json:"round_seconds"` // each of the 3 rounds a row's best is taken from
	Rows         []PassRow `json:"rows"`
	StepFLOP     float64   `json:"step_flop"`    // FMA FLOP per trained image: the FMA rows summed
	StepSeconds  float64   `json:"step_seconds"` // a real step's time per image on one worker: Workers / TrainImgS
	TrainImgS    float64   `json:"train_img_s"`  // real steps on all workers, best of 3 rounds
	PeakGFLOPS   float64   `json:"peak_gflops"`  // one core's FMA peak, measured now; 0 without assembly
	// BoundShare is the real step's FMA rate, TrainImgS·StepFLOP, over the
	// FMA bound, Workers·PeakGFLOPS; 0 without a peak.
	BoundShare float64 `json:"bound_share"`
	// Peak512GFLOPS is one core's FMA peak on 16-lane AVX-512 vectors,
	// which the products and most convolution kernels use, so that they pass
	// PeakGFLOPS; 0 without AVX-512. Bound512Share is BoundShare against it.
	Peak512GFLOPS float64 `json:"peak512_gflops"`
	Bound512Share float64 `json:"bound512_share"`
}

// BenchPasses measures where a training step of spec at the settings s
// goes, on the synthetic images Bench trains on. Each block's forward and
// backward pass and the update are timed inside steps that one worker
// trains on its share of the batch, on one goroutine, rounds of about d/3
// each; a row's time is its best of 3 rounds. Then real steps on all
// workers are timed the same way, and "other" is what of their time per
// image the rows do not account for.
func BenchPasses(spec ArchSpec, s Settings, in Shape, classes int, d time.Duration) (PassTable, error) {
	t, bs, err := newBenchTrainer(spec, TrainConfig{Settings: s}, in, classes)
	if err != nil {
		return PassTable{}, err
	}
	n := bs.n
	round := d / 3
	pt := PassTable{Arch: spec.Name, Batch: n, Workers: len(t.ws), WorkerImages: (n + len(t.ws) - 1) / len(t.ws),
		Chunk: chunk, Round: round.Seconds()}
	pt.Rows = t.timePasses(pt.WorkerImages, n, round)
	t.startWorkers(nil)
	pt.TrainImgS = bestRate(round, n, func() { t.trainStep(bs.next()) })
	t.stopWorkers()
	pt.PeakGFLOPS = gemm.PeakGFLOPS(300 * time.Millisecond)
	pt.Peak512GFLOPS = gemm.Peak512GFLOPS(300 * time.Millisecond)
	pt.settle()
	return pt, nil
}

// settle adds the "other" row and the shares, StepFLOP and BoundShare
// from the timed rows, TrainImgS and PeakGFLOPS.
func (pt *PassTable) settle() {
	pt.StepSeconds = float64(pt.Workers) / pt.TrainImgS
	rest := pt.StepSeconds
	for _, r := range pt.Rows {
		rest -= r.Seconds
		if r.FMA {
			pt.StepFLOP += r.FLOP
		}
	}
	pt.Rows = append(pt.Rows, PassRow{Layer: "other", Pass: "other", Seconds: rest})
	for i := range pt.Rows {
		pt.Rows[i].Share = pt.Rows[i].Seconds / pt.StepSeconds
	}
	rate := pt.TrainImgS * pt.StepFLOP / 1e9 / float64(pt.Workers) // GFLOP/s a core
	if pt.PeakGFLOPS > 0 {
		pt.BoundShare = rate / pt.PeakGFLOPS
	}
	if pt.Peak512GFLOPS > 0 {
		pt.Bound512Share = rate / pt.Peak512GFLOPS
	}
}

// timePasses returns the rows of every block's passes and of the update,
// timed in steps of worker 0 on m images of the batch of n, each row its
// best per image of 3 rounds of about round.
func (t *Trainer) timePasses(m, n int, round time.Duration) []PassRow {
	blocks := t.net.blocks
	rows := make([]PassRow, 0, 2*len(blocks)+1)
	for _, b := range blocks {
		fwd, bwd, fma := passFLOP(b)
		rows = append(rows, PassRow{Layer: b.info.Name, Pass: "forward", FLOP: fwd, FMA: fma},
			PassRow{Layer: b.info.Name, Pass: "backward", FLOP: bwd, FMA: fma})
	}
	rows = append(rows, PassRow{Layer: "update", Pass: "update"})
	clock := passClock{fwd: make([]time.Duration, len(blocks)), bwd: make([]time.Duration, len(blocks))}
	scale := t.stepScale(n)
	t.timedStep(&clock, m, scale) // warm up
	for r := range 3 {
		clock.reset()
		for start := time.Now(); time.Since(start) < round; {
			t.timedStep(&clock, m, scale)
		}
		per := 1 / float64(clock.images)
		for i := range blocks {
			best(&rows[2*i], clock.fwd[i].Seconds()*per, r)
			best(&rows[2*i+1], clock.bwd[i].Seconds()*per, r)
		}
		best(&rows[len(rows)-1], clock.update.Seconds()*per, r)
	}
	return rows
}

// best keeps in row the smaller of its time and s; round 0 sets it.
func best(row *PassRow, s float64, round int) {
	if round == 0 || s < row.Seconds {
		row.Seconds = s
	}
}

// passClock adds up, over timed steps of one worker, each block's forward
// and backward time and the update's, and the images trained.
type passClock struct {
	fwd, bwd []time.Duration // by block
	update   time.Duration
	images   int
}

func (c *passClock) reset() {
	clear(c.fwd)
	clear(c.bwd)
	c.update, c.images = 0, 0
}

// timedStep is worker 0's part of a training step on the first m images
// of t.batch — its passes, run by worker.run as in training, then its share
// of the update — with each block's passes (Net.clock) and the update
// timed into c.
func (t *Trainer) timedStep(c *passClock, m int, scale float32) {
	w := t.ws[0]
	w.net.clock = c
	w.run(job{x: t.batch.x, y: t.batch.y, hi: m, train: true, scale: scale})
	w.net.clock = nil
	t.upd = t.stepUpdate()
	start := time.Now()
	t.upd.run(0, (len(t.net.w)+len(t.ws)-1)/len(t.ws)) // worker 0's share, as split gives it
	c.update += time.Since(start)
	c.images += m
}

// bestRate runs step, which trains n images, for rounds of about round
// after a short warm-up and returns the best of 3 rounds' images per
// second.
func bestRate(round time.Duration, n int, step func()) float64 {
	for range 3 {
		step()
	}
	rate := 0.0
	for range 3 {
		images, start := 0, time.Now()
		for time.Since(start) < round {
			step()
			images += n
		}
		rate = max(rate, float64(images)/time.Since(start).Seconds())
	}
	return rate
}

// passFLOP is the work of block b's forward and backward passes on one
// image. For a convolution or dense layer it is 2·multiply-adds (fma): the
// forward pass's, and the backward pass's for the weight gradient and, but
// in the first layer, for the input gradient; biases and activations are
// not counted. For any other layer it is element ops, not FMA work: the
// connections it has (a pooling layer's window reads), or its input's
// values, each pass.
func passFLOP(b *block) (fwd, bwd float64, fma bool) {
	switch op := b.op.(type) {
	case *Conv:
		macs := 0
		for j := range op.out.C {
			macs += op.fanIn(j) * op.k * op.k
		}
		return mulAddFLOP(macs*op.out.H*op.out.W, op.needDx)
	case *Dense:
		return mulAddFLOP(op.in.Size()*op.out.C, op.needDx)
	}
	ops := b.info.Connections
	if ops == 0 {
		ops = b.info.In.Size()
	}
	return float64(ops), float64(ops), false
}

// mulAddFLOP is the FLOP of a layer of macs multiply-adds per image: 2·macs
// forward, and 2·macs for the weight gradient plus, with needDx, 2·macs for
// the input gradient.
func mulAddFLOP(macs int, needDx bool) (fwd, bwd float64, fma bool) {
	fwd = 2 * float64(macs)
	bwd = fwd
	if needDx {
		bwd += fwd
	}
	return fwd, bwd, true
}
