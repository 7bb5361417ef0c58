public class Histogram {
    private final int[] buckets = new int[5];

    void add(int v) {
        buckets[v % buckets.length()]++;
    }

    public static void main(String[] args) {
        Histogram h = new Histogram();
        for (int i = 0; i < 12; i++) h.add(i);
        System.out.println(h.buckets[0]);
    }
}
