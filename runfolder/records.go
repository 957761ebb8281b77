package runfolder

import (
	"math"

	"github.com/lenet-tui/lenet-tui/engine"
)

// The records of history.jsonl, one a line, told apart by "type". Steps are
// global 1-based batch numbers; epochs are 1-based, or fractional (1.25) for
// positions within the run; losses are per-image means and accuracies
// fractions in [0, 1].

// Start is the first record: the run as configured.
type Start struct {
	Type        string `json:"type"` // "start"
	Time        string `json:"time"` // RFC 3339, UTC
	Dataset     string `json:"dataset"`
	Arch        string `json:"arch"`
	Activation  string `json:"activation"`
	Optimizer   string `json:"optimizer"`
	Loss        string `json:"loss"`
	Schedule    string `json:"schedule"`
	LR          Float  `json:"lr"`
	Batch       int    `json:"batch"`
	Epochs      int    `json:"epochs"`
	TrainImages int    `json:"train_images"`
	TestImages  int    `json:"test_images"`
	// Classes are the classes' names by index (engine.RunInfo.Classes);
	// absent in folders kept before them.
	Classes []string `json:"classes,omitempty"`
}

// Batches is the loss and accuracy of each batch from step First on, as
// the trainer reported them together.
type Batches struct {
	Type            string  `json:"type"` // "batches"
	First           int     `json:"first_step"`
	BatchesPerEpoch int     `json:"batches_per_epoch"`
	Losses          []Float `json:"losses"`
	Accs            []Float `json:"accs"`
	LR              Float   `json:"lr"` // in force for the last of them
}

// Eval is a measurement on the first Images test images, between epochs.
type Eval struct {
	Type     string `json:"type"` // "eval"
	Step     int    `json:"step"`
	Epoch    Float  `json:"epoch"`
	Images   int    `json:"images"`
	TestLoss Float  `json:"test_loss"`
	TestAcc  Float  `json:"test_acc"`
}

// Epoch is an epoch's end with the full test set.
type Epoch struct {
	Type         string `json:"type"` // "epoch"
	Epoch        int    `json:"epoch"`
	Step         int    `json:"step"`
	TrainLoss    Float  `json:"train_loss"`
	TrainAcc     Float  `json:"train_acc"`
	TestLoss     Float  `json:"test_loss"`
	TestAcc      Float  `json:"test_acc"`
	Seconds      Float  `json:"seconds"`
	ImagesPerSec Float  `json:"img_s"`
}

// NaN is the first batch whose loss turned NaN in a run that went on
// regardless (on_nan continue); its later losses are null.
type NaN struct {
	Type    string `json:"type"` // "nan"
	Epoch   int    `json:"epoch"`
	Batch   int    `json:"batch"`
	Step    int    `json:"step"`
	Cause   string `json:"cause,omitempty"` // overflow, log-zero, loss-overflow
	Message string `json:"message"`         // what happened, in words
}

// Switch is a change made while the run trained, in force from step Step+1:
// the hidden activation, or the learning rate.
type Switch struct {
	Type       string `json:"type"` // "activation" or "lr"
	Step       int    `json:"step"`
	Activation string `json:"activation,omitempty"`
	LR         Float  `json:"lr,omitempty"`
}

// Flow is the gradient flow and unit health of each block at step Step.
type Flow struct {
	Type   string      `json:"type"` // "flow"
	Step   int         `json:"step"`
	Epoch  Float       `json:"epoch"`
	Layers []LayerFlow `json:"layers"`
}

// LayerFlow is one block's line of a Flow (see engine.LayerFlow).
//
// Run folders written before dead maps were told from silent positions
// have "dead" for what is now "silent" (the share of positions 0 on every
// image) and no dead maps: read, their Silent is that share and Maps is 0.
type LayerFlow struct {
	Name         string `json:"name"`
	Activation   string `json:"activation,omitempty"`
	GradRMS      Float  `json:"grad_rms"`
	InputGradRMS Float  `json:"input_grad_rms"`
	Saturated    Float  `json:"saturated"`
	DeadMapCount int    `json:"dead_maps"` // of Maps (relu; both 0 otherwise)
	Maps         int    `json:"maps"`
	Silent       Float  `json:"silent"` // the share of positions silent (relu)
}

// UnmarshalJSON reads a LayerFlow, new or old (see LayerFlow), as strictly
// as every record.
func (l *LayerFlow) UnmarshalJSON(b []byte) error {
	type fields LayerFlow // without this method
	v := struct {
		fields
		Dead *Float `json:"dead"` // the old name of silent
	}{fields: fields{Silent: Float(math.NaN())}}
	if err := strictDecode(b, &v); err != nil {
		return err
	}
	*l = LayerFlow(v.fields)
	if v.Dead != nil && math.IsNaN(float64(l.Silent)) {
		l.Silent = *v.Dead
	}
	return nil
}

// End is the last record: the run finished, was stopped, or failed.
type End struct {
	Type     string `json:"type"` // "done", "stopped" or "failed"
	Epochs   int    `json:"epochs,omitempty"`
	Epoch    int    `json:"epoch,omitempty"` // failed: where
	Batch    int    `json:"batch,omitempty"` // failed: where
	Step     int    `json:"step"`
	TestLoss Float  `json:"test_loss"`
	TestAcc  Float  `json:"test_acc"`
	Seconds  Float  `json:"seconds,omitempty"`
	Cause    string `json:"cause,omitempty"`   // failed: overflow, log-zero, loss-overflow, panic
	Message  string `json:"message,omitempty"` // failed: what happened, in words
}

var causes = map[engine.Cause]string{
	engine.CauseOverflow: "overflow", engine.CauseLogZero: "log-zero",
	engine.CauseLossOverflow: "loss-overflow", engine.CausePanic: "panic",
}

// recordOf is the record of ev; nil for events the history leaves out
// (snapshots, pause and resume).
func recordOf(ev engine.Event) any {
	switch ev := ev.(type) {
	case engine.Progress:
		if len(ev.Losses) == 0 {
			return nil
		}
		return Batches{Type: "batches", First: ev.Step - len(ev.Losses) + 1, BatchesPerEpoch: ev.Batches,
			Losses: floats(ev.Losses), Accs: floats(ev.Accs), LR: Float(ev.LR)}
	case engine.Evaluation:
		return Eval{Type: "eval", Step: ev.Step, Epoch: Float(ev.Epoch), Images: ev.Images,
			TestLoss: Float(ev.TestLoss), TestAcc: Float(ev.TestAcc)}
	case engine.EpochEnd:
		return Epoch{Type: "epoch", Epoch: ev.Epoch, Step: ev.Step, TrainLoss: Float(ev.TrainLoss), TrainAcc: Float(ev.TrainAcc),
			TestLoss: Float(ev.TestLoss), TestAcc: Float(ev.TestAcc), Seconds: Float(ev.Seconds), ImagesPerSec: Float(ev.ImagesPerSec)}
	case engine.ActivationChanged:
		return Switch{Type: "activation", Step: ev.Step, Activation: string(ev.Activation)}
	case engine.LRChanged:
		return Switch{Type: "lr", Step: ev.Step, LR: Float(ev.LR)}
	case engine.Flow:
		f := Flow{Type: "flow", Step: ev.Step, Epoch: Float(ev.Epoch), Layers: make([]LayerFlow, len(ev.Layers))}
		for i, l := range ev.Layers {
			f.Layers[i] = LayerFlow{Name: l.Name, Activation: string(l.Activation), GradRMS: Float(l.GradRMS),
				InputGradRMS: Float(l.InputGradRMS), Saturated: Float(l.Saturated),
				DeadMapCount: l.DeadMapCount, Maps: l.Maps, Silent: Float(l.Silent)}
		}
		return f
	case engine.Done:
		typ := "done"
		if ev.Stopped {
			typ = "stopped"
		}
		return End{Type: typ, Epochs: ev.Epochs, Step: ev.Step, TestLoss: Float(ev.TestLoss), TestAcc: Float(ev.TestAcc), Seconds: Float(ev.Seconds)}
	case engine.WentNaN:
		return NaN{Type: "nan", Epoch: ev.Epoch, Batch: ev.Batch, Step: ev.Step, Cause: causes[ev.Cause], Message: ev.String()}
	case engine.Failed:
		return End{Type: "failed", Epoch: ev.Epoch, Batch: ev.Batch, Step: ev.Step, TestLoss: Float(math.NaN()), TestAcc: Float(math.NaN()),
			Cause: causes[ev.Cause], Message: ev.String()}
	}
	return nil
}
