public class StatsTest {
  public static void main(String[] args) {
    if (Stats.mean(new int[] {1, 2, 3}) != 2.0) throw new AssertionError("mean");
    int m = Stats.max(new int[] {3, 9, 4});
    if (m != 9) throw new AssertionError("max was " + m);
  }
}
