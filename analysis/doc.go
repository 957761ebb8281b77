// Package analysis turns an evaluation's details into what a student
// reads: per-class accuracy, precision and recall, the most confused pair
// of classes (confusion.go), and a 2-D map of a layer's outputs by
// principal components (pca.go, with gonum's stat.PC), and a verdict on a
// run as it trains (health.go: a plateau, dead or saturated units,
// divergence, a switch of activation that cost accuracy), judged from the
// events every view receives.
//
// It is not on the training path: the views call it once per evaluation,
// or per event, in float64, on data the trainer has already copied out.
//
// # Invariants
//
// Input slices are never modified. A quantity with no data behind it (the
// precision of a class never predicted) is NaN, never 0, so a view can say
// "none" instead of a misleading 0%. Bad input that a view can meet (values
// that are not finite, too few points) is an error, not a panic.
package analysis
