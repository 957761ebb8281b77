package runfolder

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/lenet-tui/lenet-tui/engine"
)

// File names inside a run folder.
const (
	SettingsFile = "settings.yaml"
	HistoryFile  = "history.jsonl"
)

// NewDir makes a fresh run folder under parent, named after the time, the
// architecture and the hidden activation: runs/20261130-115314-lenet5-relu.
// A name already taken gets a suffix (-2, -3, …), so runs started within
// the same second each have their own.
func NewDir(parent string, now time.Time, arch string, act engine.Activation) (string, error) {
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", fmt.Errorf("run folder: %w", err)
	}
	base := filepath.Join(parent, fmt.Sprintf("%s-%s-%s", now.Format("20060102-150405"), safeName(arch), safeName(string(act))))
	dir := base
	for i := 2; ; i++ {
		err := os.Mkdir(dir, 0o755)
		if err == nil {
			return dir, nil
		}
		if !errors.Is(err, fs.ErrExist) || i > 1000 {
			return "", fmt.Errorf("run folder: %w", err)
		}
		dir = fmt.Sprintf("%s-%d", base, i)
	}
}

// safeName keeps letters, digits, - and _ of s, for a folder name.
func safeName(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			b[i] = '_'
		}
	}
	return string(b)
}

// Writer writes one run's history.jsonl, a record a line, each flushed as
// it is written, and its embedding.jsonl. It keeps the first error; later writes do nothing.
type Writer struct {
	dir string
	f   *os.File
	w   *bufio.Writer
	emb embedder // embedding.jsonl, made at the first full evaluation
	err error
	// what an end record needs when the trainer sends none (its context
	// was cancelled: the terminal UI quit)
	ended bool
	last  End
}

// Create writes settings (a config file) into dir as settings.yaml, opens
// dir's history.jsonl and writes its first record, the run as configured.
func Create(dir string, settings []byte, info engine.RunInfo, now time.Time) (*Writer, error) {
	if err := os.WriteFile(filepath.Join(dir, SettingsFile), settings, 0o644); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(dir, HistoryFile), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, err
	}
	w := &Writer{dir: dir, f: f, w: bufio.NewWriter(f), last: End{Type: "stopped", TestLoss: Float(math.NaN()), TestAcc: Float(math.NaN())},
		emb: embedder{path: filepath.Join(dir, EmbeddingFile)}}
	w.put(Start{Type: "start", Time: now.UTC().Format(time.RFC3339), Dataset: info.Dataset, Arch: info.Arch,
		Activation: string(info.Activation), Optimizer: info.Optimizer.String(), Loss: info.Loss.String(),
		Schedule: info.Schedule.String(), LR: Float(info.LR), Batch: info.Batch, Epochs: info.Epochs,
		TrainImages: info.TrainCount, TestImages: info.TestCount, Classes: info.Classes})
	if w.err != nil {
		f.Close()
		return nil, w.err
	}
	return w, nil
}

// Dir is the run folder.
func (w *Writer) Dir() string { return w.dir }

// Write appends the record of ev, if it has one (snapshots and pauses have
// none), and flushes it to the file; a Breakdown of the whole test set adds
// its embedding's projection to embedding.jsonl.
func (w *Writer) Write(ev engine.Event) error {
	if b, ok := wantsEmbedding(ev); ok && w.err == nil {
		if err := w.emb.write(b); err != nil {
			w.err = fmt.Errorf("%s: %w", w.emb.path, err)
		}
	}
	switch ev := ev.(type) {
	case engine.Progress:
		w.last.Step = ev.Step
	case engine.EpochEnd:
		w.last.Step, w.last.Epochs, w.last.TestLoss, w.last.TestAcc = ev.Step, ev.Epoch, Float(ev.TestLoss), Float(ev.TestAcc)
	case engine.Done, engine.Failed:
		w.ended = true
	}
	if r := recordOf(ev); r != nil {
		w.put(r)
	}
	return w.err
}

// put writes r as a line and flushes it.
func (w *Writer) put(r any) {
	if w.err != nil {
		return
	}
	b, err := json.Marshal(r)
	if err != nil {
		panic("runfolder: " + err.Error()) // every record type marshals
	}
	w.w.Write(append(b, '\n'))
	if err := w.w.Flush(); err != nil {
		w.err = fmt.Errorf("%s: %w", filepath.Join(w.dir, HistoryFile), err)
	}
}

// Close writes a "stopped" end record if the run sent no end (it was
// cancelled), closes the file and returns the first error of the writer's
// life.
func (w *Writer) Close() error {
	if !w.ended {
		w.put(w.last)
	}
	if err := w.f.Close(); err != nil && w.err == nil {
		w.err = err
	}
	if err := w.emb.close(); err != nil && w.err == nil {
		w.err = err
	}
	return w.err
}

// Record passes every event of in on to the channel it returns and has w
// write each; once in is closed and every event is written, it closes w,
// sends Close's error (nil when all went well) on errc, and closes out. out
// has in's capacity, so the view can still take every pending event at
// once. A write error stops the writing, never the events.
//
// Forwarding and writing are two goroutines: the one between the trainer
// and the view never waits for the disk (a write is a system call, and
// under a loaded CPU a goroutine back from one can wait for a thread long
// enough to put the screen frames behind the trainer).
func Record(w *Writer, in <-chan engine.Event, capacity int) (out <-chan engine.Event, errc <-chan error) {
	o := make(chan engine.Event, capacity)
	e := make(chan error, 1)
	queue := make(chan engine.Event, 4096)
	written := make(chan struct{})
	go func() {
		for ev := range queue {
			w.Write(ev)
		}
		close(written)
	}()
	go func() {
		for ev := range in {
			if _, big := ev.(engine.Snapshot); !big {
				queue <- ev
			}
			o <- ev
		}
		close(queue)
		<-written
		e <- w.Close()
		close(o)
	}()
	return o, e
}

// Float is a number that is written as null when it is NaN or infinite,
// and read back from null as NaN.
type Float float64

// MarshalJSON writes f, or null when f is not finite.
func (f Float) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, v, 'g', -1, 64), nil
}

// UnmarshalJSON reads a number, or null as NaN.
func (f *Float) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = Float(math.NaN())
		return nil
	}
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("want a number or null, got %.20s", b)
	}
	*f = Float(v)
	return nil
}

func floats(xs []float64) []Float {
	out := make([]Float, len(xs))
	for i, x := range xs {
		out[i] = Float(x)
	}
	return out
}
