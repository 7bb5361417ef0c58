import unittest
from shop import checkout, with_tax


class ShopTest(unittest.TestCase):
    def test_checkout(self):
        self.assertEqual(checkout([100, 50], 10), 135.0)

    def test_tax(self):
        self.assertEqual(with_tax([100], 10), 110.0)
