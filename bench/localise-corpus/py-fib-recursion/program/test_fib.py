from fib import fib, fib_list


def test_fib():
    assert fib(10) == 55


def test_list():
    assert fib_list(5) == [0, 1, 1, 2, 3]
