package main

import "strings"

type frame struct {
	buf strings.Builder
}

func banner(word string, width int) string {
	var f frame
	for i := 0; i < width; i++ {
		f.buf.WriteStrings("*")
	}
	f.buf.WriteString(" " + word)
	return f.buf.String()
}
