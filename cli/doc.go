// Package cli is lenet-tui's command line: Run parses one command line and
// runs the command it names. A file per command group, so that the file
// list reads as the command list:
//
//	cli.go      Run, dispatch, the command table and each command's flags
//	usage.go    --help, --version, and error lines that stay one line
//	pipeline.go the one pipeline: load → trainer → run folder → view → wait
//	watch.go    the terminal UI (package tui), plain text without a terminal
//	train.go    plain-text training (package plain), --save at the end
//	summary.go  bench.go  config.go  eval.go  predict.go  plot.go  compare.go
//	signal.go   the first SIGINT, SIGTERM or SIGHUP stops a run after its batch
//
// The commands that train (the terminal UI, train, compare --config) share
// the pipeline: newPipeline loads the data, start makes a fresh trainer and
// keeps its run folder (package runfolder; none with --no-save), and show
// hands the events to a view and waits until the folder is written. The
// terminal UI calls start once per run, as it restarts.
//
// # Invariants
//
// Run never calls os.Exit: it returns the exit code, 0, or 1 for an error,
// whose line on stderr names the program once with its control characters
// escaped (predict writes a line before it for each other image it could
// not read), or 128 + the signal that interrupted a run. Text goes to the
// writers Run is given; the terminal UI opens only when stdout is a
// terminal that can draw it. A run kept in a run folder reaches its view
// only through the pipeline: every event but a snapshot is queued for the
// folder before the view gets it. Nothing imports this package but the
// binary's main.
package cli
