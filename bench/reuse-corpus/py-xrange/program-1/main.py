def squares(n):
    out = []
    for i in xrange(n):
        out.append(i * i)
    return out


print(squares(5))
