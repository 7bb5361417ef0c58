from table import names

print(names())
