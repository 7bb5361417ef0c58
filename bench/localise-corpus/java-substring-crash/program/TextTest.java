public class TextTest {
  public static void main(String[] args) {
    if (!Text.initials("ada lovelace").equals("al")) throw new AssertionError("initials");
    if (!Text.head("abcdef", 3).equals("abc")) throw new AssertionError("head");
  }
}
