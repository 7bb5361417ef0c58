package main

func price(cents int, code string) int {
	return cents * sharePercent(code) / 100
}
