package engine

import "time"

// Event is a value the Trainer sends on its event channel. Every event is a
// plain value: slices in it are copies the receiver owns, never views of the
// trainer's buffers.
type Event interface{ isEvent() }

// Progress reports finished training batches. It is sent without blocking and
// coalesced: when the receiver is slow, the losses of the batches it missed
// accumulate in the next Progress, so no batch is lost from the history.
type Progress struct {
	Epoch   int       // 1-based
	Batch   int       // 1-based index of the last batch covered, within the epoch
	Batches int       // batches per epoch
	Step    int       // global 1-based step of the last batch covered
	Losses  []float64 // mean loss of each batch covered, oldest first; the first is step Step-len(Losses)+1
	Accs    []float64 // the fraction of each batch covered classified right, as Losses
	LR      float64   // the learning rate of the last batch covered, under the schedule
	// TrainLoss and TrainAcc are running means over the epoch so far.
	TrainLoss, TrainAcc float64
	ImagesPerSec        float64 // training throughput over the last second or so
	Elapsed             time.Duration
}

// EpochEnd reports a finished epoch with its evaluation on the test set.
// Losses are per image means; accuracies are fractions in [0, 1].
type EpochEnd struct {
	Epoch, Epochs       int
	Step                int // global step at the end of the epoch
	TrainLoss, TrainAcc float64
	TestLoss, TestAcc   float64
	Seconds             float64 // wall time of the epoch's training, evaluation excluded
	ImagesPerSec        float64
}

// Evaluation is a measurement on the first Images test images, sent every
// TrainConfig.EvalEvery of an epoch between the full evaluations of EpochEnd.
type Evaluation struct {
	Step              int     // global step it follows
	Epoch             float64 // epochs trained so far, e.g. 1.25
	Images            int     // test images measured
	TestLoss, TestAcc float64
}

// Snapshot is the probe digit seen through the network: the output maps of
// every block and the class probabilities, taken between two batches. The
// probe is a test image, or with Own an image of one's own (SetProbeImage).
type Snapshot struct {
	Step   int
	Probe  int       // index of the probe in the test set; −1 with Own
	Label  int       // its true class; −1 with Own
	Own    bool      // the probe is an image given by SetProbeImage, not a test image
	Input  []float32 // (H, W) as fed to the net, after scaling
	Blocks []BlockMaps
	Probs  []float32 // (classes) softmax of the output
	// Output says what the last block's Maps are: logits (softmax) or the
	// RBF units' penalties (rbf), whose softmax of −y Probs is.
	Output Output
	// Distorted is Input under each kind of augment (affine, elastic),
	// ProbeDraws draws each, the same for the same Step; nil for an input
	// of more than one channel.
	Distorted []Distortions
	// Grads is the probe taken backwards (backprobe.go); nil unless
	// TrainConfig.ProbeGradients.
	Grads *Gradients
}

// BlockMaps holds one block's output for the probe and what made it: the
// operation's parameters and geometry, so that any output value can be
// taken apart again (Snapshot.Explain) without the net.
type BlockMaps struct {
	Name    string
	Kind    string    // "conv", "pool" or "dense"
	In      Shape     // of the block's input: the net's input or the previous block's Maps
	Shape   Shape     // of Maps
	Maps    []float32 // (C, H, W), after the activation
	Kernels []float32 // (Cout, Cin, K, K); nil unless the block is a convolution
	KShape  [4]int    // Cout, Cin, K, K
	// Bias is a convolution's bias per output map, as the layer holds it,
	// a subsampling layer's bias per map or a dense layer's per unit; nil
	// for other layers.
	Bias  []float32
	Coef  []float32 // (C) a subsampling layer's trainable coefficients; nil otherwise
	Pad   int       // a convolution's zero padding on each side
	Pool  string    // a pooling layer's mode (PoolMax, PoolAvg, PoolSubsample)
	Size  int       // a pooling layer's window side, which is also its stride
	Table [][]bool  // a convolution's connection table (Cin, Cout); nil when full
	// Weights are a dense layer's weights (Out, In), its bias in Bias, or
	// the RBF output's fixed ±1 bitmaps (classes, 84); nil for other layers.
	Weights []float32
	// Activation is the function applied after the operation when the
	// snapshot was taken, "" for none.
	Activation Activation
}

// StateChanged reports pause and resume.
type StateChanged struct {
	Step   int
	Paused bool
}

// ActivationChanged reports that the hidden activation was switched; the
// first batch to use it is Step+1.
type ActivationChanged struct {
	Step       int
	Activation Activation
}

// PaceChanged reports a new pace (SetPace), in force from batch Step+1.
type PaceChanged struct {
	Step             int
	BatchesPerSecond float64 // 0: as fast as it goes
}

// LRChanged reports a new learning rate, in force from batch Step+1.
type LRChanged struct {
	Step int
	LR   float64
}

// Saved reports a checkpoint written for a Save command, or why it could
// not be.
type Saved struct {
	Step              int
	Path              string
	TestLoss, TestAcc float64 // of the saved weights on the whole test set
	Err               string  // "" when saved
}

// Done is the last event of a run that finished or was stopped.
type Done struct {
	Epochs            int // epochs completed
	Step              int
	TestLoss, TestAcc float64 // of the last evaluation; NaN if none
	Seconds           float64 // wall time of the whole run
	Stopped           bool    // true if a Stop command ended the run early
}

// Failed is the last event of a run that could not go on: a loss that turned
// NaN or infinite, or a panic in the trainer (a bug). It states facts (where,
// the cause and its numbers, the settings in force); String phrases them,
// and each view adds its own advice.
type Failed struct {
	Epoch, Batch, Step int
	Cause              Cause
	Layer              string  // CauseOverflow: the first block whose outputs were not finite
	Largest            float64 // CauseOverflow: the largest |value| of the block before it
	LogitSpan          float64 // the widest max − min of one image's logits (CauseLogZero, CauseLossOverflow)
	Panic              string  // CausePanic: the panic's message
	Log                string  // CausePanic: the file in os.TempDir holding the stack; "" if none could be made
	LogErr             string  // CausePanic: why the log file could not be written, if it could not
	// Settings of the run, with Activation and LR as in force when it failed.
	Settings Settings
}

// WentNaN reports the first batch whose loss was not finite in a run that
// goes on regardless (on_nan continue), with the same facts Failed would
// carry. The run then trains on NaN weights: every later loss is NaN and
// every image is answered class 0.
type WentNaN struct{ Failed }

// WeightExplained answers ExplainWeight: one weight's gradient taken
// apart by the chain rule on the probe and on the last training batch,
// beside the engine's backward value and a finite difference, and the
// step the run's optimiser would take with the batch's gradient. It is
// computed between batches, on a replica of the net that shares its
// weights (as they stand after step Step) and has gradients of its own.
type WeightExplained struct {
	Step   int
	Tensor string // as asked, e.g. "c3.weight"
	Index  []int
	// Probe is the gradient on the probe digit; ProbeIndex is its test
	// image, −1 for an image of one's own, whose label is the net's
	// answer (Guessed): it has no true class.
	Probe      WeightGrad
	ProbeIndex int
	Guessed    bool
	// Batch is the gradient on the last training batch (as distorted, the
	// trainer's reduction in δ), at the weights of now, not those the
	// batch was trained at; Batch.Images is 0 before the first step. Both
	// finite differences step by H = 1e-6·max(1, |w|), not the 1e-3 of
	// Net.WeightGradient: near a confident answer the gradient is tiny and
	// over many images a larger step crosses ReLU kinks.
	Batch WeightGrad
	// Next is the run's optimiser's step for this weight, from its live
	// state, at the learning rate in force for step Step+1, were the next
	// batch's gradient Batch.Grad (Probe.Grad before the first step).
	Next OptimizerStep
	Err  string // the weight could not be explained (no such tensor, no connection): why; the rest is zero
}

func (WentNaN) isEvent()           {}
func (Progress) isEvent()          {}
func (EpochEnd) isEvent()          {}
func (Evaluation) isEvent()        {}
func (Flow) isEvent()              {}
func (Breakdown) isEvent()         {}
func (Snapshot) isEvent()          {}
func (StateChanged) isEvent()      {}
func (ActivationChanged) isEvent() {}
func (LRChanged) isEvent()         {}
func (PaceChanged) isEvent()       {}
func (Saved) isEvent()             {}
func (Done) isEvent()              {}
func (WeightExplained) isEvent()   {}
func (Failed) isEvent()            {}

// Command is a request to a running Trainer. Commands are applied between
// batches, in the order sent.
type Command interface{ isCommand() }

// Pause stops training after the current batch until Resume.
type Pause struct{}

// Resume continues a paused run.
type Resume struct{}

// SetActivation switches every hidden activation of the net; weights are kept.
type SetActivation struct{ Name Activation }

// SetLR sets the optimiser's learning rate.
type SetLR struct{ LR float64 }

// SetProbe picks the test image shown in snapshots and sends a Snapshot.
type SetProbe struct{ Index int }

// SetProbeImage makes an image of one's own the probe shown in snapshots
// (see Trainer.ProbeImage), until a SetProbe, and sends a Snapshot:
// Pixels (H, W) as the dataset's bytes, 0 background, such as package
// digit prepares. They become the trainer's: the sender must not change
// them after sending. Pixels of another size than the net's input are
// ignored.
type SetProbeImage struct{ Pixels []uint8 }

// TakeSnapshot asks for a Snapshot of the current probe.
type TakeSnapshot struct{}

// Save writes a checkpoint of the run as it stands to Path (see
// Trainer.Save); a Saved event follows.
type Save struct{ Path string }

// Stop ends the run after the current batch; Done follows with Stopped set.
type Stop struct{}

// Advance trains Batches more batches of a paused run, then it stays
// paused: one batch at a time, for a class to follow. Ignored unless
// paused.
type Advance struct{ Batches int }

// SetPace slows training to at most BatchesPerSecond, so that a class can
// follow it; 0 is as fast as it goes. PaceChanged follows.
type SetPace struct{ BatchesPerSecond float64 }

// ExplainWeight asks for one weight's gradient and step: Tensor[Index],
// Tensor a checkpoint name (TensorName). A WeightExplained follows. The
// sender must not change Index after sending.
type ExplainWeight struct {
	Tensor string
	Index  []int
}

func (ExplainWeight) isCommand() {}
func (Pause) isCommand()         {}
func (Resume) isCommand()        {}
func (SetActivation) isCommand() {}
func (SetLR) isCommand()         {}
func (SetProbe) isCommand()      {}
func (SetProbeImage) isCommand() {}
func (TakeSnapshot) isCommand()  {}
func (Save) isCommand()          {}
func (Stop) isCommand()          {}
func (Advance) isCommand()       {}
func (SetPace) isCommand()       {}
