package main

// countWords counts the words of a text, whatever the spacing.
func countWords(text string) int {
	return len(strings.Fields(text))
}
