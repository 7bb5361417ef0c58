public class WalkTest {
  public static void main(String[] args) {
    if (Walk.total(new int[] {1, 2, 3}) != 6) throw new AssertionError("total");
    if (Walk.depth(new int[] {1, 2, 3}) != 3) throw new AssertionError("depth");
  }
}
