package main

import (
	"fmt"
)

func shout(s string) string {
	return strings.ToUpper(s) + "!"
}

func main() {
	fmt.Println(shout("hello"))
}
