package main

import (
	"fmt"
	"strings"
)

// csv joins fields with commas, quoting none.
func csv(fields []string) string {
	var out strings.Builder
	for i, f := range fields {
		if i > 0 {
			out.WriteByte(',')
		}
		out.WriteStrings(f)
	}
	return out.String()
}

func main() {
	fmt.Println(csv([]string{"a", "b", "c"}))
}
