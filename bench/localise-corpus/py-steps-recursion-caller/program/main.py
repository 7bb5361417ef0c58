from steps import describe

print(describe(4))
