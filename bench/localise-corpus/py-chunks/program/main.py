from chunks import chunks

print(chunks([1, 2, 3, 4], 2))
