prices = {"apple": 3, "pear": 5}

for name, price in prices.iteritems():
    print(name, price)
