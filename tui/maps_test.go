package tui

import "testing"

// TestMoreMaps: the note on maps left out is never cut; it shortens to fit.
func TestMoreMaps(t *testing.T) {
	for _, tc := range []struct {
		w    int
		want string
	}{
		{80, "… and 110 more (enlarge the terminal to see them)"},
		{40, "… and 110 more: enlarge the terminal"},
		{20, "… and 110 more maps"},
		{12, "+110 more"},
	} {
		if got := moreMaps(110, tc.w); got != tc.want {
			t.Errorf("moreMaps(110, %d) = %q, want %q", tc.w, got, tc.want)
		}
	}
}
