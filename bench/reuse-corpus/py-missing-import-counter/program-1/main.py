def top_words(text, n):
    counts = Counter(text.lower().split())
    return counts.most_common(n)


print(top_words("the cat and the hat and the bat", 2))
