package dev.webstack.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Injects a node of the test's stack by name: {@code @StackNode("web-1") Node web1}. The parameter's type may
 * be {@link dev.webstack.Node} or a subtype the node implements, such as {@link dev.webstack.DatabaseNode}.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface StackNode {

  /** The node's name, for example {@code lb-1}, {@code web-2}, {@code app-1}, {@code db-1}. */
  String value();
}
