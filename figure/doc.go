// Package figure draws run folders (package runfolder) as a PNG with
// gonum.org/v1/plot: the loss on a log scale and the accuracy, both against
// epochs trained, side by side, each run in a colour and dash pattern of
// its own (54 styles before they repeat), a triangle on its line where it
// was switched, and a legend below them naming each run by what differs
// between them — the 2017 note's last figure, for runs kept by lenet-tui.
//
// # Invariants
//
// The runs given are never modified. Points that are not finite (a loss
// that turned NaN) are left out, never drawn at 0; a run with no points
// keeps its legend entry, which says how it ended. The loss axis is
// logarithmic whenever there is a positive loss to draw.
package figure
