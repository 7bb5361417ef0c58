from pricing import discount, tax


def checkout(prices, percent):
    total = 0
    for p in prices:
        total += discount(p, percent)
    return round(total, 2)


def with_tax(prices, rate):
    return round(sum(tax(p, rate) for p in prices), 2)
