package app;

import java.util.Collections;
import java.util.List;

public class Scores {
    static List<Integer> top(List<Integer> all, int n) {
        ArrayList<Integer> copy = new ArrayList<>(all);
        Collections.sort(copy, Collections.reverseOrder());
        return copy.subList(0, n);
    }

    public static void main(String[] args) {
        System.out.println(top(List.of(5, 1, 9, 3), 2));
    }
}
