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
	if err := Confusion(&b, handWorked, nil); err != nil {
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
	b, err := json.Marshal(ConfusionRecord(c, nil))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"classes":[{"class":0,"images":4,"precision":1,"predicted":4,"recall":1},{"class":1,"images":0,"precision":null,"predicted":0,"recall":null}],"confusion":[[4,0],[0,0]],"most_confused":null}`
	if string(b) != want {
		t.Errorf("ConfusionRecord = %s, want %s", b, want)
	}
	b, _ = json.Marshal(ConfusionRecord(handWorked, nil)["most_confused"])
	if want := `{"count":3,"predicted":2,"true":1}`; string(b) != want {
		t.Errorf("most_confused = %s, want %s", b, want)
	}
}

// TestConfusionNames: with class names other than the indexes, each row
// and class says its name after its index, the pair is said by name, and
// the JSON record has the names beside the indexes.
func TestConfusionNames(t *testing.T) {
	names := []string{"T-shirt/top", "Bag", "Ankle boot"}
	var b bytes.Buffer
	if err := Confusion(&b, handWorked, names); err != nil {
		t.Fatal(err)
	}
	want := `confusion matrix: true class down, predicted class across
                  0 1 2
    0 T-shirt/top 3 1 0
    1 Bag         0 2 3
    2 Ankle boot  1 0 2
class              images     recall  precision
    0 T-shirt/top       4     75.00%     75.00%
    1 Bag               5     40.00%     66.67%
    2 Ankle boot        3     66.67%     40.00%
most confused: Bag read as Ankle boot, 3 time(s)
`
	if b.String() != want {
		t.Errorf("Confusion(hand-worked, names) =\n%s\nwant\n%s", b.String(), want)
	}
	var digits bytes.Buffer
	if err := Confusion(&digits, handWorked, []string{"0", "1", "2"}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(digits.Bytes(), []byte("\n    0 3 1 0\n")) || !bytes.Contains(digits.Bytes(), []byte("most confused: 1 read as 2")) {
		t.Errorf("with digits for names, the indexes alone:\n%s", digits.String())
	}
	r, err := json.Marshal(ConfusionRecord(handWorked, names))
	if err != nil {
		t.Fatal(err)
	}
	for _, part := range []string{`"class_names":["T-shirt/top","Bag","Ankle boot"]`, `{"class":1,"images":5,"name":"Bag",`, `"most_confused":{"count":3,"predicted":2,"predicted_name":"Ankle boot","true":1,"true_name":"Bag"}`} {
		if !bytes.Contains(r, []byte(part)) {
			t.Errorf("ConfusionRecord with names = %s, want it to hold %s", r, part)
		}
	}
}
