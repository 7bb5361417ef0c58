import textwrap


def pad(line, length=20):
    return line + " " * (lenght - len(line))


for row in textwrap.wrap("a short sentence to pad out", 10):
    print("[" + pad(row) + "]")
