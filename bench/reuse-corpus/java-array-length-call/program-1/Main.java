public class Main {
    public static void main(String[] args) {
        int[] values = {3, 1, 4};
        System.out.println(values.length());
    }
}
