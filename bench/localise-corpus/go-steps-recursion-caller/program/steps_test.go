package main

import "testing"

func TestStepsBetween(t *testing.T) {
	if got := stepsBetween(2, 5); got != 3 {
		t.Fatalf("stepsBetween = %d, want 3", got)
	}
}
