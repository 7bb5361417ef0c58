public class ReadingsTest {
  public static void main(String[] args) {
    int avg = Readings.average(new Integer[] {2, 4, 6});
    if (avg != 4) throw new AssertionError("average " + avg);
  }
}
