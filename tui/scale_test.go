package tui

import (
	"testing"

	"github.com/lenet-tui/lenet-tui/engine"
	"github.com/lenet-tui/lenet-tui/tui/draw"
)

// TestMapScales checks the value → shade mapping of each scale mode on
// hand-worked numbers, through the NO_COLOR ramp " .:-=+*#%@" (10 steps):
// a value v on lo..hi takes step ⌊10·(v−lo)/(hi−lo)⌋, the top one at hi.
func TestMapScales(t *testing.T) {
	layer := []float32{0, 0.2, 0.3, 0.4, 0.8} // a block's values; the map is 0.2, 0.3, 0.4
	one := layer[1:4]
	saturated := []float32{0.99, 0.99, 0.99} // a sigmoid map stuck near 1
	tests := []struct {
		name   string
		mode   scaleMode
		act    engine.Activation
		layer  []float32
		one    []float32
		v      float64
		lo, hi float64
		want   byte
	}{
		// its own 0.2..0.4: 0.31 is 0.55 of the way, step 5.
		{"per map", scalePerMap, engine.ReLU, layer, one, 0.31, 0.2, 0.4, '+'},
		// the layer's 0..0.8: 0.3 is 3/8 of the way, step 3.
		{"per layer", scalePerLayer, engine.ReLU, layer, one, 0.3, 0, 0.8, '-'},
		// ReLU's [0, the layer's largest]: as per layer here.
		{"absolute relu", scaleAbsolute, engine.ReLU, layer, one, 0.3, 0, 0.8, '-'},
		// the sigmoid's [0, 1]: 0.3 is step 3.
		{"absolute sigmoid", scaleAbsolute, engine.Sigmoid, layer, one, 0.3, 0, 1, '-'},
		// a saturated sigmoid map is flat on its own range: blank…
		{"saturated, per map", scalePerMap, engine.Sigmoid, saturated, saturated, 0.99, 0.99, 0.99, ' '},
		// …and at the top of the sigmoid's: 9.9 → step 9.
		{"saturated, absolute", scaleAbsolute, engine.Sigmoid, saturated, saturated, 0.99, 0, 1, '@'},
		// tanh's [−1, 1]: 0 is halfway.
		{"absolute tanh", scaleAbsolute, engine.Tanh, layer, one, 0, -1, 1, '+'},
		// the scaled tanh's ±1.7159: 1 is (1+1.7159)/3.4318 = 0.79 of the way, step 7.
		{"absolute scaled tanh", scaleAbsolute, engine.ScaledTanh, layer, one, 1, -1.7159, 1.7159, '#'},
		// a dead ReLU map (all 0) under a live layer's [0, 0.8]: blank.
		{"dead relu, absolute", scaleAbsolute, engine.ReLU, layer, []float32{0, 0, 0}, 0, 0, 0.8, ' '},
		// no activation has no range of its own: the layer's.
		{"absolute, none", scaleAbsolute, "", layer, one, 0.8, 0, 0.8, '@'},
	}
	pal := asciiStyles().heat
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lo, hi := mapRange(tt.mode, tt.act, tt.layer, tt.one)
			if !near(lo, tt.lo) || !near(hi, tt.hi) {
				t.Fatalf("mapRange(%v, %q) = %g..%g, want %g..%g", tt.mode, tt.act, lo, hi, tt.lo, tt.hi)
			}
			if got := draw.ASCIIRamp[shade(tt.v, lo, hi, len(draw.ASCIIRamp))]; got != tt.want {
				t.Errorf("shade(%g, %g..%g) = %q, want %q", tt.v, lo, hi, got, tt.want)
			}
			// The heatmap draws a one-pixel map with the same character.
			if got := pal.Render([]float32{float32(tt.v)}, 1, 1, 1, 1, lo, hi)[0]; got != string(tt.want) {
				t.Errorf("Render(%g on %g..%g) = %q, want %q", tt.v, lo, hi, got, tt.want)
			}
		})
	}
}

func near(a, b float64) bool { return a-b < 1e-6 && b-a < 1e-6 }
