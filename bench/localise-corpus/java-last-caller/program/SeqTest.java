public class SeqTest {
  public static void main(String[] args) {
    if (Seq.first(new int[] {4, 5, 6}) != 4) throw new AssertionError("first");
    if (Seq.last(new int[] {4, 5, 6}) != 6) throw new AssertionError("last");
  }
}
