public class Text {
  static String initials(String name) {
    StringBuilder out = new StringBuilder();
    for (String part : name.split(" ")) out.append(part.charAt(0));
    return out.toString();
  }

  static String head(String s, int n) {
    if (s.length() <= n) return s;
    return s.substring(0, n + s.length());
  }
}
