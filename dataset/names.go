package dataset

import "strconv"

// Class names of the built-in datasets, by label.
var (
	// mnistNames are MNIST's digits.
	mnistNames = []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}
	// fashionNames are Fashion-MNIST's classes as Zalando's README names
	// them.
	fashionNames = []string{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"}
)

// ClassNames returns the names of the classes of the IDX dataset name, by
// label: Fashion-MNIST's ten ("T-shirt/top" … "Ankle boot") for
// "fashion-mnist", the digits "0" … "9" for any other (MNIST's, and a
// folder of IDX files under another name). An image folder's names are
// its class folders' (see Load). The slice is the caller's.
func ClassNames(name string) []string {
	if name == "fashion-mnist" {
		return append([]string(nil), fashionNames...)
	}
	return append([]string(nil), mnistNames...)
}

// ClassName returns the name of class c: Names[c], or the number c when
// the set has no names (a set built in code, such as Synthetic's digits).
func (s *Set) ClassName(c int) string {
	if c >= 0 && c < len(s.Names) {
		return s.Names[c]
	}
	return strconv.Itoa(c)
}
