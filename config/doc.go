// Package config is lenet-tui's table of settings and the two ways to give
// them: config.yaml keys and command-line flags.
//
// Every setting is declared once, in table.go: its key, the flag spelled
// from it (init_std ↔ --init-std), a placeholder, its help and where its
// value lives in a Config. Defaults come from the architecture
// (engine.ArchSpec.Defaults). Resolve applies one order: the architecture's
// defaults, then the file, then the flags; when a flag picks another
// architecture than the file names, the file's hyper-parameters give way to
// that architecture's own defaults (its data settings stay). Values are
// parsed by one function whichever way they come, so a flag and a key accept
// exactly the same text, and one validation (engine.Settings.Check and the
// architecture's build) runs on the result.
//
// # Invariants
//
// Every problem is a *Error naming the key, where it was set (file and line,
// or flag) and what is wanted; nothing is recovered from message text. Keys
// are echoed as written only when printable, quoted otherwise. A config
// file is read up to 1 MiB, holds one YAML document and no aliases, so a
// small file cannot stand for a large one. A
// Config that Resolve returns builds and passes engine.Settings.Check. The
// package knows nothing of the terminal.
package config
