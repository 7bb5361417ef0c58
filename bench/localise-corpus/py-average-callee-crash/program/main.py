from readings import total

print(total([1, None, 2]))
