def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n)


def fib_list(k):
    return [fib(i) for i in range(k)]
