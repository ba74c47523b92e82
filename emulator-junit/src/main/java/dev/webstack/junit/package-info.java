/**
 * JUnit Jupiter and jqwik integration for webstack-emulator.
 *
 * <ul>
 *   <li>{@link dev.webstack.junit.WebStack @WebStack}: a running stack per test (or per class), configured by
 *       annotation attributes and injected as parameters ({@code EmulatedStack}, {@code HttpClient}, {@code
 *       StackClock}, {@code @StackNode("web-1") Node}, ...).
 *   <li>{@link dev.webstack.junit.WebStackExtension#of(dev.webstack.StackSpec)}: the same, registered
 *       programmatically with a spec of your own ({@code static} field: per class; instance field: per test).
 *   <li>{@link dev.webstack.junit.WebStackAssertions}: AssertJ assertions on stacks, nodes and the traffic a
 *       {@link dev.webstack.junit.TrafficRecorder} sent.
 *   <li>{@link dev.webstack.junit.jqwik}: a fresh stack per jqwik try, stateful actions and invariants.
 * </ul>
 *
 * <p>JUnit, jqwik and AssertJ are {@code provided} dependencies: the module runs on the versions your project
 * declares (JUnit Jupiter 5.10 or later, including 6.x; jqwik 1.10). {@code dev.webstack.junit.internal} is not
 * API. See {@code docs/junit.md}.
 */
package dev.webstack.junit;
