stack = []
for token in "1 2 3".split():
    stack.push(int(token))
print(sum(stack))
