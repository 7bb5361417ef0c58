def count(xs):
    return len([x for x in xs if x is None])


def total(xs):
    return sum(x for x in xs if x is not None)


def average(xs):
    return total(xs) / count(xs)
