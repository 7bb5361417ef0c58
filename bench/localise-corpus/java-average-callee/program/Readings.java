public class Readings {
  static int count(Integer[] xs) {
    int n = 0;
    for (Integer x : xs) if (x == null) n++;
    return n;
  }

  static int total(Integer[] xs) {
    int t = 0;
    for (Integer x : xs) if (x != null) t += x;
    return t;
  }

  static int average(Integer[] xs) {
    return total(xs) / count(xs);
  }
}
