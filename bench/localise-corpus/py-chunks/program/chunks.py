def chunks(xs, n):
    return [xs[i:i + n] for i in range(0, len(xs) - n, n)]


def flatten(parts):
    return [x for part in parts for x in part]
