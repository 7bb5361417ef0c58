package main

import (
	"fmt"
	"os"
)

func main() {
	n := countWords("the quick brown fox")
	if n != 4 {
		os.Exit(1)
	}
	fmt.Println("words:", n)
}
