/**
 * JUnit 5 integration for webstack-emulator: the {@code @WebStack} annotation and its extension will live here,
 * built on the core module's public API only ({@code StackSpec}, {@code EmulatedStack}). Until then, tests use the
 * core API directly, with try-with-resources:
 *
 * <pre>{@code
 * try (EmulatedStack stack = StackSpec.distributed().start()) {
 *   ...
 * }
 * }</pre>
 */
package dev.webstack.junit;
