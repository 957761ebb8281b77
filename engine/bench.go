package engine

import (
	"time"

	"github.com/lenet-tui/lenet-tui/dataset"
)

// BenchResult is the throughput of a net on this machine.
type BenchResult struct {
	Workers   int
	TrainImgS float64 // training steps (forward, backward, update), images per second
	InferImgS float64 // forward passes, images per second
}

// Bench measures training and inference throughput of spec at the batch size
// and settings s, on synthetic images held in memory, for about d each after
// a short warm-up.
func Bench(spec ArchSpec, s Settings, in Shape, classes int, d time.Duration) (BenchResult, error) {
	t, bs, err := newBenchTrainer(spec, TrainConfig{Settings: s}, in, classes)
	if err != nil {
		return BenchResult{}, err
	}
	t.startWorkers(nil)
	defer t.stopWorkers()
	measure := func(step func(x []float32, y []uint8, n int)) float64 {
		for range 3 {
			step(bs.next())
		}
		images, start := 0, time.Now()
		for time.Since(start) < d {
			x, y, n := bs.next()
			step(x, y, n)
			images += n
		}
		return float64(images) / time.Since(start).Seconds()
	}
	res := BenchResult{Workers: len(t.ws)}
	res.TrainImgS = measure(func(x []float32, y []uint8, n int) { t.trainStep(x, y, n) })
	res.InferImgS = measure(func(x []float32, y []uint8, n int) { t.parallel(n, job{x: x, y: y}) })
	return res, nil
}

// benchBatches are the batches a benchmark cycles through, filled once.
// Training on one batch over and over, as the benchmark once did, lets
// the net learn it by heart within a second: its gradients and Adam's
// moments then shrink into subnormal numbers, which the CPU handles many
// times slower, and the figure drifts down the longer it runs. PyTorch's
// side (bench/pytorch_ref.py) cycles through its data the same way.
type benchBatches struct {
	x [][]float32
	y [][]uint8
	n int // images in each batch
	i int // the next batch
}

// next returns the next batch, going round.
func (b *benchBatches) next() (x []float32, y []uint8, n int) {
	x, y = b.x[b.i], b.y[b.i]
	b.i = (b.i + 1) % len(b.x)
	return x, y, b.n
}

// benchImages is how many synthetic images a benchmark cycles through:
// enough that the net cannot learn their random labels in the seconds it
// runs.
const benchImages = 8192

// newBenchTrainer builds spec at cfg's settings, a trainer of it as cfg
// says and the synthetic batches to run it on, the first of them also
// loaded into t.batch. Its workers are not started.
func newBenchTrainer(spec ArchSpec, cfg TrainConfig, in Shape, classes int) (*Trainer, *benchBatches, error) {
	s := cfg.Settings
	net, err := Build(spec, in, classes, s)
	if err != nil {
		return nil, nil, err
	}
	data := dataset.Synthetic(max(4*s.Batch, benchImages), in.H, in.W, s.Seed)
	t, err := NewTrainer(net, data, data, cfg)
	if err != nil {
		return nil, nil, err
	}
	b := dataset.NewBatcher(data, s.Batch, false, 0)
	bs := &benchBatches{n: b.Next(t.batch.x, t.batch.y, &t.scale)}
	b.Reset()
	for range data.Count / s.Batch {
		x, y := make([]float32, len(t.batch.x)), make([]uint8, len(t.batch.y))
		b.Next(x, y, &t.scale)
		bs.x, bs.y = append(bs.x, x), append(bs.y, y)
	}
	return t, bs, nil
}
