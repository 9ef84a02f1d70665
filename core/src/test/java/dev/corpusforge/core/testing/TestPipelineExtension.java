package dev.corpusforge.core.testing;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import org.apache.beam.sdk.testing.TestPipeline;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.runner.Description;
import org.junit.runners.model.Statement;

/**
 * Beam's {@link TestPipeline} for JUnit 5 tests: before each test a fresh pipeline goes into every
 * {@code TestPipeline} field of the test instance, and the test runs inside the pipeline's own
 * rule, so what the rule checks still holds (the pipeline was run, no transform was left unapplied,
 * every {@code PAssert} ran).
 *
 * <pre>{@code
 * @ExtendWith(TestPipelineExtension.class)
 * class MyStageTest {
 *   TestPipeline p;
 *   @Test void keepsGoodRecords() { ... p.run().waitUntilFinish(); }
 * }
 * }</pre>
 */
public final class TestPipelineExtension implements BeforeEachCallback, InvocationInterceptor {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(TestPipelineExtension.class);

  @Override
  public void beforeEach(ExtensionContext context) throws IllegalAccessException {
    TestPipeline pipeline = TestPipeline.create();
    Object test = context.getRequiredTestInstance();
    boolean injected = false;
    for (Class<?> c = test.getClass(); c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (f.getType() == TestPipeline.class) {
          f.setAccessible(true);
          f.set(test, pipeline);
          injected = true;
        }
      }
    }
    if (!injected) {
      throw new IllegalStateException(
          test.getClass().getName()
              + " has no TestPipeline field for "
              + TestPipelineExtension.class.getSimpleName());
    }
    context.getStore(NAMESPACE).put(TestPipeline.class, pipeline);
  }

  @Override
  public void interceptTestMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    TestPipeline pipeline = context.getStore(NAMESPACE).get(TestPipeline.class, TestPipeline.class);
    Statement test =
        new Statement() {
          @Override
          public void evaluate() throws Throwable {
            invocation.proceed();
          }
        };
    Description description =
        Description.createTestDescription(
            context.getRequiredTestClass(),
            context.getRequiredTestMethod().getName(),
            context.getRequiredTestMethod().getAnnotations());
    pipeline.apply(test, description).evaluate();
  }
}
