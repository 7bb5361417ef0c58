"""Letter frequencies."""
import string


def frequencies(word):
    only = [c for c in word if c in string.ascii_lowercase]
    return Counter(only)


for w in ("banana", "mississippi"):
    f = frequencies(w)
    print(w, f.most_common(1)[0])
