package tui

import "testing"

// TestMapsViewsGolden renders, at 120×40, each view of the maps' place
// this panel offers beyond the per-map heatmaps: the two other scales,
// the kernels of C1, C3 (a second page) and C5 (unit 3), the subsampling
// coefficients of S2 and S4, and inspect on C1, S2, C3 (its third input
// shown in full) and C5, with the field lit on the probe and the whole
// screen for C3.
func TestMapsViewsGolden(t *testing.T) {
	views := []struct {
		name string
		keys []string
	}{
		{"maps-C1-layer", []string{"v"}},
		{"maps-C1-absolute", []string{"v", "v"}},
		{"maps-S2-absolute", []string{"v", "v", "l"}},
		{"kernels-C1", []string{"k"}},
		{"kernels-C3-page2", []string{"l", "l", "k", "]"}},
		{"kernels-C5-unit3", []string{"l", "l", "l", "l", "k", "]", "]", "]"}},
		{"coefficients-S2", []string{"l", "k"}},
		{"coefficients-S4", []string{"l", "l", "l", "k"}},
		{"inspect-C1", []string{"i"}},
		{"inspect-S2", []string{"l", "i", "down", "right"}},
		{"inspect-C3", []string{"l", "l", "i", "[", "tab", "tab"}},
		{"inspect-C5", []string{"l", "l", "l", "l", "i", "]"}},
	}
	for _, v := range views {
		t.Run(v.name, func(t *testing.T) {
			m, _ := trainedModel(t, asciiStyles(), 120, 40)
			press(m, v.keys...)
			golden(t, v.name+"-120x40", m.maps.view())
			if v.name == "inspect-C3" {
				golden(t, "prediction-inspect-C3-120x40", m.pred.view())
				golden(t, "screen-inspect-C3-120x40", m.View())
			}
		})
	}
}
