DEFAULTS = json.loads('{"width": 80, "height": 24}')


def area():
    return DEFAULTS["width"] * DEFAULTS["height"]


print(area())
