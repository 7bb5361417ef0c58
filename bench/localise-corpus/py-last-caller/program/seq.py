def get(items, i):
    if i < 0:
        raise ValueError("negative index")
    return items[i]


def first(items):
    return get(items, 0)


def last(items):
    return get(items, len(items))
