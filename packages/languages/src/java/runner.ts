import { TEST_MARK } from '../types.js';

/** The runner's class, compiled with the project (verify.ts) into its classes directory. */
export const JAVA_RUNNER_CLASS = 'hardfix.TestRunner';

/**
 * Runs one `*Test` class's `main` in a JVM of its own and makes that JVM's exit status the test's
 * verdict. Before the class loads, it installs a security manager whose only rule is that the first
 * exit status asked for (System.exit, Runtime.halt, or this runner's own exit 1 after an exception)
 * is the JVM's: a shutdown hook that calls `Runtime.getRuntime().halt(0)` after the test's
 * `System.exit(1)` is refused and reported. Without it, the status the host reads would be the
 * hook's. The guard cannot be replaced (setSecurityManager is refused). JDK 24 removed the security
 * manager: there the runner says it runs unguarded, and the host fails a test that passed that way
 * without returning from main (test-verdict.ts).
 * The JDK warns about setSecurityManager on stderr; test-counts.ts drops those lines with the marks.
 */
export const JAVA_RUNNER_SOURCE = `package hardfix;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.security.Permission;

@SuppressWarnings("removal")
public final class TestRunner {
  private static final Object LOCK = new Object();
  /** Taken before the test loads: it may replace System.err. */
  private static final PrintStream MARKS = new PrintStream(new FileOutputStream(FileDescriptor.err), true);
  private static Integer decided;

  private static void mark(String line) {
    MARKS.println("${TEST_MARK} " + line);
  }

  private static boolean guard(String name) {
    try {
      System.setSecurityManager(new SecurityManager() {
        @Override public void checkPermission(Permission p) {
          if (p instanceof RuntimePermission && "setSecurityManager".equals(p.getName()))
            throw new SecurityException("the test runner's exit guard cannot be replaced");
        }
        @Override public void checkPermission(Permission p, Object context) { checkPermission(p); }
        @Override public void checkExit(int status) {
          synchronized (LOCK) {
            if (decided == null) decided = status;
            else if (decided != status) {
              mark("tampered " + name + ": exit status " + decided + " changed to " + status);
              throw new SecurityException("the exit status is already " + decided);
            }
          }
        }
      });
      return true;
    } catch (UnsupportedOperationException e) {
      return false;
    }
  }

  public static void main(String[] args) {
    String name = args[0];
    if (!guard(name)) mark("unguarded " + name);
    Throwable failure = null;
    try {
      Method main = Class.forName(name, true, TestRunner.class.getClassLoader()).getMethod("main", String[].class);
      // The launcher runs the main of a class that is not public (\`class CalcTest\`); so does this.
      main.setAccessible(true);
      main.invoke(null, (Object) new String[0]);
    } catch (InvocationTargetException e) {
      failure = e.getCause();
    } catch (Throwable e) {
      failure = e;
    }
    if (failure != null) {
      // What the JVM prints for an uncaught exception, then the exit status decided here, not by a hook.
      System.err.print("Exception in thread \\"main\\" ");
      failure.printStackTrace();
      System.exit(1);
    }
    System.out.flush();
    mark("returned " + name);
  }
}
`;
