def invert(mapping):
    return dict((v, k) for k, v in mapping.iteritems())


assert invert({1: "x"}) == {"x": 1}
print("inverted")
