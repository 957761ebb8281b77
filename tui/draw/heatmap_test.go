package draw

import (
	"testing"

	"github.com/muesli/termenv"
)

// TestKernelShades checks the diverging NO_COLOR ramp "≡=- +*#" on
// kernels whose largest |weight| is 0.5: w maps to ⌊7·(w+0.5)/1⌋, so the
// sign always shows and a weight near 0 is blank.
func TestKernelShades(t *testing.T) {
	pal := NewDivPalette(termenv.Ascii, true)
	for _, tt := range []struct {
		w    float32
		want string
	}{
		{-0.5, "≡"}, {-0.3, "="}, {-0.2, "-"}, {0, " "}, {0.06, " "}, {0.2, "+"}, {0.3, "*"}, {0.5, "#"},
	} {
		if got := pal.Render([]float32{tt.w}, 1, 1, 1, 1, -0.5, 0.5)[0]; got != tt.want {
			t.Errorf("kernel shade of %g on ±0.5 = %q, want %q", tt.w, got, tt.want)
		}
	}
}
