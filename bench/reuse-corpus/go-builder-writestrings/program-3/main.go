package main

import "fmt"

func main() {
	fmt.Println(banner("go", 3))
}
