package main

import "fmt"

func main() {
	fmt.Println(steps(3))
}
