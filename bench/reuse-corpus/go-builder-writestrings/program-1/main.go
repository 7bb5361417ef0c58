package main

import (
	"fmt"
	"strings"
)

func greet(name string) string {
	var sb strings.Builder
	sb.WriteStrings("hello, ")
	sb.WriteString(name)
	return sb.String()
}

func main() {
	fmt.Println(greet("gopher"))
}
