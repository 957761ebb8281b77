package tui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lenet-tui/lenet-tui/engine"
)

// explain says in one or two plain sentences what block i of infos
// computes and what its outputs show, for a student: "C1 slides 6 kernels
// of 5×5 over …". Every number in it is read from the engine's LayerInfo
// of the block (or of the block before it, which it reads), never written
// here; act is the activation that follows the block's op ("none" for
// none) and out the net's output units (the paper's RBF units or logits).
func explain(infos []engine.LayerInfo, i int, act string, out engine.Output) string {
	if i < 0 || i >= len(infos) {
		return ""
	}
	li := infos[i]
	then := ""
	if act != "" && act != "none" {
		then = ", then " + act
	}
	last := i == len(infos)-1
	switch {
	case li.Kind == "conv" && li.Out.H == 1 && li.Out.W == 1 && li.Kernel == li.In.H && li.Kernel == li.In.W:
		return explainWholeConv(li, source(infos, i), then)
	case li.Kind == "conv":
		return explainConv(li, source(infos, i), then)
	case li.Kind == "pool":
		return explainPool(li, source(infos, i), act, then)
	case li.Kind == "dense" && last && out == engine.OutputRBF:
		bitmap := strings.TrimSuffix(strings.TrimPrefix(li.Op, "rbf "), " bitmaps") // "7×12"
		return fmt.Sprintf("%s compares %s with %d fixed bitmaps of ±1 (%s), one per digit: each unit is the squared distance Σ(x−w)² to its bitmap, with no trained weight. The smallest distance is the answer.",
			li.Name, valuesOf(infos, i), li.Out.Size(), bitmap)
	case li.Kind == "dense" && last:
		return fmt.Sprintf("%s has %d units, each a weighted sum of all %s plus a bias%s: the logits, one per class. Softmax turns them into the probabilities of the Probe panel; the largest is the answer.",
			li.Name, li.Out.Size(), valuesOf(infos, i), then)
	case li.Kind == "dense":
		return fmt.Sprintf("%s has %d units, each a weighted sum of all %s plus a bias%s. Its %d values are no longer maps but a code for the digit that the next layer reads.",
			li.Name, li.Out.Size(), valuesOf(infos, i), then, li.Out.Size())
	case li.Kind == "pad":
		next := "the next layer"
		if !last {
			next = infos[i+1].Name
		}
		return fmt.Sprintf("%s puts the %d×%d image in a %d×%d field, %s pixels of background on each side, so that %s can see strokes at the edge whole. It learns nothing.",
			li.Name, li.In.H, li.In.W, li.Out.H, li.Out.W, li.Padding, next)
	}
	return ""
}

// explainConv is a convolution over maps: its kernels, the padding and, for
// a partial one, its connection table.
func explainConv(li engine.LayerInfo, src, then string) string {
	padded := li.Out.H + li.Kernel - 1 // stride 1: the output is the padded input less the kernel
	var geom string
	switch pad := (padded - li.In.H) / 2; {
	case pad > 0 && li.Out.H == li.In.H && li.Out.W == li.In.W:
		geom = fmt.Sprintf(", padded with %d pixels of zeros to %d×%d so that its maps stay %d×%d", pad, padded, li.Out.W+li.Kernel-1, li.Out.H, li.Out.W)
	case pad > 0:
		geom = fmt.Sprintf(", padded with %d pixels of zeros to %d×%d, giving maps of %d×%d", pad, padded, li.Out.W+li.Kernel-1, li.Out.H, li.Out.W)
	default:
		geom = fmt.Sprintf(" with no padding, so that its maps shrink to %d×%d", li.Out.H, li.Out.W)
	}
	s := fmt.Sprintf("%s slides %d kernels of %d×%d over %s%s.", li.Name, li.Out.C, li.Kernel, li.Kernel, src, geom)
	if li.Table != nil {
		return s + fmt.Sprintf(" By its connection table, %s: each map sums %d×%d patches of its own set of input maps plus a bias%s, and shows where that combination of features is.",
			tableReads(li.Table), li.Kernel, li.Kernel, then)
	}
	if li.In.C > 1 {
		return s + fmt.Sprintf(" Each value is a weighted sum of a %d×%d patch of all %d input maps plus a bias%s; each map shows where its kernel's pattern is.",
			li.Kernel, li.Kernel, li.In.C, then)
	}
	return s + fmt.Sprintf(" Each value is a weighted sum of a %d×%d patch plus a bias%s; each map shows where its kernel's pattern is.", li.Kernel, li.Kernel, then)
}

// explainWholeConv is a convolution whose kernels are as large as its
// input: a dense layer in the form of a convolution (LeNet-5's C5).
func explainWholeConv(li engine.LayerInfo, src, then string) string {
	return fmt.Sprintf("%s has %d kernels of %d×%d×%d, each as large as %s, so each of its %d units sums all %d×%d×%d values plus a bias%s: a dense layer written as a convolution. Its output is %d values, no longer maps.",
		li.Name, li.Out.C, li.In.C, li.Kernel, li.Kernel, src, li.Out.C, li.In.C, li.In.H, li.In.W, then, li.Out.C)
}

// explainPool is a pooling layer: LeNet's trained subsampling, max or
// average.
func explainPool(li engine.LayerInfo, src, act, then string) string {
	k := li.Kernel
	edge := ""
	if li.Padding == "same" && (li.In.H%k != 0 || li.In.W%k != 0) {
		edge = " (a part-field at the edge counts too)"
	}
	maps := fmt.Sprintf("%d maps of %d×%d", li.Out.C, li.Out.H, li.Out.W)
	switch li.Pool {
	case engine.PoolSubsample:
		s := fmt.Sprintf("%s sums each %d×%d field of %s%s, times one trained coefficient per map, plus a bias%s: %s, smaller and blurrier.",
			li.Name, k, k, src, edge, then, maps)
		switch engine.Activation(act) {
		case engine.Sigmoid, engine.Tanh, engine.ScaledTanh:
			// the coefficient sets how far f(c·Σx + b) bends (engine.Reading)
			return s + " A small coefficient keeps a map a blur, a large one makes a threshold of it (k shows each map's)."
		}
		return s + " k shows each map's coefficient and what it makes of its field."
	case engine.PoolMax:
		return fmt.Sprintf("%s keeps the largest value of each %d×%d field of %s%s%s: %s with no weights, saying that a feature is near there rather than exactly where.",
			li.Name, k, k, src, edge, then, maps)
	case engine.PoolAvg:
		return fmt.Sprintf("%s averages each %d×%d field of %s%s%s: %s with no weights, smaller and blurrier.",
			li.Name, k, k, src, edge, then, maps)
	}
	return ""
}

// source names what block i reads: "the 28×28 input", "S2's 6 maps of
// 14×14".
func source(infos []engine.LayerInfo, i int) string {
	in := infos[i].In
	if i == 0 {
		if in.C == 1 {
			return fmt.Sprintf("the %d×%d input", in.H, in.W)
		}
		return fmt.Sprintf("the input's %d maps of %d×%d", in.C, in.H, in.W)
	}
	if in.C == 1 {
		return fmt.Sprintf("%s's %d×%d map", infos[i-1].Name, in.H, in.W)
	}
	return fmt.Sprintf("%s's %d maps of %d×%d", infos[i-1].Name, in.C, in.H, in.W)
}

// valuesOf is what a dense block i reads: "120 values of C5", "16×5×5
// values of S4".
func valuesOf(infos []engine.LayerInfo, i int) string {
	in := infos[i].In
	from := "the input"
	if i > 0 {
		from = infos[i-1].Name
	}
	if in.H == 1 && in.W == 1 {
		return fmt.Sprintf("%d values of %s", in.C, from)
	}
	return fmt.Sprintf("%d×%d×%d=%s values of %s", in.C, in.H, in.W, engine.Thousands(in.Size()), from)
}

// tableReads says how many input maps the output maps of a connection
// table read: "6 maps read 3 of the 6 input maps, 9 read 4 and 1 reads all
// 6". table[i][j] is true when output map j reads input map i.
func tableReads(table [][]bool) string {
	if len(table) == 0 {
		return ""
	}
	n := map[int]int{} // inputs read → output maps that read so many
	for j := range table[0] {
		k := 0
		for i := range table {
			if table[i][j] {
				k++
			}
		}
		n[k]++
	}
	var ks []int
	for k := range n {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	var parts []string
	for x, k := range ks {
		verb := "read"
		if n[k] == 1 {
			verb = "reads"
		}
		what := fmt.Sprint(k)
		if k == len(table) {
			what = fmt.Sprintf("all %d", k)
		}
		if x == 0 {
			mapWord := "maps"
			if n[k] == 1 {
				mapWord = "map"
			}
			what += fmt.Sprintf(" of the %d input maps", len(table))
			parts = append(parts, fmt.Sprintf("%d %s %s %s", n[k], mapWord, verb, what))
			continue
		}
		parts = append(parts, fmt.Sprintf("%d %s %s", n[k], verb, what))
	}
	switch len(parts) {
	case 1:
		return parts[0]
	case 2:
		return parts[0] + " and " + parts[1]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}
