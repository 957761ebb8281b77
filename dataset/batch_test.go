package dataset

import (
	"math"
	"slices"
	"testing"
)

// indexSet returns a set of count 1×2 images whose pixels spell out their
// own index, little-endian, with labels i%10.
func indexSet(count int) *Set {
	s := &Set{Name: "index", Count: count, Rows: 1, Cols: 2, Classes: Classes}
	for i := range count {
		s.Images = append(s.Images, uint8(i), uint8(i>>8))
		s.Labels = append(s.Labels, uint8(i%10))
	}
	return s
}

// identity maps each pixel to its own value.
func identity() Scale {
	var sc Scale
	for p := range sc {
		sc[p] = float32(p)
	}
	return sc
}

// epoch runs b through one epoch over an indexSet and returns the image
// indices in the order visited and the size of each batch. It checks every
// label against its image.
func epoch(t *testing.T, b *Batcher) (order, sizes []int) {
	t.Helper()
	sc := identity()
	x := make([]float32, b.batch*2)
	y := make([]uint8, b.batch)
	for n := b.Next(x, y, &sc); n > 0; n = b.Next(x, y, &sc) {
		sizes = append(sizes, n)
		for k := range n {
			i := int(x[2*k]) + int(x[2*k+1])<<8
			if int(y[k]) != i%10 {
				t.Fatalf("Next() label for image %d = %d, want %d", i, y[k], i%10)
			}
			order = append(order, i)
		}
	}
	return order, sizes
}

func TestBatcherEpoch(t *testing.T) {
	tests := []struct {
		count, batch int
		shuffle      bool
		wantSizes    []int
	}{
		{count: 10, batch: 5, shuffle: true, wantSizes: []int{5, 5}},
		{count: 23, batch: 10, shuffle: true, wantSizes: []int{10, 10, 3}},
		{count: 23, batch: 10, shuffle: false, wantSizes: []int{10, 10, 3}},
		{count: 3, batch: 8, shuffle: true, wantSizes: []int{3}},
		{count: 300, batch: 1, shuffle: true, wantSizes: slices.Repeat([]int{1}, 300)},
	}
	for _, tt := range tests {
		b := NewBatcher(indexSet(tt.count), tt.batch, tt.shuffle, 1)
		if got, want := b.Batches(), len(tt.wantSizes); got != want {
			t.Errorf("NewBatcher(%d images, %d, %t, 1).Batches() = %d, want %d", tt.count, tt.batch, tt.shuffle, got, want)
		}
		for e := range 3 {
			order, sizes := epoch(t, b)
			if !slices.Equal(sizes, tt.wantSizes) {
				t.Errorf("epoch %d of %d images in batches of %d: sizes %v, want %v", e, tt.count, tt.batch, sizes, tt.wantSizes)
			}
			if !tt.shuffle && !slices.IsSorted(order) {
				t.Errorf("epoch %d of %d images without shuffling: order %v, want sorted", e, tt.count, order)
			}
			slices.Sort(order)
			if !slices.Equal(order, identityPerm(tt.count)) {
				t.Errorf("epoch %d of %d images in batches of %d: sorted indices %v, want each of 0…%d once", e, tt.count, tt.batch, order, tt.count-1)
			}
			if n := b.Next(make([]float32, tt.batch*2), make([]uint8, tt.batch), new(Scale)); n != 0 {
				t.Errorf("Next() after the epoch = %d, want 0", n)
			}
			b.Reset()
		}
	}
}

// identityPerm returns 0, 1, …, n-1.
func identityPerm(n int) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	return p
}

func TestBatcherShuffle(t *testing.T) {
	s := indexSet(100)
	orders := func(seed uint64) [][]int {
		b := NewBatcher(s, 7, true, seed)
		var all [][]int
		for range 3 {
			order, _ := epoch(t, b)
			all = append(all, order)
			b.Reset()
		}
		return all
	}
	a, again, other := orders(42), orders(42), orders(43)
	for e := range a {
		if !slices.Equal(a[e], again[e]) {
			t.Errorf("epoch %d with seed 42 = %v, then %v, want equal", e, a[e], again[e])
		}
		if slices.Equal(a[e], other[e]) {
			t.Errorf("epoch %d with seeds 42 and 43 = %v, want different", e, a[e])
		}
		if slices.IsSorted(a[e]) {
			t.Errorf("epoch %d with seed 42 = %v, want shuffled", e, a[e])
		}
	}
	if slices.Equal(a[0], a[1]) || slices.Equal(a[1], a[2]) {
		t.Errorf("epochs with seed 42 = %v, want each reshuffled", a)
	}
}

func TestBatcherNextAllocs(t *testing.T) {
	s := Synthetic(50, 28, 28, 1)
	b := NewBatcher(s, 16, true, 1)
	x := make([]float32, 16*28*28)
	y := make([]uint8, 16)
	sc := Standardize(MNISTMean, MNISTStd)
	allocs := testing.AllocsPerRun(100, func() {
		if b.Next(x, y, &sc) == 0 {
			b.Reset()
		}
	})
	if allocs != 0 {
		t.Errorf("AllocsPerRun(Next or Reset) = %v, want 0", allocs)
	}
}

func TestBatcherNextShortBuffers(t *testing.T) {
	b := NewBatcher(indexSet(10), 4, false, 1)
	defer func() {
		if recover() == nil {
			t.Errorf("Next(x of 7, y of 4) did not panic, want panic")
		}
	}()
	b.Next(make([]float32, 7), make([]uint8, 4), new(Scale))
}

func TestScale(t *testing.T) {
	tests := []struct {
		name string
		sc   Scale
		want [3]float32 // values for 0, 51 and 255
	}{
		{"UnitScale()", UnitScale(), [3]float32{0, 0.2, 1}},
		{"Standardize(0.5, 0.5)", Standardize(0.5, 0.5), [3]float32{-1, -0.6, 1}},
		{"Standardize(MNISTMean, MNISTStd)", Standardize(MNISTMean, MNISTStd),
			[3]float32{-0.1307 / 0.3081, (0.2 - 0.1307) / 0.3081, (1 - 0.1307) / 0.3081}},
	}
	for _, tt := range tests {
		for k, p := range []uint8{0, 51, 255} {
			if got := tt.sc[p]; math.Abs(float64(got-tt.want[k])) > 1e-6 {
				t.Errorf("%s[%d] = %v, want %v", tt.name, p, got, tt.want[k])
			}
		}
	}
}

func TestFill(t *testing.T) {
	s := indexSet(300)
	sc := identity()
	dst := []float32{-1, -1, -1}
	s.Fill(dst, 258, &sc)
	if want := []float32{2, 1, -1}; !slices.Equal(dst, want) {
		t.Errorf("Fill(dst, 258, identity) = %v, want %v", dst, want)
	}
	if allocs := testing.AllocsPerRun(10, func() { s.Fill(dst, 7, &sc) }); allocs != 0 {
		t.Errorf("AllocsPerRun(Fill) = %v, want 0", allocs)
	}
}

func TestImage(t *testing.T) {
	s := indexSet(300)
	img := s.Image(258)
	if want := []uint8{2, 1}; !slices.Equal(img, want) || cap(img) != 2 {
		t.Errorf("Image(258) = %v with cap %d, want %v with cap 2", img, cap(img), want)
	}
}
