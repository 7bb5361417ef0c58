evens = []
n = 0
while len(evens) < 3:
    n += 1
    if n % 2 == 0:
        evens.push(n)
print(evens)
