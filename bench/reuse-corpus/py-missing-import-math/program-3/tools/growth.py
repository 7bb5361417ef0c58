import sys

RATE = 0.05


def years_to_double(rate):
    # continuous compounding
    return math.log(2) / rate


def main(argv):
    years = years_to_double(RATE)
    print("doubling time", round(years, 2))
    return 0


sys.exit(main(sys.argv))
