package main

import (
	"fmt"
	"sort"
)

type tally map[string]int

func (t tally) add(word string) { t[word]++ }

func (t tally) keys() []string {
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func main() {
	t := tally{}
	for _, w := range []string{"b", "a", "b"} {
		t.add(w)
	}
	fmt.Println(strings.Join(t.keys(), ","))
}
