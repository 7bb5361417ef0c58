from primes import primes_below

print(primes_below(20))
