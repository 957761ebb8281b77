package engine

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// FuzzConvShape plans a convolution, then a pooling layer, of any sizes on
// any input: never a panic; when it plans, the shapes and counts follow the
// formulas and, when small, the net built from it runs forward and backward.
// A small, valid convolution always plans.
func FuzzConvShape(f *testing.F) {
	f.Add(1, 28, 28, 6, 5, "2", 2, false)
	f.Add(6, 14, 14, 16, 5, "valid", 2, true)
	f.Add(16, 5, 5, 120, 5, "", 1, false)
	f.Add(1, 12, 12, 4, 3, "same", 3, true)
	f.Add(3, 7, 9, 2, 4, "3", 4, true)
	f.Add(1, 28, 28, 6, 3, "2147483636", 2, false)
	f.Add(1, 28, 28, 1<<30, 1<<31, "-1", 0, false)
	f.Fuzz(func(t *testing.T, c, h, w, maps, k int, padding string, window int, ceil bool) {
		pool := LayerSpec{Name: "S", Kind: "pool", Pool: PoolMax, Kernel: window, Activation: "none"}
		if ceil {
			pool.Padding = "same"
		}
		spec := ArchSpec{Name: "fuzz", Layers: []LayerSpec{
			{Name: "C", Kind: "conv", Maps: maps, Kernel: k, Padding: padding},
			pool,
			{Name: "OUT", Kind: "dense", Units: 10},
		}}
		s := modern
		s.Batch = 2
		in := Shape{c, h, w}
		infos, err := Plan(spec, in, 10, s)
		pad, padOK := map[string]int{"": 0, "valid": 0}[padding], padding == "" || padding == "valid"
		if n, err := strconv.Atoi(padding); err == nil {
			pad, padOK = n, n >= 0 && n < k
		}
		if padding == "same" {
			pad, padOK = (k-1)/2, k%2 == 1
		}
		small := c >= 1 && c <= 8 && h >= 1 && h <= 32 && w >= 1 && w <= 32 && maps >= 1 && maps <= 8 && k >= 1 && k <= MaxKernel && padOK
		oh, ow := h+2*pad-k+1, w+2*pad-k+1
		win := window
		if win == 0 {
			win = 2 // the default
		}
		fits := win >= 1 && (win <= min(oh, ow) || ceil)
		if small && oh >= 1 && ow >= 1 && fits && win <= MaxKernel && err != nil {
			t.Fatalf("Plan(conv %d maps %d×%d pad %q, pool %d on %v) = %v; want it to plan", maps, k, k, padding, window, in, err)
		}
		if err != nil {
			return
		}
		conv := infos[0]
		params := maps * (c*k*k + 1)
		if n, err := strconv.Atoi(padding); err == nil && conv.Padding != strconv.Itoa(n) {
			t.Fatalf("Plan(conv pad %q) has padding %q, want %d", padding, conv.Padding, n)
		}
		if conv.Out != (Shape{maps, oh, ow}) || conv.Params != params || conv.Connections != params*oh*ow ||
			!strings.HasSuffix(conv.ParamsFormula, "="+Thousands(params)) || !strings.HasSuffix(conv.ConnectionsFormula, "="+Thousands(params*oh*ow)) {
			t.Fatalf("Plan(conv %d maps %d×%d pad %q on %v) = %+v; want %d@%d×%d, %d parameters, %d connections",
				maps, k, k, padding, in, conv, maps, oh, ow, params, params*oh*ow)
		}
		if p, _ := Totals(infos); p > 1<<16 || in.Size()+conv.Out.Size() > 1<<16 {
			return
		}
		net, err := Build(spec, in, 10, s)
		if err != nil {
			t.Fatalf("Plan() succeeded but Build() = %v", err)
		}
		rng := rand.New(rand.NewPCG(1, 2))
		logits := net.Forward(randn(rng, 2*in.Size(), 1), 2)
		if len(logits) != 20 {
			panic(fmt.Sprintf("Forward returned %d logits, want 20", len(logits)))
		}
		net.Backward(randn(rng, 20, 1))
	})
}
