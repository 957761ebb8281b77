// Package runfolder makes, writes and reads run folders, the one thing a
// user keeps of a training run. A run folder holds the resolved
// settings (settings.yaml, a config file `--config` reads back) and the
// run's events as JSON lines (history.jsonl): the losses and accuracies of
// every batch, each evaluation, activation and learning-rate switches,
// gradient flow, and the final result or failure. It is a third view of the
// trainer's event stream, beside the terminal UI and the plain-text view:
// Record copies the stream to a Writer on its way to the view, and a
// Recorder does all of it for the runs of one command: it makes each run's
// folder under a parent (runs/), writes its settings and hands the view a
// Recorded trainer whose events are written on their way. Read reads a
// folder back for plotting and comparing.
//
// A run whose trainer sends Breakdowns also keeps, in embedding.jsonl, what
// the layer before the classifier (F6) makes of the first 1,000 test
// digits at each epoch's end: their classes once, then per epoch the 2-D
// PCA projection (what `plot` draws), never the 84 raw outputs. It is a
// file of its own rather than records in history.jsonl because it is
// derived (computed by the recorder, not an event the trainer sent), and
// because its lines are about 11 KB (a projection; the classes, written
// once, 2 KB) where every other record is under a few hundred bytes:
// history.jsonl stays a file to read with head or grep,
// compare reads the curves of many runs without parsing any embedding, and
// a lenet-tui from before it, whose reader refuses unknown records, still
// reads new folders. A folder without the file (an older run, a net of one
// block) plots its curves all the same; ReadEmbedding says it has none.
//
// # Invariants
//
// A record is written whole and flushed before the event is passed on, so a
// run stopped at any moment (Ctrl-C, a crash) leaves every record before the
// one in flight, each on its own line; the same holds for embedding.jsonl.
// Numbers that are not finite are written as null and read back as NaN.
// Snapshots (the probe's feature maps) are never written. Read and
// ReadEmbedding open only regular files, refuse a line longer than
// lenet-tui writes, and hold a bounded part of any file: a long history is
// thinned as it is read (each list at most a few thousand records, the
// first and last always among them; batches as means, Run.PointBatches
// each). File names and formats only grow: a folder kept by an older
// lenet-tui still reads. The engine knows nothing of this package, and it
// imports no view (tui, plain) and not config: a run's settings arrive as
// the YAML bytes to keep.
package runfolder
