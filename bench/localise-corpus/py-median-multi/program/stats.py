def mean(xs):
    return sum(xs) / len(xs)


def median(xs):
    s = sorted(xs)
    n = len(s)
    if n % 2 == 1:
        return s[n // 2 + 1]
    return (s[n // 2 - 1] + s[n // 2]) / 2


def spread(xs):
    return max(xs) - min(xs)
