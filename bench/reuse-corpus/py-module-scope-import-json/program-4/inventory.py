class Stock:
    def __init__(self, items):
        self.items = items


STOCK = Stock(json.loads("[3, 4, 5]"))
print(len(STOCK.items))
