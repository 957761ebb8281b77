package tui

import (
	"io"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// A colour resolved once draws as lipgloss draws its hex at every Render,
// in every profile: the same escape sequence, or none.
func TestResolveDrawsTheSame(t *testing.T) {
	hexes := append([]string{colTrain, colTest, colMarker, colGood, colBad, colWarn, colDim, colAccent, colBorder, colRightBg, "#FFFFFF"}, classColours[:]...)
	for _, p := range []termenv.Profile{termenv.TrueColor, termenv.ANSI256, termenv.ANSI, termenv.Ascii} {
		r := lipgloss.NewRenderer(io.Discard)
		r.SetColorProfile(p)
		for _, hex := range hexes {
			want := r.NewStyle().Foreground(lipgloss.Color(hex)).Background(lipgloss.Color(hex)).Render("x")
			got := r.NewStyle().Foreground(resolve(p, hex)).Background(resolve(p, hex)).Render("x")
			if got != want {
				t.Errorf("profile %d, %s: resolved %q, hex %q", p, hex, got, want)
			}
		}
	}
}
