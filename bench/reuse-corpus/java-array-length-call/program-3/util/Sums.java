package util;

public class Sums {
    static int total(int[] xs) {
        int sum = 0;
        for (int i = 0; i < xs.length(); i++) {
            sum += xs[i];
        }
        return sum;
    }

    public static void main(String[] args) {
        System.out.println(total(new int[] {1, 2, 3}));
    }
}
