package engine

// LayerInfo describes one block of a net for people: what it is, its shape
// and its counts, with the arithmetic behind them.
type LayerInfo struct {
	Name       string // "C1"
	Kind       string // "conv", "pool", "dense"
	Op         string // e.g. "conv 5×5, pad 2", "subsample 2×2", "max pool 2×2", "dense"
	In, Out    Shape
	Activation string // the activation applied after the op, "" for none
	Hidden     bool   // the activation follows the net's switchable hidden activation

	Params             int
	Connections        int
	ParamsFormula      string // "6×(5×5+1)=156"
	ConnectionsFormula string // "156×28×28=122,304"

	Kernel  int    // conv and pool window size; 0 for dense
	Padding string // conv: "valid", "same" or a number of pixels
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
