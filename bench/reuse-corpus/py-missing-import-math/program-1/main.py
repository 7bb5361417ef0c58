def circle_area(radius):
    return math.pi * radius ** 2


if __name__ == "__main__":
    print(round(circle_area(2.0), 3))
