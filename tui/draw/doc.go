// Package draw is how lenet-tui puts numbers on a terminal: charts, axes,
// heatmaps and text cut to a width. It knows nothing of training; the
// panels of package tui translate the trainer's events into what to draw
// here.
//
// plot.go draws a Plot: series as braille lines or glyphs against an x
// axis from 0 in whole units (epochs), on an ntcharts canvas, with y
// labels, vertical marks merged by column and labelled where they hide no
// data, and the unit boundaries in the cells left empty. ticks.go chooses
// the axes' scales and ticks (1-2-5 steps, linear or log). legend.go lays
// out a legend in the first of several wordings that fits. heatmap.go
// draws values as coloured half blocks (two pixels a cell) on the viridis
// or a diverging scale, or as a character ramp without colour (NO_COLOR).
// text.go fits text to cells: cut, padded, or the first variant that fits.
//
// # Invariants
//
// Package draw imports the standard library and Charm's packages only,
// never another package of lenet-tui. Everything is a function of its
// arguments: there is no package-level mutable state, input slices are
// never modified, and a drawing w cells wide is never wider (Plot.Draw
// and Fit return at most w cells a line; Palette.Render exactly cols).
// Labels are chosen from the variants given (Pick, PickJoined, Legend,
// a mark's labels), not cut; only Fit, Truncate and a legend whose every
// wording is too wide cut text, and they end a cut with '…'.
package draw
