import fib

print("fib module loaded")
