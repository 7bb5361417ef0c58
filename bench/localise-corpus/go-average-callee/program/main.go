package main

import "fmt"

func main() {
	fmt.Println(total([]int{1, -1, 2}))
}
