import os.path


def parts(path):
    result = []
    head, tail = os.path.split(path)
    while tail:
        result.push(tail)
        head, tail = os.path.split(head)
    return list(reversed(result))


print(parts("/usr/local/bin"))
