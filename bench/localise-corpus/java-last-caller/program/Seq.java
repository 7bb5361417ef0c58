public class Seq {
  static int get(int[] items, int i) {
    if (i < 0) throw new IllegalArgumentException("negative");
    return items[i];
  }

  static int first(int[] items) {
    return get(items, 0);
  }

  static int last(int[] items) {
    return get(items, items.length);
  }
}
