package tui

import "github.com/charmbracelet/lipgloss"

// layout gives every panel its outer size from the terminal size. Heights
// of the header and footer are measured from their rendered views; the
// body gets the rest.
//
// Wide (≥120×40): header; layers on the left over the full body height;
// on the right the two charts side by side over the feature maps and the
// probe panel; help at the bottom. Compact (≥80×24): layers and both charts
// in the top half, maps and probe in the bottom half.
func (m *model) layout() {
	if m.width < minWidth || m.height < minHeight {
		return
	}
	wide := m.wide()
	m.header.setSize(m.width, wide)
	m.help.setSize(m.width)
	body := m.height - lipgloss.Height(m.header.view()) - lipgloss.Height(m.help.view())
	if wide {
		layersW := clamp(m.width*30/100, 44, 56)
		rightW := m.width - layersW
		chartsH := clamp(body*45/100, 12, body-14)
		lossW := rightW / 2
		predW := clamp(rightW*30/100, 32, 40)
		m.layers.setSize(layersW, body, true)
		m.loss.setSize(lossW, chartsH)
		m.acc.setSize(rightW-lossW, chartsH)
		m.maps.setSize(rightW-predW, body-chartsH)
		m.pred.setSize(predW, body-chartsH)
		return
	}
	topH := (body + 1) / 2
	layersW := clamp(m.width*36/100, 30, 44)
	lossW := (m.width - layersW) / 2
	predW := clamp(m.width*28/100, 22, 32)
	m.layers.setSize(layersW, topH, false)
	m.loss.setSize(lossW, topH)
	m.acc.setSize(m.width-layersW-lossW, topH)
	m.maps.setSize(m.width-predW, body-topH)
	m.pred.setSize(predW, body-topH)
}

func clamp(v, lo, hi int) int {
	if hi < lo {
		hi = lo
	}
	return max(lo, min(v, hi))
}

// box renders a bordered panel of exactly w×h cells: a bold title line
// (with an optional right-aligned note) and the body, cut to fit.
func (s styles) box(title, note, body string, w, h int, focused bool) string {
	st := s.Panel
	if focused {
		st = s.PanelFocused
	}
	iw, ih := s.inner(w, h)
	if iw <= 0 || ih <= 0 {
		return ""
	}
	head := s.PanelTitle.Render(title)
	if note != "" {
		gap := iw - lipgloss.Width(head) - lipgloss.Width(note) - 1
		if gap >= 0 {
			head += spaces(gap+1) + s.Label.Render(note)
		}
	}
	lines := append([]string{head}, splitLines(body)...)
	content := fit(lines, iw, ih)
	return st.Width(w - st.GetHorizontalBorderSize()).Height(h - st.GetVerticalBorderSize()).Render(content)
}

// inner is the content size of a w×h panel.
func (s styles) inner(w, h int) (int, int) {
	return w - s.Panel.GetHorizontalFrameSize(), h - s.Panel.GetVerticalFrameSize()
}
