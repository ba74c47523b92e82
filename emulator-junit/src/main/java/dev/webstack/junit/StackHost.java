package dev.webstack.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Injects a host of the test's stack by name: {@code @StackHost("server-1") Host server}. */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface StackHost {

  /** The host's name, for example {@code server-1} in the simple preset or {@code lb-1} in the distributed one. */
  String value();
}
