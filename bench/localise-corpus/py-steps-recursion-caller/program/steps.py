def count_down(n, step):
    if n == 0:
        return 0
    return 1 + count_down(n - step, step)


def describe(n):
    return f"{n} takes {steps(n)} steps"


def steps(n):
    return count_down(n, 2)
