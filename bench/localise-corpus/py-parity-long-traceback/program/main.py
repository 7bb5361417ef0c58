from parity import is_even

print(is_even(4))
