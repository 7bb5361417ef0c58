from layout import pad, rule


def row(name, value):
    return pad(name, 10) + str(value)


def header(title):
    return pad(10, title) + "\n" + rule(10)
