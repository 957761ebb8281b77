package tui

import (
	"strconv"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/lenet-tui/lenet-tui/tui/draw"
)

// Colours of the palette, chosen to read on dark and light backgrounds.
const (
	colTrain  = "#4FC3F7" // train series: light blue
	colTest   = "#FFB74D" // test series: orange
	colMarker = "#CE93D8" // activation / lr change markers: violet
	colGood   = "#81C784"
	colBad    = "#E57373"
	colWarn   = "#FFD54F"
	colDim    = "#8A8A8A"
	colAccent = "#7C9CFF"
	colBorder = "#5A5A7A"
)

// styles holds every lipgloss style of the UI, built once from a renderer.
type styles struct {
	r       *lipgloss.Renderer
	noColor bool

	Title        lipgloss.Style
	Subtle       lipgloss.Style
	Panel        lipgloss.Style
	PanelFocused lipgloss.Style
	PanelTitle   lipgloss.Style
	Label        lipgloss.Style
	Value        lipgloss.Style
	Selected     lipgloss.Style
	SeriesTrain  lipgloss.Style
	SeriesTest   lipgloss.Style
	Marker       lipgloss.Style
	Axis         lipgloss.Style
	MetricGood   lipgloss.Style
	MetricBad    lipgloss.Style
	MetricWarn   lipgloss.Style
	StateRun     lipgloss.Style
	StatePaused  lipgloss.Style
	StateDone    lipgloss.Style
	StateFailed  lipgloss.Style
	BarFull      lipgloss.Style
	BarEmpty     lipgloss.Style
	TableOn      lipgloss.Style
	TableOff     lipgloss.Style
	TooSmall     lipgloss.Style
	// The confusion matrix: a right answer (the diagonal), and the heat
	// scale of the mistakes, faint to bright.
	ConfRight lipgloss.Style
	ConfHeat  [confLevels]lipgloss.Style
	// Class colours the markers of each class in the embedding.
	Class [10]lipgloss.Style

	heat draw.Palette // the maps: viridis, low to high
	div  draw.Palette // the kernels: diverging around zero
}

// newStyles builds the styles for r; with noColor the renderer is switched
// to the ASCII profile (NO_COLOR) and heatmaps fall back to a character ramp.
func newStyles(r *lipgloss.Renderer, noColor bool) styles {
	if noColor {
		r.SetColorProfile(termenv.Ascii)
	}
	noColor = noColor || r.ColorProfile() == termenv.Ascii
	col := func(hex string) lipgloss.Color { return resolve(r.ColorProfile(), hex) }
	fg := func(c string) lipgloss.Style { return r.NewStyle().Foreground(col(c)) }
	s := styles{r: r, noColor: noColor}
	s.Title = r.NewStyle().Bold(true).Foreground(col(colAccent))
	s.Subtle = fg(colDim)
	s.Panel = r.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(col(colBorder)).Padding(0, 1)
	s.PanelFocused = s.Panel.BorderForeground(col(colAccent))
	s.PanelTitle = r.NewStyle().Bold(true)
	s.Label = fg(colDim)
	s.Value = r.NewStyle().Bold(true)
	s.Selected = r.NewStyle().Reverse(true).Bold(true)
	s.SeriesTrain = fg(colTrain)
	s.SeriesTest = fg(colTest)
	s.Marker = fg(colMarker)
	s.Axis = fg(colDim)
	s.MetricGood = fg(colGood).Bold(true)
	s.MetricBad = fg(colBad).Bold(true)
	s.MetricWarn = fg(colWarn).Bold(true)
	s.StateRun = fg(colGood).Bold(true)
	s.StatePaused = fg(colWarn).Bold(true)
	s.StateDone = fg(colAccent).Bold(true)
	s.StateFailed = fg(colBad).Bold(true)
	s.BarFull = fg(colAccent)
	s.BarEmpty = fg(colBorder)
	s.TableOn = fg(colAccent).Bold(true)
	s.TableOff = fg(colBorder)
	s.TooSmall = fg(colWarn).Bold(true)
	s.heat = draw.NewHeatPalette(r.ColorProfile(), noColor)
	s.div = draw.NewDivPalette(r.ColorProfile(), noColor)
	s.ConfRight = r.NewStyle().Background(col(colRightBg)).Foreground(col("#FFFFFF"))
	for i := range s.ConfHeat {
		t := float64(i+1) / confLevels
		s.ConfHeat[i] = r.NewStyle().Background(col(draw.LerpHex(colMistakeLo, colMistakeHi, t))).Foreground(col("#FFFFFF")).Bold(t > 0.5)
	}
	for i, c := range classColours {
		s.Class[i] = fg(c)
	}
	return s
}

// resolve is the colour hex as the profile p draws it, worked out once:
// lipgloss otherwise maps a hex colour onto a 256- or 16-colour terminal's
// palette (a nearest-colour search in HSLuv) at every Render, which took a
// third of the screen's drawing time in a tmux pane.
func resolve(p termenv.Profile, hex string) lipgloss.Color {
	switch c := p.Color(hex).(type) {
	case termenv.ANSI256Color:
		return lipgloss.Color(strconv.Itoa(int(c)))
	case termenv.ANSIColor:
		return lipgloss.Color(strconv.Itoa(int(c)))
	}
	return lipgloss.Color(hex) // true colour as it is; no colour at all
}

// confLevels is the number of shades of the mistakes' heat scale.
const confLevels = 8

// Colours of the confusion matrix and the classes of the embedding.
const (
	colRightBg   = "#1F6F2F" // the diagonal: green
	colMistakeLo = "#5F0000" // one mistake: dark red
	colMistakeHi = "#FF5F00" // the most frequent mistake: bright orange-red
)

// classColours tell the ten classes apart (Tableau 10, which stays
// distinct for most colour-blind readers and on dark backgrounds).
var classColours = [10]string{
	"#4E79A7", "#F28E2B", "#E15759", "#76B7B2", "#59A14F",
	"#EDC948", "#B07AA1", "#FF9DA7", "#9C755F", "#BAB0AC",
}
