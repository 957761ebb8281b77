// Package history keeps a training run: a run folder holds the resolved
// settings (settings.yaml, a config file `--config` reads back) and the
// run's events as JSON lines (history.jsonl): the losses and accuracies of
// every batch, each evaluation, activation and learning-rate switches,
// gradient flow, and the final result or failure. It is a third view of the
// trainer's event stream, beside the terminal UI and the plain-text view:
// Record copies the stream to a Writer on its way to the view. Read reads a
// folder back for plotting and comparing.
//
// # Invariants
//
// A record is written whole and flushed before the event is passed on, so a
// run stopped at any moment (Ctrl-C, a crash) leaves every record before the
// one in flight, each on its own line. Numbers that are not finite are
// written as null and read back as NaN. Snapshots (the probe's feature
// maps) are never written. The engine knows nothing of this package.
package history
