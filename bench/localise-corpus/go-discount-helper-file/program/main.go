package main

import "fmt"

func main() {
	fmt.Println(price(1000, "NONE"))
}
