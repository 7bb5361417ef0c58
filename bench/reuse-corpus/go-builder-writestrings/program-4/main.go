package main

import (
	"fmt"
	"strconv"
	"strings"
)

type row struct {
	name  string
	score int
}

func table(rows []row) string {
	var text strings.Builder
	for _, r := range rows {
		text.WriteStrings(r.name + ": " + strconv.Itoa(r.score) + "\n")
	}
	return text.String()
}

func main() {
	fmt.Print(table([]row{{"ann", 3}, {"bob", 5}}))
}
