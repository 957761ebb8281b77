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
	t, n, err := newBenchTrainer(spec, s, in, classes)
	if err != nil {
		return BenchResult{}, err
	}
	t.startWorkers()
	defer t.stopWorkers()
	measure := func(step func()) float64 {
		for range 3 {
			step()
		}
		images, start := 0, time.Now()
		for time.Since(start) < d {
			step()
			images += n
		}
		return float64(images) / time.Since(start).Seconds()
	}
	res := BenchResult{Workers: len(t.ws)}
	res.TrainImgS = measure(func() { t.trainStep(t.batch.x, t.batch.y, n) })
	res.InferImgS = measure(func() { t.parallel(n, job{x: t.batch.x, y: t.batch.y}) })
	return res, nil
}

// newBenchTrainer builds spec at the settings s and a trainer of it on
// synthetic images held in memory, with its first batch loaded into
// t.batch; n is the batch's images. Its workers are not started.
func newBenchTrainer(spec ArchSpec, s Settings, in Shape, classes int) (t *Trainer, n int, err error) {
	net, err := Build(spec, in, classes, s)
	if err != nil {
		return nil, 0, err
	}
	data := dataset.Synthetic(max(4*s.Batch, 1000), in.H, in.W, s.Seed)
	t, err = NewTrainer(net, data, data, TrainConfig{Settings: s})
	if err != nil {
		return nil, 0, err
	}
	b := dataset.NewBatcher(data, s.Batch, false, 0)
	return t, b.Next(t.batch.x, t.batch.y, &t.scale), nil
}
