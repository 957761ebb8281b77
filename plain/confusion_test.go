package plain

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/lenet-tui/lenet-tui/analysis"
)

// handWorked is 12 images of 3 classes (see analysis's test): rows 3 1 0,
// 0 2 3, 1 0 2.
var handWorked = analysis.Confusion{Classes: 3, Counts: []int{3, 1, 0, 0, 2, 3, 1, 0, 2}}

func TestConfusionText(t *testing.T) {
	var b bytes.Buffer
	if err := Confusion(&b, handWorked); err != nil {
		t.Fatal(err)
	}
	want := `confusion matrix: true class down, predicted class across
      0 1 2
    0 3 1 0
    1 0 2 3
    2 1 0 2
class  images     recall  precision
    0       4     75.00%     75.00%
    1       5     40.00%     66.67%
    2       3     66.67%     40.00%
most confused: 1 read as 2, 3 time(s)
`
	if b.String() != want {
		t.Errorf("Confusion(hand-worked) =\n%s\nwant\n%s", b.String(), want)
	}
}

func TestConfusionRecord(t *testing.T) {
	c := analysis.Confusion{Classes: 2, Counts: []int{4, 0, 0, 0}} // class 1: no images, never predicted
	b, err := json.Marshal(ConfusionRecord(c))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"classes":[{"class":0,"images":4,"precision":1,"predicted":4,"recall":1},{"class":1,"images":0,"precision":null,"predicted":0,"recall":null}],"confusion":[[4,0],[0,0]],"most_confused":null}`
	if string(b) != want {
		t.Errorf("ConfusionRecord = %s, want %s", b, want)
	}
	b, _ = json.Marshal(ConfusionRecord(handWorked)["most_confused"])
	if want := `{"count":3,"predicted":2,"true":1}`; string(b) != want {
		t.Errorf("most_confused = %s, want %s", b, want)
	}
}
