COLOURS = {"red": "#f00", "green": "#0f0", "blue": "#00f"}


def names():
    return sorted(COLOURS)


def lookup(name):
    return COLOURS[name.lower]


def has(name):
    return name.lower() in COLOURS
