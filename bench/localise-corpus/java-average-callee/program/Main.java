public class Main {
  public static void main(String[] args) {
    System.out.println(Readings.total(new Integer[] {1, null, 2}));
  }
}
