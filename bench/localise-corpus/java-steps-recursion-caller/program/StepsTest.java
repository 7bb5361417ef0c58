public class StepsTest {
  public static void main(String[] args) {
    if (Steps.steps(3) != 3) throw new AssertionError("steps(3)");
  }
}
