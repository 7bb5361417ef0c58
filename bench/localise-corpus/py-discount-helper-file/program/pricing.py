def discount(price, percent):
    return price * percent / 100


def tax(price, rate):
    return price * (1 + rate / 100)
