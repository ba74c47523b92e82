package dev.webstack.junit.jqwik;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the {@code @ForAll long} parameter of a {@link WebStackProperty} property whose value seeds the try's
 * stack: {@code void p(@ForAll @StackSeed long seed, ...)}. Being part of the sample, the seed differs per try,
 * is kept (or shrunk) with the sample, and is printed with it.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface StackSeed {}
