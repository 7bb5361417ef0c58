class Rect:
    def __init__(self, length, width):
        self.length = length
        self.width = width

    def area(self):
        length = self.length
        return lenght * self.width


print(Rect(3, 4).area())
