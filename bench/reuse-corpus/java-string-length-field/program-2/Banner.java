public class Banner {
    static String frame(String text) {
        String bar = "*".repeat(text.length + 4);
        return bar + "\n* " + text + " *\n" + bar;
    }

    public static void main(String[] args) {
        System.out.println(frame("hi"));
    }
}
