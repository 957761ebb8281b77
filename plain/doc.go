// Package plain is lenet-tui's plain-text view: a training run as lines of
// text or JSON (one record a line), and the summary and benchmark tables. It
// reads the same engine events as the terminal UI (package tui), and gives
// advice in the terms of the command line: flags.
//
// # Invariants
//
// Output goes only to the writer it is given; a write error stops the run
// and is returned. JSON records never hold NaN or ±Inf (they become null),
// and a run always ends with its final record, even when it is interrupted
// before its first epoch.
// The package knows nothing of the terminal.
package plain
