from program import find_max


def check(candidate):
    assert candidate([1, 3, 2]) == 3
    assert candidate([7]) == 7


def test_find_max():
    check(find_max)
