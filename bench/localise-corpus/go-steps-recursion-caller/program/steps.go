package main

func steps(n int) int {
	if n == 0 {
		return 0
	}
	return 1 + steps(n-1)
}

func stepsBetween(from, to int) int {
	return steps(from - to)
}
