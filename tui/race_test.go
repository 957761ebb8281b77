//go:build race

package tui

// raceOn: the race detector slows training about tenfold; the tests that
// train real runs for seconds skip under it, and .ci/run runs them without.
const raceOn = true
