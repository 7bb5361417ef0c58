package main

import "testing"

func TestAverage(t *testing.T) {
	if got := average([]int{2, -1, 4}); got != 3 {
		t.Fatalf("average = %d, want 3", got)
	}
}
