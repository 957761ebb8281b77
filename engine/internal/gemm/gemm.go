package gemm

// Sgemm computes C = op(A)·op(B) + beta·C for row-major float32 matrices,
// where op(X) is X or Xᵀ (transA, transB).
//
// op(A) is m×k, op(B) is k×n and C is m×n; lda, ldb and ldc are the row
// strides of a, b and c as stored (a is k×m when transA, b is n×k when
// transB). beta = 0 overwrites C without reading it; any other beta scales
// the old contents before accumulating. Sgemm panics with a "gemm: " prefix
// on negative sizes, too-small strides or too-short slices.
func Sgemm(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	check(transA, transB, m, n, k, a, lda, b, ldb, c, ldc)
	if m == 0 || n == 0 {
		return
	}
	if k == 0 {
		scaleC(m, n, beta, c, ldc)
		return
	}
	if sgemmAsm(transA, transB, m, n, k, a, lda, b, ldb, beta, c, ldc) {
		return
	}
	sgemmGo(transA, transB, m, n, k, a, lda, b, ldb, beta, c, ldc)
}

// asmMinWork is the m·n·k below which the Go path beats the blocked
// assembly one; tests set it to 0 to force the assembly path.
var asmMinWork = 64

func check(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	if m < 0 || n < 0 || k < 0 {
		panic("gemm: negative dimension")
	}
	ar, ac := m, k // a as stored
	if transA {
		ar, ac = k, m
	}
	br, bc := k, n
	if transB {
		br, bc = n, k
	}
	checkMat("a", ar, ac, a, lda)
	checkMat("b", br, bc, b, ldb)
	checkMat("c", m, n, c, ldc)
}

// checkMat panics unless s holds an r×cols row-major matrix with stride ld.
func checkMat(name string, r, cols int, s []float32, ld int) {
	if ld < max(1, cols) {
		panic("gemm: bad ld" + name)
	}
	if r == 0 || cols == 0 {
		return
	}
	if len(s) < (r-1)*ld+cols {
		panic("gemm: short " + name)
	}
}

// scaleC sets C = beta·C, writing zeros without reading C when beta is 0.
func scaleC(m, n int, beta float32, c []float32, ldc int) {
	for i := 0; i < m; i++ {
		row := c[i*ldc : i*ldc+n]
		switch beta {
		case 0:
			clear(row)
		case 1:
		default:
			for j := range row {
				row[j] *= beta
			}
		}
	}
}

// axpy computes y += alpha·x with len(y) == len(x).
func axpy(alpha float32, x, y []float32) {
	y = y[:len(x)]
	i := 0
	for ; i+4 <= len(x); i += 4 {
		y[i] += alpha * x[i]
		y[i+1] += alpha * x[i+1]
		y[i+2] += alpha * x[i+2]
		y[i+3] += alpha * x[i+3]
	}
	for ; i < len(x); i++ {
		y[i] += alpha * x[i]
	}
}

// dot returns x·y with len(y) >= len(x), using four partial sums.
func dot(x, y []float32) float32 {
	y = y[:len(x)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(x); i += 4 {
		s0 += x[i] * y[i]
		s1 += x[i+1] * y[i+1]
		s2 += x[i+2] * y[i+2]
		s3 += x[i+3] * y[i+3]
	}
	for ; i < len(x); i++ {
		s0 += x[i] * y[i]
	}
	return (s0 + s1) + (s2 + s3)
}
