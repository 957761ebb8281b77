// Package tui is the terminal face of lenet-tui: a Bubble Tea program that
// starts a training run, reads the trainer's events and draws the run as it
// learns — a header with progress, loss and accuracy charts, the layer table
// with its arithmetic, heatmaps of the probe digit's feature maps and the
// net's top-3 prediction.
//
// The root model (model.go) holds the panels it steers itself (header,
// lossChart, accChart, layersPanel, mapsPanel, padPanel, prediction,
// helpPanel, keysPanel); the other views a key shows in the maps' place
// (flowPanel, confusionPanel, embeddingPanel, augmentPanel) are made in
// their line of the deck's cards (layout.go, cards; deck.go). Each panel
// is in its own file. Every panel keeps one contract (panel.go): the
// layout sizes it with setSize(w, h) and says whether it is bare
// (borderless), and view returns exactly w×h cells. Each embeds a frame,
// which draws the border, the title line with its note and the focus
// around the body the panel makes, and keeps the drawing until the size or
// the data change. The
// layout (layout.go) is a table: for each size class (wide ≥120×40, compact
// ≥80×24) a tree of rows and columns of panels with weights and min/max
// sizes, evaluated by place; the header and the footer are as tall as their
// content. The panels that follow the run (runObserver: reset for each
// run, update with each event) are found by walking that table and the
// deck's cards (layout.go, observers), so adding a panel is a new file and
// one line in the table or in cards. Styles live in styles.go and keys in
// keys.go; handleKey gives a key to the maps' place, then to the run's
// keys, then to the view's. The footer (help.go) follows the view: after
// each message the model tells it what is shown (keyMap.footer: a view
// with keys of its own is a hinter), and it keeps, on its one line, the
// keys that matter most there (ranked hints). '?' takes the body with
// every key in groups, each with why (keyMap.groups). esc returns to the
// feature maps from any view; ←/→ stop at the first and the last layer
// and the footer says so. While the maps' place shows something deep
// (kernels, coefficients, inspect), the wide layout gives it the lines of
// the charts.
//
// Drawing is package draw (tui/draw): plots, axes and ticks, legends,
// heatmaps and fitting text to cells, knowing nothing of the engine. The
// panels translate events into what to draw: chart.go keeps the EMA lines,
// test series and setting markers and hands draw a Plot; maps.go and
// kernels.go hand a Palette the values.
//
// The header (header.go) keeps one status line; the run's verdict takes it
// when there is one (health.go: analysis.Health judges the run from the
// losses, the activation and the gradient flow — a plateau, dead or
// saturated units, divergence, a switch that cost accuracy — and
// verdictLine words it in keys, the longest wording that fits), so the
// panels never move while it trains.
//
// The tour (tour.go: the steps as data; tourmode.go: the model's part)
// walks a student through LeNet-5 and the note's story: each step names
// the run it needs (a RunRequest: started afresh only when the one on
// screen is not of its kind), the view, the layer, pause or training and
// the pace; its text sits in a fixed band (the "tour" screens of the
// layout) so stepping never moves the panels; → ← step, esc leaves it and
// keeps the run. The pace (w: full, slowed to about a minute a run, one
// batch at a time with '.') is engine.SetPace and engine.Advance.
//
// The layers panel (layers.go) explains the selected block in one or two
// plain sentences (explain.go), written per kind and option and quoting
// only numbers the engine's LayerInfo states, where it has the room.
//
// The maps panel has a file per view: maps.go (the heatmaps, and which
// view to draw), scale.go (v: per map, per layer or absolute ranges),
// kernels.go (k: kernels on a diverging scale, C3 as its connection
// table), subsample.go (k on a subsampling layer: coefficients and their
// reading), inspect.go (i: one output value taken apart, its receptive
// field lit on the probe) and weightgrad.go (b while inspecting: the
// weight under the value, its gradient by the chain rule on the probe and
// the last batch beside the engine's and a finite difference, and the
// optimiser's step; asked of the trainer with engine.ExplainWeight, drawn
// from its WeightExplained, asked again for each new snapshot).
//
// The feature maps' place is a deck of cards (deck.go), each shown on a
// key: the gradient flow (flow.go, g), the confusion matrix with the digits
// behind each cell (confusion.go, c) and the F6 embedding by PCA
// (embedding.go, e), the last two made from the trainer's Breakdown events
// with package analysis, the drawing pad (pad.go, d) and the augmented
// probe (augment.go, u), which draws the distortions each Snapshot carries
// (Snapshot.Distorted): the view reads events, not data.
//
// # Invariants
//
// All state changes happen in Update; tea.Cmds never touch the model. The
// trainer's events are read by one re-armed command (waitForEvents, which
// takes every event pending at each frame) and every message carries the
// id of the run it came from, so the events of a cancelled run are
// ignored. The tui never shares mutable memory with the trainer: it only
// receives engine.Event values and sends engine.Command values; it does
// not import package dataset (the probe and its distortions come in
// Snapshots). Chart history is never sampled away: every batch and epoch
// point is kept for the life of a run. There is no package-level mutable
// state.
package tui
