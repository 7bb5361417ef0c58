package main

import "fmt"

// Line is one entry of a to-do list.
type Line struct {
	Text string
	Done bool
}

func render(lines []Line) []string {
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		mark := " "
		if l.Done {
			mark = "x"
		}
		out = append(out, fmt.Sprintf("[%s] %s", mark, strings.TrimSpace(l.Text)))
	}
	return out
}

func main() {
	for _, s := range render([]Line{{"  buy milk ", true}, {"call home", false}}) {
		fmt.Println(s)
	}
}
