values = [2, 4, 6]
length = len(values)
mean = sum(values) / lenght
print(f"mean={mean}")
