package engine

import (
	"fmt"
	"strconv"
	"strings"
)

// LayerInfo describes one block of a net for people: what it is, its shape
// and its counts, with the arithmetic behind them.
type LayerInfo struct {
	Name       string // "C1"
	Kind       string // "conv", "pool", "dense"
	Op         string // e.g. "conv 5×5, pad 2", "subsample 2×2", "max pool 2×2", "dense"
	In, Out    Shape
	Activation Activation // the activation applied after the op, "" for none
	Hidden     bool       // the activation follows the net's switchable hidden activation

	Params             int
	Connections        int
	ParamsFormula      string // "6×(5×5+1)=156"
	ConnectionsFormula string // "156×28×28=122,304"

	// Field is the receptive field of one output value on the net's input
	// (LeNet-5: 5, 6, 14, 16 and 32 pixels wide from C1 to C5).
	Field Field

	Kernel  int    // conv and pool window size; 0 for dense
	Padding string // conv: "valid", "same" or a number of pixels
	Pool    string // pool: PoolMax, PoolAvg or PoolSubsample; "" for the other kinds
	// Table is the connection table of a partially connected convolution:
	// Table[i][j] is true when output map j reads input map i. Nil when full.
	Table [][]bool
	Note  string // anything a reader should know, e.g. how it differs from the 1998 paper
}

// Totals sums the counts of a net's blocks.
func Totals(infos []LayerInfo) (params, connections int) {
	for _, li := range infos {
		params += li.Params
		connections += li.Connections
	}
	return params, connections
}

// Summary formats the blocks as a table: name, kind, output shape, the
// receptive field on the input, params, connections and their formulas,
// then the totals.
func Summary(arch string, infos []LayerInfo) string {
	var sb strings.Builder
	aw := 8 // the act column: as wide as its widest name (scaled-tanh)
	for _, li := range infos {
		aw = max(aw, len(li.Activation))
	}
	fmt.Fprintf(&sb, "%-7s %-21s %-*s %-9s %-7s %8s %11s  %s\n", "layer", "op", aw, "act", "output", "field", "params", "connections", "arithmetic")
	for _, li := range infos {
		act := string(li.Activation)
		if act == "" {
			act = "-"
		}
		fmt.Fprintf(&sb, "%-7s %-21s %-*s %-9s %-7s %8s %11s  %s; %s\n", li.Name, li.Op, aw, act, li.Out, li.Field,
			Thousands(li.Params), Thousands(li.Connections), li.ParamsFormula, li.ConnectionsFormula)
	}
	p, c := Totals(infos)
	fmt.Fprintf(&sb, "%-7s %-21s %-*s %-9s %-7s %8s %11s\n", "total", arch, aw, "", "", "", Thousands(p), Thousands(c))
	for _, li := range infos {
		if li.Note != "" {
			fmt.Fprintf(&sb, "note: %s: %s\n", li.Name, li.Note)
		}
	}
	return sb.String()
}

// Thousands writes n with a comma every three digits: 122304 → "122,304",
// -1000 → "-1,000". It is the one such formatter of the program: the views
// count with it too.
func Thousands(n int) string {
	s := strconv.Itoa(n)
	digits := len(s)
	if n < 0 {
		digits--
	}
	for i := len(s) - 3; digits > 3; i -= 3 {
		s = s[:i] + "," + s[i:]
		digits -= 3
	}
	return s
}
