from shop import checkout

print(checkout([10, 20], 10))
