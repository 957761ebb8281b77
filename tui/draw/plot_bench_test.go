package draw

import (
	"math"
	"testing"

	"github.com/charmbracelet/lipgloss"
)

// BenchmarkPlotDraw draws a loss chart of three epochs at 200×60's size,
// again and again on one sheet, as a chart panel does.
func BenchmarkPlotDraw(b *testing.B) {
	pts := make([]Point, 2800)
	for i := range pts {
		pts[i] = Point{float64(i) / 940, 2.3*math.Exp(-float64(i)/300) + 0.05*math.Sin(float64(i))}
	}
	p := Plot{XSpan: 3, YScale: func(rows int) Scale { return LogScale(0.01, 2.5, rows, 2) },
		Lines: []Series{{Pts: pts, Style: lipgloss.NewStyle().Foreground(lipgloss.Color("#ff0000"))}},
		Marks: []float64{1, 2}, Axis: lipgloss.NewStyle().Faint(true), Marker: lipgloss.NewStyle()}
	var sheet Sheet
	for b.Loop() {
		p.DrawOn(&sheet, 95, 26)
	}
}
