class Palindrome {
    public static void main(String[] args) {
        String s = "level";
        boolean same = true;
        for (int i = 0; i < s.length / 2; i++) {
            same &= s.charAt(i) == s.charAt(s.length() - 1 - i);
        }
        System.out.println(same);
    }
}
