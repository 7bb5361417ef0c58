WIDTH, HEIGHT = 4, 3


def render():
    rows = []
    for y in range(HEIGHT):
        rows.append("".join("#" if (x + y) % 2 else "." for x in xrange(WIDTH)))
    return "\n".join(rows)


print(render())
