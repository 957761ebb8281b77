//go:build !amd64 || noasm || gccgo || safe

package dconv

// useAsm is false: there are no assembly kernels in this build.
var useAsm = false

// hasAVX512 is unused without assembly.
var hasAVX512 = false

const (
	fwdMaxM = 6
	fgMaxKB = 6
)

var (
	fwdPref    = [...][2]int{{0, 0}, {4, 2}, {4, 1}, {4, 1}, {2, 1}, {2, 1}, {2, 1}}
	fgMaxM     = [...]int{0, 4, 4, 3, 3, 2, 2}
	fwcMaxP    = [...]int{0, 8, 6, 4}
	fwcMaxP512 = fwcMaxP
	fgcMaxCB   = [...]int{0, 4, 4, 3, 3, 2, 2}
	fgZMaxM    = [...]int{0, 15, 10, 7, 6, 5, 4}
)

func fwdKern(r, m, s int, x *float32, xrs, xps uintptr, cin, k, nky int, w *float32, wskip uintptr, y *float32, yrs, yms uintptr, ns int) {
	panic("dconv: no assembly kernels")
}

func fgKern(m, kb int, x *float32, xrs uintptr, dy *float32, dyrs, dyms uintptr, nrows, ns, k int, g *float32, gms uintptr) {
	panic("dconv: no assembly kernels")
}

func fwcKern(cb, np int, x *float32, xrs, xps uintptr, cin, k, nky int, w *float32, wtap, wskip uintptr, y *float32, ypix, yrs uintptr, nrows int) {
	panic("dconv: no assembly kernels")
}

func fgcKern(cb, kb int, x *float32, xrs uintptr, dyt *float32, dpix uintptr, nrows, ncols, k int, gacc *float32, gky uintptr) {
	panic("dconv: no assembly kernels")
}

func fwdKernMask(r, m int, x *float32, xrs, xps uintptr, cin, k, nky int, w *float32, wskip uintptr, y *float32, yrs, yms uintptr, ns int, mask uint64) {
	panic("dconv: no assembly kernels")
}

func fgKernMask(m, kb int, x *float32, xrs uintptr, dy *float32, dyrs, dyms uintptr, nrows, ns, k int, gacc *float32, gms uintptr, mask uint64) {
	panic("dconv: no assembly kernels")
}

const igMaxM = 6

func igKern(m int, dy *float32, dyrs uintptr, nky int, w *float32, wrs uintptr, tab *int, npix int, dx *float32, dxms uintptr) {
	panic("dconv: no assembly kernels")
}

const fgcZMaxK = 5

func fgcZKern(k int, x *float32, xrs uintptr, dyt *float32, dpix uintptr, nrows, ncols int, gacc *float32, gtap uintptr) {
	panic("dconv: no assembly kernels")
}

func igZKern(m int, dy *float32, dyrs uintptr, nky int, w *float32, wrs uintptr, tab *int, npix int, dx *float32, dxms uintptr) {
	panic("dconv: no assembly kernels")
}

const fwcZMaxP = 16

func fwcZKern(np int, x *float32, xrs, xps uintptr, cin, k, nky int, w *float32, wtap, wskip uintptr, y *float32, ypix, yrs uintptr, nrows int) {
	panic("dconv: no assembly kernels")
}

func fgZKern(m, kb int, x *float32, xrs uintptr, dy *float32, dyrs, dyms uintptr, nrows, ns, k int, gacc *float32, gms uintptr) {
	panic("dconv: no assembly kernels")
}

func fgZKernMask(m, kb int, x *float32, xrs uintptr, dy *float32, dyrs, dyms uintptr, nrows, ns, k int, gacc *float32, gms uintptr, mask uint64) {
	panic("dconv: no assembly kernels")
}

const fwdZMaxR = 4

func fwdZKern(r, m int, x *float32, xrs, xps uintptr, cin, k, nky int, w *float32, wskip uintptr, y *float32, yrs, yms uintptr, ns int, b *float32) {
	panic("dconv: no assembly kernels")
}

func fwdZKernMask(r, m int, x *float32, xrs, xps uintptr, cin, k, nky int, w *float32, wskip uintptr, y *float32, yrs, yms uintptr, ns int, b *float32, mask uint64) {
	panic("dconv: no assembly kernels")
}

func toPixelMajor16(src *float32, srs uintptr, n int, dst *float32, drs uintptr) {
	panic("dconv: no assembly kernels")
}

func toMapMajor16(src *float32, srs uintptr, n int, dst *float32, drs uintptr, b *float32) {
	panic("dconv: no assembly kernels")
}

func copyRows(dst *float32, drs uintptr, src *float32, srs uintptr, rows, n int) {
	panic("dconv: no assembly kernels")
}
