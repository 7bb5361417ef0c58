public class Stats {
  static double mean(int[] xs) {
    int sum = 0;
    for (int x : xs) sum += x;
    return (double) sum / xs.length;
  }

  static int max(int[] xs) {
    int best = xs[0];
    for (int x : xs) {
      if (x < best) best = x;
    }
    return best;
  }

  static int spread(int[] xs) {
    int lo = xs[0];
    for (int x : xs) lo = Math.min(lo, x);
    return max(xs) - lo;
  }
}
