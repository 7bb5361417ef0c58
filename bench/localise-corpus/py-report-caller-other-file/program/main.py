from report import row

print(row("a", 1))
