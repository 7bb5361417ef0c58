package main

func sharePercent(code string) int {
	if code == "HALF" {
		return 25
	}
	return 100
}
