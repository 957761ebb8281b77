//go:build !race

package dconv

const raceEnabled = false
