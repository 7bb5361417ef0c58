from stats import mean, median

print(mean([1, 2, 3]), median([3, 1, 2]))
