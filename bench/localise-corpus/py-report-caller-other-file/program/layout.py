def pad(text, width):
    return text + " " * (width - len(text))


def rule(width):
    return "-" * width
