package main

func count(xs []int) int {
	n := 0
	for _, x := range xs {
		if x < 0 {
			n++
		}
	}
	return n
}

func total(xs []int) int {
	sum := 0
	for _, x := range xs {
		if x >= 0 {
			sum += x
		}
	}
	return sum
}

func average(xs []int) int {
	return total(xs) / count(xs)
}
