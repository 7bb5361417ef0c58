class Grid {
    public static void main(String[] args) {
        int[] row = new int[] {0, 1, 0, 1};
        int on = 0;
        for (int cell : row) on += cell;
        System.out.printf("%d of %d%n", on, row.length());
    }
}
