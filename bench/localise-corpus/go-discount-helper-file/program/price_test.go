package main

import "testing"

func TestHalfPrice(t *testing.T) {
	if got := price(1000, "NONE"); got != 1000 {
		t.Fatalf("price = %d, want 1000", got)
	}
	if got := price(1000, "HALF"); got != 500 {
		t.Fatalf("price = %d, want 500", got)
	}
}
