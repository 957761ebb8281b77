package engine

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sync"
	"time"

	"github.com/lenet-tui/lenet-tui/dataset"
)

// TrainConfig holds the knobs of a training run: the hyper-parameters and how
// the run is carried out and reported.
type TrainConfig struct {
	Settings
	Dataset       string        // for display, e.g. "mnist"
	Workers       int           // goroutines a batch is split over; 0 means GOMAXPROCS
	SnapshotEvery time.Duration // send a Snapshot this often while training; 0 only on request
	Probe         int           // test image index for snapshots
	// EvalEvery is the fraction of an epoch between Evaluations (after the
	// first batch at or past each multiple of it) on the first
	// EvalImages test images (1,000 if 0); 0 means none, only the full test
	// set at each epoch's end.
	EvalEvery  float64
	EvalImages int
	// FlowEvery is the number of batches between Flow events (gradient
	// flow and unit health, measured on one training batch); 0 means none.
	FlowEvery int
	// Breakdown asks for a Breakdown event after every Evaluation and
	// EpochEnd: the confusion matrix, digits behind it, the embedding.
	Breakdown bool
	// ProbeGradients asks every Snapshot for the probe's gradients
	// (Snapshot.Grads: a backward pass of the probe, backprobe.go).
	ProbeGradients bool
	// Resume continues the run a checkpoint saved: its optimiser state and
	// step, the batches in the order they would have come. The net must be
	// the checkpoint's (Checkpoint.Net); nil starts a new run.
	Resume *Checkpoint
}

// RunInfo describes a run for display.
type RunInfo struct {
	Dataset, Arch         string
	Activation            Activation
	Optimizer             Optimizer
	Loss                  Loss
	Output                Output // softmax logits, or the paper's RBF units (whose loss is eq. 9, not Loss)
	Schedule              Schedule
	Augment               Augment
	LR                    float64
	LabelSmoothing        float64 // ε: the loss shown is the smoothed cross-entropy
	Batch, Epochs         int
	TrainCount, TestCount int
	Layers                []LayerInfo
	// Classes are the classes' names by index, one per output unit: the
	// training set's (dataset.Set.Names: MNIST's digits, Fashion-MNIST's
	// ten names, an image folder's class folders), the index as a number
	// for a set without names. Views show them wherever a class is named.
	Classes []string
}

// Trainer trains a Net in its own goroutine (Run), sending Events and
// applying Commands between batches. Only Send and Events may be used from
// other goroutines.
type Trainer struct {
	cfg         TrainConfig
	net         *Net
	train, test *dataset.Set
	scale       dataset.Scale
	inMean      float32 // the pixel scaling of scale: (p/255 − inMean)/inStd
	inStd       float32
	opt         optimizer
	lr          float32
	ws          []*worker // ws[0] trains the master net; the others replicas of it
	crew        *crew     // runs the workers' jobs while the workers are started
	batches     int       // per epoch
	upd         update    // the parameter update of the current step
	batch       batchBuf  // the training batch
	last        batchBuf  // the last batch trained: the stream's buffer, held until its next batch (ExplainWeight reads it)
	lastN       int       // its images; 0 before the first step
	probe       int
	own         []uint8         // (H, W) the probe of one's own set by SetProbeImage; nil for the test image probe
	probeAug    probeAugmenters // draw the snapshots' distortions (augment.go)
	back        *backprobe      // the probe's backward pass (backprobe.go); nil until first wanted
	paused      bool
	pace        float64 // batches a second at most (SetPace); 0 for as fast as it goes
	advance     int     // batches still to train while paused (Advance)
	stopAt      int     // tests: stop as Stop does once this many steps are done; 0 never

	events chan Event
	mu     sync.Mutex
	queue  []Command
	wake   chan struct{}

	runState // bookkeeping of the current run, used by Run's goroutine only
}

// runState is the bookkeeping of a run, kept by Run's goroutine: how far
// the run has got (step), the batch losses not yet sent and the images per
// second, when Progress and Snapshot were last sent, the schedule and
// images of the quick evaluations, whether a NaN was reported, and the last
// evaluation on the whole test set, which a checkpoint records.
type runState struct {
	step         int
	pending      []float64 // batch losses not yet sent
	pendingAcc   []float64 // their accuracies
	rate         rateMeter
	lastProgress time.Time
	lastSnapshot time.Time
	quick        *dataset.Set  // the test images of an Evaluation
	evalBatches  float64       // batches between Evaluations; 0 for none
	rec          *evalRecord   // what the last evaluation saw, for a Breakdown
	wentNaN      bool          // on_nan continue: WentNaN was sent
	pausedFor    time.Duration // time spent paused, left out of Elapsed and the epochs' seconds
	batchStart   time.Time     // when the last batch was let go, for the pace

	// the last evaluation on the whole test set, for checkpoints
	evaluated         bool
	evalStep          int
	testLoss, testAcc float64
}

// batchBuf is one mini-batch: x (N, C, H, W) and its labels (N).
type batchBuf struct {
	x []float32
	y []uint8
}

// NewTrainer prepares a run of net on the given sets. The net becomes the
// trainer's: nobody else may touch it while Run is going.
func NewTrainer(net *Net, train, test *dataset.Set, cfg TrainConfig) (*Trainer, error) {
	if err := cfg.Settings.Check(); err != nil {
		return nil, err
	}
	if err := cfg.Settings.CheckTrainSet(train.Count); err != nil {
		return nil, err
	}
	for _, s := range []*dataset.Set{train, test} {
		if s.Rows*s.Cols != net.in.Size() || s.Classes != net.classes {
			return nil, fmt.Errorf("%s holds %d-class %d×%d images; the net wants %d classes of %v", s.Name, s.Classes, s.Rows, s.Cols, net.classes, net.in)
		}
	}
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	cfg.Workers = max(1, min(cfg.Workers, cfg.Batch))
	t := &Trainer{
		cfg: cfg, net: net, train: train, test: test, opt: newOptimizer(cfg.Optimizer, len(net.w)), lr: float32(cfg.LR),
		probe:  cfg.Probe,
		events: make(chan Event, 64),
		wake:   make(chan struct{}, 1),
	}
	if t.probe < 0 || t.probe >= test.Count {
		t.probe = 0
	}
	t.setInputScale()
	net.SetBackground(-t.inMean / t.inStd) // a blank pixel, scaled; before the replicas copy it
	t.batches = (train.Count + cfg.Batch - 1) / cfg.Batch
	if cfg.Resume != nil {
		if err := t.resume(cfg.Resume); err != nil {
			return nil, err
		}
	}
	if cfg.EvalEvery > 0 {
		t.evalBatches = max(1, cfg.EvalEvery*float64(t.batches))
		n := cfg.EvalImages
		if n <= 0 {
			n = 1000
		}
		t.quick = test.Head(n)
	}
	t.batch = batchBuf{x: make([]float32, cfg.Batch*net.in.Size()), y: make([]uint8, cfg.Batch)}
	t.newWorkers()
	return t, nil
}

// setInputScale sets how pixels are scaled for the net, (p/255 − inMean)/inStd:
// standardised by the training set's statistics, or as cfg.Input says.
func (t *Trainer) setInputScale() {
	t.inMean, t.inStd = t.train.PixelStats()
	switch t.cfg.Input {
	case InputUnit:
		t.inMean, t.inStd = 0, 1
	case InputPaper:
		// −0.1 + 1.275·p/255: background −0.1, foreground 1.175
		t.inMean, t.inStd = 0.1/1.275, 1/1.275
	}
	t.scale = dataset.Standardize(t.inMean, t.inStd)
}

// newWorkers makes the workers: the first trains the master net, each
// other a replica of it.
func (t *Trainer) newWorkers() {
	for i := range t.cfg.Workers {
		n := t.net
		if i > 0 {
			n = t.net.replicate()
		}
		if t.cfg.FlowEvery > 0 {
			n.meter = newFlowMeter(n)
		}
		ce := crossEntropy{naive: t.cfg.Loss == LossNaive, smooth: float32(t.cfg.LabelSmoothing)}
		t.ws = append(t.ws, &worker{net: n, ce: ce, rbf: t.net.output == OutputRBF, goOn: t.cfg.OnNaN == NaNContinue})
	}
}

// Events is the channel the trainer sends on; it is closed when Run returns.
func (t *Trainer) Events() <-chan Event { return t.events }

// Send queues a command, to be applied between batches. It never blocks.
func (t *Trainer) Send(c Command) {
	t.mu.Lock()
	t.queue = append(t.queue, c)
	t.mu.Unlock()
	select {
	case t.wake <- struct{}{}:
	default:
	}
}

// Info describes the run as configured.
func (t *Trainer) Info() RunInfo {
	return RunInfo{
		Dataset: t.cfg.Dataset, Arch: t.net.arch, Activation: t.net.hidden, Optimizer: t.cfg.Optimizer,
		Loss: t.cfg.Loss, Output: t.net.output, Schedule: t.cfg.Schedule, Augment: t.cfg.Augment, LR: t.cfg.LR, LabelSmoothing: t.cfg.LabelSmoothing, Batch: t.cfg.Batch, Epochs: t.cfg.Epochs,
		TrainCount: t.train.Count, TestCount: t.test.Count, Layers: t.net.Info(), Classes: t.classNames(),
	}
}

// Run trains until the configured epochs are done, a Stop arrives, ctx is
// cancelled or training fails, and closes Events before returning. The last
// event is Done or Failed, unless ctx was cancelled. A panic in Run or in a
// worker is recovered into a Failed event (CausePanic), so that a view can
// say so and restore the terminal. Run is called once.
func (t *Trainer) Run(ctx context.Context) {
	defer close(t.events)
	defer t.recoverCrash(ctx)
	start := time.Now()
	stream, first, skip := t.openStream()
	defer stream.Close()
	t.startWorkers(stream.Fill)
	defer t.stopWorkers()
	done := Done{Epochs: first - 1, TestLoss: math.NaN(), TestAcc: math.NaN()}
	t.snapshot(ctx)
	for epoch := first; epoch <= t.cfg.Epochs; epoch++ {
		sums := epochSums{start: time.Now(), pausedBefore: t.pausedFor}
		for b := skip + 1; b <= t.batches; b++ {
			if stop := t.applyCommands(ctx); stop || t.stopAt > 0 && t.step == t.stopAt {
				done.Stopped = true
				t.finish(ctx, done, start)
				return
			}
			measure := t.flowDue()
			loss, c, n := t.trainNext(stream, measure)
			if !finite(loss) && !t.onNaN(ctx, epoch, b) {
				return
			}
			if measure && !t.emit(ctx, t.flow(t.epochAt(epoch, b))) {
				return
			}
			sums.add(loss, c, n)
			t.tally(loss, c, n)
			if !t.progress(ctx, epoch, b, sums, start) || !t.quickEvaluation(ctx, epoch, b) {
				return
			}
			if t.cfg.SnapshotEvery > 0 && time.Since(t.lastSnapshot) >= t.cfg.SnapshotEvery {
				t.snapshot(ctx)
			}
		}
		skip = 0
		if !t.endEpoch(ctx, epoch, sums, &done) {
			return
		}
	}
	t.finish(ctx, done, start)
}

// openStream returns the stream of training batches and the epoch and the
// batch within it the run starts after. A resumed run replays the shuffles
// of the epochs done and skips the batches of its epoch done, so it sees
// the batches an unbroken run would (distortions are seeded per batch).
// The crew's other goroutines fill (and distort) the batches ahead between
// their jobs (Stream.Fill); the trainer fills one itself if none is ready.
func (t *Trainer) openStream() (s *dataset.Stream, first, skip int) {
	batcher := dataset.NewBatcher(t.train, t.cfg.Batch, true, t.cfg.Seed)
	batcher.Augment(t.cfg.Augment.Augmenter(t.cfg.Seed))
	first, skip = t.step/t.batches+1, t.step%t.batches
	for range first - 1 {
		batcher.Reset()
	}
	return dataset.NewStream(batcher, &t.scale, max(0, t.cfg.Epochs-first+1), skip), first, skip
}

// flowDue reports whether the coming step is one whose gradient flow is
// measured.
func (t *Trainer) flowDue() bool {
	return t.cfg.FlowEvery > 0 && (t.step+1)%t.cfg.FlowEvery == 0
}

// trainNext trains one step on the stream's next batch, with the flow meters
// on if measure, and returns the batch's summed loss, the images
// classified correctly and the batch size.
func (t *Trainer) trainNext(stream *dataset.Stream, measure bool) (loss float64, correct, n int) {
	x, y, n := stream.Next()
	t.last, t.lastN = batchBuf{x: x, y: y}, n
	t.meter(measure)
	loss, correct = t.trainStep(x, y, n)
	t.meter(false)
	t.step++
	return loss, correct, n
}

// onNaN applies the NaN policy after a step whose loss is not finite: the
// run fails with a diagnosis, or (on_nan continue) goes on after a WentNaN
// sent once. It reports whether the run goes on.
func (t *Trainer) onNaN(ctx context.Context, epoch, b int) bool {
	if t.cfg.OnNaN != NaNContinue {
		t.emit(ctx, t.diagnose(epoch, b))
		return false
	}
	if t.wentNaN {
		return true
	}
	t.wentNaN = true
	return t.emit(ctx, WentNaN{Failed: t.explained(epoch, b)})
}

// epochAt is the run's position after batch b of epoch, in epochs.
func (t *Trainer) epochAt(epoch, b int) float64 {
	return float64(epoch-1) + float64(b)/float64(t.batches)
}

// epochSums are the running totals of an epoch's training batches.
type epochSums struct {
	start         time.Time
	pausedBefore  time.Duration // the run's pausedFor when the epoch started
	loss          float64       // summed per-image loss
	correct, seen int
}

func (e *epochSums) add(loss float64, correct, n int) {
	e.loss += loss
	e.correct += correct
	e.seen += n
}

// mean is the epoch's mean loss and accuracy so far.
func (e epochSums) mean() (loss, acc float64) {
	return e.loss / float64(e.seen), float64(e.correct) / float64(e.seen)
}

// tally counts a batch of n images for the images per second and keeps its
// mean loss and accuracy for the next Progress.
func (t *Trainer) tally(loss float64, correct, n int) {
	t.rate.add(n)
	t.pending = append(t.pending, loss/float64(n))
	t.pendingAcc = append(t.pendingAcc, float64(correct)/float64(n))
}

// finish sends Done, with the steps trained and the seconds since start.
func (t *Trainer) finish(ctx context.Context, done Done, start time.Time) {
	done.Step, done.Seconds = t.step, (time.Since(start) - t.pausedFor).Seconds()
	t.emit(ctx, done)
}

// emit sends ev, blocking until it is taken or ctx is done.
func (t *Trainer) emit(ctx context.Context, ev Event) bool {
	select {
	case t.events <- ev:
		return true
	case <-ctx.Done():
		return false
	}
}

// progress sends the pending batch losses after batch b of epoch, at most
// every 20 ms, and keeps them for later if the receiver is behind. The last
// batch of an epoch is always sent, blocking, so a view's progress ends on
// the true last batch. It reports false if ctx ended while it waited.
func (t *Trainer) progress(ctx context.Context, epoch, b int, sums epochSums, start time.Time) bool {
	now := time.Now()
	last := b == t.batches || t.paused // a paused run's batch (Advance) is always shown
	if !last && now.Sub(t.lastProgress) < 20*time.Millisecond {
		return true
	}
	// Leave room for the events that must not be dropped. Only Run's
	// goroutine sends, so once there is room the send below cannot block.
	if !last && len(t.events) >= cap(t.events)/2 {
		return true
	}
	loss, acc := sums.mean()
	ev := Progress{
		Epoch: epoch, Batch: b, Batches: t.batches, Step: t.step,
		Losses:    append([]float64(nil), t.pending...),
		Accs:      append([]float64(nil), t.pendingAcc...),
		LR:        float64(t.lr) * scheduleFactor(t.cfg.Schedule, t.step-1, t.cfg.Epochs*t.batches),
		TrainLoss: loss, TrainAcc: acc, ImagesPerSec: t.rate.perSecond(now), Elapsed: now.Sub(start) - t.pausedFor,
	}
	if !t.emit(ctx, ev) {
		return false
	}
	t.pending, t.pendingAcc = t.pending[:0], t.pendingAcc[:0]
	t.lastProgress = now
	return true
}

// outside runs f with the worker goroutines going, for a call before or
// after Run.
func (t *Trainer) outside(f func()) {
	t.startWorkers(nil)
	defer t.stopWorkers()
	f()
}

// startWorkers starts the crew's goroutines, which call idle (if not nil)
// between rounds.
func (t *Trainer) startWorkers(idle func() bool) { t.crew = newCrew(t.ws, idle) }

func (t *Trainer) stopWorkers() { t.crew.stop() }

// parallel runs job j over rows [0, n) of its x and y, split over the
// workers, and returns their summed loss and correct answers.
func (t *Trainer) parallel(n int, j job) (loss float64, correct int) {
	t.split(n, j)
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
	for i := range t.crew.jobs {
		j.lo, j.hi = min(i*per, n), min((i+1)*per, n)
		t.crew.jobs[i] = j
	}
	t.crew.run()
}

// trainStep trains on the first n images of x, (N, C, H, W), and y and returns the
// summed per-image loss and the number classified correctly. The gradients
// of the workers are summed into the master net's before the update.
func (t *Trainer) trainStep(x []float32, y []uint8, n int) (loss float64, correct int) {
	loss, correct = t.parallel(n, job{x: x, y: y, train: true, scale: t.stepScale(n), explain: !t.wentNaN})
	if !finite(loss) && t.cfg.OnNaN != NaNContinue {
		return loss, correct
	}
	t.upd = t.stepUpdate()
	t.split(len(t.net.w), job{update: &t.upd})
	return loss, correct
}

// stepUpdate is the parameter update of the coming step: its rate on the
// schedule, its weight decay and its 1-based step number.
func (t *Trainer) stepUpdate() update {
	return update{ws: t.ws, opt: t.opt, t: t.step + 1, decay: float32(t.cfg.WeightDecay),
		lr: t.lr * float32(scheduleFactor(t.cfg.Schedule, t.step, t.cfg.Epochs*t.batches))}
}

// stepScale multiplies the per-image loss gradients of a step on n images:
// 1/n for the mean loss, 1 for the sum.
func (t *Trainer) stepScale(n int) float32 {
	if t.cfg.Reduction == ReduceMean {
		return 1 / float32(n)
	}
	return 1
}

// rateMeter measures images per second over roughly the last second.
type rateMeter struct {
	since  time.Time
	images int
	last   float64
}

func (r *rateMeter) add(n int) {
	if r.since.IsZero() {
		r.since = time.Now()
	}
	r.images += n
}

func (r *rateMeter) perSecond(now time.Time) float64 {
	if d := now.Sub(r.since); d >= time.Second || r.last == 0 && d > 100*time.Millisecond {
		r.last = float64(r.images) / d.Seconds()
		r.since, r.images = now, 0
	}
	return r.last
}
