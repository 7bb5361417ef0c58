import json

ORDERS = '[{"sku": "A1"}, {"sku": "B2"}, {"sku": "A1"}]'


class Inventory:
    def __init__(self, raw):
        self.orders = json.loads(raw)

    def demand(self):
        tally = Counter(o["sku"] for o in self.orders)
        return dict(tally)


print(Inventory(ORDERS).demand())
