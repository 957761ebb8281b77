//go:build !race

package analysis_test

const raceOn = false
