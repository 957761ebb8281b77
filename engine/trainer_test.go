package engine

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lenet-tui/lenet-tui/dataset"
)

// smallRun is a run of a small net on synthetic 12×12 digits.
// smallSpec is a small net for 12×12 synthetic digits.
var smallSpec = ArchSpec{Name: "small", Layers: []LayerSpec{
	{Name: "C1", Kind: "conv", Maps: 4, Kernel: 3, Padding: "same"},
	{Name: "S2", Kind: "pool", Pool: PoolMax, Activation: "none"},
	{Name: "C3", Kind: "conv", Maps: 6, Kernel: 3},
	{Name: "F4", Kind: "dense", Units: 16},
	{Name: "OUT", Kind: "dense", Units: 10},
}}

// smallRun is a trainer of smallSpec on synthetic 12×12 images, over 2
// workers or as many as given.
func smallRun(t *testing.T, s Settings, workers ...int) *Trainer {
	t.Helper()
	n := 2
	if len(workers) > 0 {
		n = workers[0]
	}
	spec := smallSpec
	train := dataset.Synthetic(600, 12, 12, 1)
	test := dataset.Synthetic(200, 12, 12, 2)
	net, err := Build(spec, Shape{1, 12, 12}, 10, s)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := NewTrainer(net, train, test, TrainConfig{Settings: s, Workers: n})
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func settings() Settings {
	s := modern
	s.Batch, s.Epochs, s.LR = 20, 3, 0.01
	return s
}

// collect runs tr to the end and returns its events.
func collect(t *testing.T, tr *Trainer) []Event {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	go tr.Run(ctx)
	var evs []Event
	for ev := range tr.Events() {
		evs = append(evs, ev)
	}
	return evs
}

func TestTrainerLearns(t *testing.T) {
	evs := collect(t, smallRun(t, settings()))
	var epochs []EpochEnd
	var losses int
	for _, ev := range evs {
		switch ev := ev.(type) {
		case EpochEnd:
			epochs = append(epochs, ev)
		case Progress:
			losses += len(ev.Losses)
		}
	}
	if len(epochs) != 3 {
		t.Fatalf("got %d EpochEnd events, want 3", len(epochs))
	}
	if last := epochs[2]; last.TestAcc < 0.9 {
		t.Errorf("test accuracy after 3 epochs = %.3f, want ≥ 0.9", last.TestAcc)
	}
	if want := 3 * 30; losses != want {
		t.Errorf("Progress events carried %d batch losses, want %d (one per batch, none dropped)", losses, want)
	}
	done, ok := evs[len(evs)-1].(Done)
	if !ok || done.Epochs != 3 || done.Stopped || done.TestAcc != epochs[2].TestAcc {
		t.Errorf("last event = %#v, want Done after 3 epochs", evs[len(evs)-1])
	}
}

func TestTrainerReproducible(t *testing.T) {
	a := collect(t, smallRun(t, settings()))
	b := collect(t, smallRun(t, settings()))
	ea, eb := a[len(a)-1].(Done), b[len(b)-1].(Done)
	if ea.TestLoss != eb.TestLoss {
		t.Errorf("two runs with seed 1 end with test loss %v and %v, want equal", ea.TestLoss, eb.TestLoss)
	}
}

// TestTrainerRefusesUnusableLR: a rate whose float32 value is 0, subnormal
// or infinite (or NaN, or ≤ 0) changes nothing; the next usable one does.
func TestTrainerRefusesUnusableLR(t *testing.T) {
	s := settings()
	s.Epochs = 50
	tr := smallRun(t, s)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	go tr.Run(ctx)
	tr.Send(Pause{})
	for _, lr := range []float64{1e-50, 1e-40, 1e39, math.Inf(1), math.NaN(), 0, -0.1} {
		tr.Send(SetLR{LR: lr})
	}
	tr.Send(SetLR{LR: 0.25})
	tr.Send(Stop{})
	var got []float64
	for ev := range tr.Events() {
		if ev, ok := ev.(LRChanged); ok {
			got = append(got, ev.LR)
		}
	}
	if len(got) != 1 || got[0] != 0.25 {
		t.Errorf("rates taken %v, want only [0.25]", got)
	}
	if tr.lr != 0.25 {
		t.Errorf("trainer's rate %g, want 0.25", tr.lr)
	}
}

func TestTrainerCommands(t *testing.T) {
	s := settings()
	s.Epochs = 50
	tr := smallRun(t, s)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	go tr.Run(ctx)
	tr.Send(Pause{})
	tr.Send(SetActivation{Name: Sigmoid})
	tr.Send(SetLR{LR: 0.5})
	tr.Send(SetProbe{Index: 7})
	tr.Send(Resume{})
	tr.Send(Stop{})
	var seen []string
	for ev := range tr.Events() {
		switch ev := ev.(type) {
		case StateChanged:
			seen = append(seen, map[bool]string{true: "paused", false: "resumed"}[ev.Paused])
		case ActivationChanged:
			seen = append(seen, "activation "+string(ev.Activation))
		case LRChanged:
			seen = append(seen, "lr")
			if ev.LR != 0.5 {
				t.Errorf("LRChanged.LR = %g, want 0.5", ev.LR)
			}
		case Snapshot:
			if ev.Probe == 7 {
				seen = append(seen, "probe 7")
				if len(ev.Probs) != 10 || len(ev.Blocks) != 5 || len(ev.Input) != 144 {
					t.Errorf("snapshot has %d probs, %d blocks, %d input pixels; want 10, 5, 144", len(ev.Probs), len(ev.Blocks), len(ev.Input))
				}
				if ev.Blocks[0].KShape != [4]int{4, 1, 3, 3} || len(ev.Blocks[0].Kernels) != 36 {
					t.Errorf("C1 kernels %v (%d values), want [4 1 3 3] (36)", ev.Blocks[0].KShape, len(ev.Blocks[0].Kernels))
				}
			}
		case Done:
			if !ev.Stopped {
				t.Errorf("Done.Stopped = false after Stop")
			}
			seen = append(seen, "done")
		}
	}
	got := strings.Join(seen, ", ")
	want := "paused, activation sigmoid, lr, probe 7, resumed, done"
	if !strings.Contains(got, want) {
		t.Errorf("events = %s, want them to contain %s", got, want)
	}
	if tr.net.Activation() != Sigmoid || tr.ws[1].net.blocks[0].act.Func() != Sigmoid {
		t.Errorf("activation after SetActivation = %s (replica %s), want sigmoid", tr.net.Activation(), tr.ws[1].net.blocks[0].act.Func())
	}
}

// TestTrainerNaN reproduces the 2017 note's failure: ReLU with σ=1 weights
// and the naive loss gives NaN in the first batch, and the trainer says why.
func TestTrainerNaN(t *testing.T) {
	s := arches["seed-code"].Defaults
	s.Activation, s.Batch = ReLU, 50
	evs := collect(t, smallRun(t, s))
	f, ok := evs[len(evs)-1].(Failed)
	if !ok {
		t.Fatalf("last event = %#v, want Failed", evs[len(evs)-1])
	}
	if f.Cause != CauseLogZero || f.Epoch != 1 || f.Batch != 1 || !(f.LogitSpan > 88) || !slices.Equal(f.Remedies(), []Remedy{RemedyInit, RemedyStableLoss}) {
		t.Errorf("Failed = %+v, want CauseLogZero in epoch 1, batch 1, logits spanning > 88 (float32 exp underflows below e^-88), the init and loss remedies (no update ran yet, so not a lower rate)", f)
	}
	if f.Settings.Activation != ReLU || f.Settings.Loss != LossNaive {
		t.Errorf("Failed.Settings = %+v, want the run's relu and naive loss", f.Settings)
	}
	for _, want := range []string{"NaN", "epoch 1, batch 1", "log(0)"} {
		if !strings.Contains(f.String(), want) {
			t.Errorf("Failed.String() = %q, want it to mention %q", f, want)
		}
	}
	if strings.Contains(f.String(), "--") {
		t.Errorf("Failed.String() = %q names a flag; advice is the views'", f)
	}
}

// firstBatch fills tr's batch buffers with the first shuffled batch of its
// training set and returns its size.
func firstBatch(tr *Trainer, batch int) int {
	b := dataset.NewBatcher(tr.train, batch, true, 1)
	b.Reset()
	return b.Next(tr.batch.x, tr.batch.y, &tr.scale)
}

func TestTrainStepAllocs(t *testing.T) {
	s := settings()
	tr := smallRun(t, s)
	tr.startWorkers(nil)
	defer tr.stopWorkers()
	n := firstBatch(tr, s.Batch)
	tr.trainStep(tr.batch.x, tr.batch.y, n) // warm up: buffers are sized on first use
	allocs := testing.AllocsPerRun(20, func() {
		if loss, _ := tr.trainStep(tr.batch.x, tr.batch.y, n); math.IsNaN(loss) {
			t.Fatal("NaN loss")
		}
	})
	if allocs != 0 {
		t.Errorf("allocations per training step = %v, want 0", allocs)
	}
}

func TestOneCycle(t *testing.T) {
	const total = 1000
	for _, tc := range []struct {
		step int
		want float64
	}{{0, 0.04}, {299, 1}, {999, 0.04 / 1e4}} {
		if got := scheduleFactor(ScheduleOneCycle, tc.step, total); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("scheduleFactor(onecycle, %d, %d) = %g, want %g", tc.step, total, got, tc.want)
		}
	}
	prev := 0.0
	for s := range 300 {
		f := scheduleFactor(ScheduleOneCycle, s, total)
		if f < prev {
			t.Fatalf("one-cycle falls during warm-up at step %d: %g < %g", s, f, prev)
		}
		prev = f
	}
	if got := scheduleFactor(ScheduleConstant, 500, total); got != 1 {
		t.Errorf("scheduleFactor(constant) = %g, want 1", got)
	}
}

// TestTrainerReports checks what a view draws from: every epoch's progress
// ends on its true last batch, every batch has a loss and an accuracy, the
// learning rate follows the schedule, and quick evaluations come every
// quarter epoch on the first 100 test images.
func TestTrainerReports(t *testing.T) {
	s := settings()
	s.Epochs = 2
	net, err := Build(smallSpec, Shape{1, 12, 12}, 10, s)
	if err != nil {
		t.Fatal(err)
	}
	train, test := dataset.Synthetic(600, 12, 12, 1), dataset.Synthetic(200, 12, 12, 2)
	tr, err := NewTrainer(net, train, test, TrainConfig{Settings: s, EvalEvery: 0.25, EvalImages: 100})
	if err != nil {
		t.Fatal(err)
	}
	lastBatch := map[int]int{}
	var losses, accs int
	var evals []Evaluation
	for _, ev := range collect(t, tr) {
		switch ev := ev.(type) {
		case Progress:
			lastBatch[ev.Epoch] = ev.Batch
			losses += len(ev.Losses)
			accs += len(ev.Accs)
			want := s.LR * scheduleFactor(s.Schedule, ev.Step-1, s.Epochs*ev.Batches)
			if math.Abs(ev.LR-want) > 1e-6*want {
				t.Errorf("Progress at step %d: LR %g, want %g under %s", ev.Step, ev.LR, want, s.Schedule)
			}
		case Evaluation:
			evals = append(evals, ev)
		}
	}
	if lastBatch[1] != 30 || lastBatch[2] != 30 {
		t.Errorf("last Progress batch per epoch = %v, want 30 in both", lastBatch)
	}
	if losses != 60 || accs != 60 {
		t.Errorf("Progress carried %d losses and %d accuracies, want 60 of each", losses, accs)
	}
	var at []float64
	for _, e := range evals {
		at = append(at, e.Epoch)
		if e.Images != 100 || e.TestAcc < 0 || e.TestAcc > 1 {
			t.Errorf("Evaluation %+v, want 100 images and an accuracy in [0, 1]", e)
		}
	}
	// 7.5 batches a quarter: the first batch at or past each quarter.
	if want := []float64{8. / 30, 15. / 30, 23. / 30, 1 + 8./30, 1 + 15./30, 1 + 23./30}; !slices.Equal(at, want) {
		t.Errorf("Evaluations at epochs %v, want %v", at, want)
	}
}

// TestTrainerOnNaNContinue runs the note's failing settings on, as its
// TensorFlow program did: one WentNaN for the first batch, NaN output
// weights after the first update, and every image answered class 0, so the test
// accuracy is the share of 0s among the test labels.
func TestTrainerOnNaNContinue(t *testing.T) {
	s := arches["seed-code"].Defaults
	s.Activation, s.Batch, s.Epochs, s.OnNaN = ReLU, 50, 2, NaNContinue
	tr := smallRun(t, s)
	evs := collect(t, tr)
	var nans []WentNaN
	var epochs []EpochEnd
	for _, ev := range evs {
		switch ev := ev.(type) {
		case WentNaN:
			nans = append(nans, ev)
		case EpochEnd:
			epochs = append(epochs, ev)
		case Failed:
			t.Fatalf("Failed %v under on_nan continue", ev)
		}
	}
	if len(nans) != 1 || nans[0].Cause != CauseLogZero || nans[0].Epoch != 1 || nans[0].Batch != 1 || !(nans[0].LogitSpan > 88) {
		t.Fatalf("WentNaN events = %+v, want one, CauseLogZero in epoch 1, batch 1, logits spanning > 88", nans)
	}
	zeros := 0
	for _, l := range tr.test.Labels {
		if l == 0 {
			zeros++
		}
	}
	want := float64(zeros) / float64(tr.test.Count)
	if len(epochs) != 2 {
		t.Fatalf("got %d EpochEnd events, want 2", len(epochs))
	}
	for _, e := range epochs {
		if e.TestAcc != want || !math.IsNaN(e.TestLoss) || !math.IsNaN(e.TrainLoss) {
			t.Errorf("epoch %d: test acc %v, test loss %v, train loss %v; want %v (the share of 0s: every answer 0) and NaN losses", e.Epoch, e.TestAcc, e.TestLoss, e.TrainLoss, want)
		}
	}
	if d, ok := evs[len(evs)-1].(Done); !ok || d.TestAcc != want {
		t.Errorf("last event = %#v, want Done with test accuracy %v", evs[len(evs)-1], want)
	}
	// The output layer's weights are all NaN. A ReLU unit that is 0 passes
	// no gradient, NaN or not (a mask, not a product), so the kernel of a
	// C1 map that was 0 on every image stays a number.
	for _, p := range tr.net.Params() {
		if !strings.HasPrefix(p.Name, "OUT.") {
			continue
		}
		for i, w := range p.W {
			if !math.IsNaN(float64(w)) {
				t.Fatalf("%s[%d] = %v after training on NaN gradients, want NaN", p.Name, i, w)
			}
		}
	}
}

// TestTrainerAugment: distortions reach the training batches (the batch
// losses differ from a plain run's), a seed fixes them (two runs agree to
// the bit), and the net still learns the synthetic digits (less well: their
// class is where a blob sits on a 12-pixel grid, which a 2.5-pixel shift
// blurs).
func TestTrainerAugment(t *testing.T) {
	losses := func(a Augment) ([]float64, float64) {
		s := settings()
		s.Augment = a
		var ls []float64
		var acc float64
		for _, ev := range collect(t, smallRun(t, s)) {
			switch ev := ev.(type) {
			case Progress:
				ls = append(ls, ev.Losses...)
			case EpochEnd:
				acc = ev.TestAcc
			}
		}
		return ls, acc
	}
	plain, _ := losses(AugmentNone)
	for _, a := range []Augment{AugmentAffine, AugmentElastic} {
		first, acc := losses(a)
		again, _ := losses(a)
		if !slices.Equal(first, again) {
			t.Errorf("augment %s: two runs with one seed have different batch losses", a)
		}
		if slices.Equal(first, plain) {
			t.Errorf("augment %s: the batch losses are those of augment none", a)
		}
		if acc < 0.5 {
			t.Errorf("augment %s: test accuracy after 3 epochs = %.3f, want ≥ 0.5", a, acc)
		}
	}
}

// TestPace: SetPace slows training to the pace asked for; Advance trains a
// paused run batch by batch; the time paused is left out of Elapsed.
func TestPace(t *testing.T) {
	s := settings()
	s.Epochs = 50
	tr := smallRun(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tr.Send(Pause{})
	t0 := time.Now()
	go tr.Run(ctx)
	defer func() {
		cancel()
		for range tr.Events() {
		}
	}()
	next := func(want func(Event) bool) Event {
		t.Helper()
		for ev := range tr.Events() {
			if want(ev) {
				return ev
			}
		}
		t.Fatal("the events ended")
		return nil
	}
	next(func(ev Event) bool { s, ok := ev.(StateChanged); return ok && s.Paused })
	time.Sleep(300 * time.Millisecond) // paused: left out of Elapsed
	tr.Send(Advance{Batches: 3})
	p := next(func(ev Event) bool { p, ok := ev.(Progress); return ok && p.Step == 3 }).(Progress)
	if wall := time.Since(t0); p.Elapsed > wall-250*time.Millisecond {
		t.Errorf("after 300 ms paused and 3 batches, in %v of wall time, Elapsed = %v, want the pause left out", wall, p.Elapsed)
	}
	time.Sleep(100 * time.Millisecond)
	tr.Send(SetPace{BatchesPerSecond: 50})
	next(func(ev Event) bool {
		if p, ok := ev.(Progress); ok && p.Step > 3 {
			t.Errorf("Advance{3} trained on to step %d while paused", p.Step)
		}
		_, ok := ev.(PaceChanged)
		return ok
	})
	tr.Send(Resume{})
	start := time.Now()
	next(func(ev Event) bool { p, ok := ev.(Progress); return ok && p.Step >= 13 })
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("10 batches at 50 a second took %v, want about 200 ms", d)
	}
}
