import statistics


class Series:
    def __init__(self, values):
        self.values = values

    def moving(self, k):
        return [statistics.mean(self.values[i:i + k]) for i in xrange(len(self.values) - k + 1)]


print(Series([1, 2, 3, 4, 5]).moving(2))
