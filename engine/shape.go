package engine

import "fmt"

// Shape is the shape of one sample's tensor: C maps of H×W. A flat vector of
// n values is Shape{n, 1, 1}.
type Shape struct{ C, H, W int }

// Size is the number of values in one sample.
func (s Shape) Size() int { return s.C * s.H * s.W }

// String formats a shape as LeNet papers do: "6@28×28", or "120" for a vector.
func (s Shape) String() string {
	if s.H == 1 && s.W == 1 {
		return fmt.Sprint(s.C)
	}
	return fmt.Sprintf("%d@%d×%d", s.C, s.H, s.W)
}
