/**
 * jqwik support: {@link dev.webstack.junit.jqwik.WebStackProperty @WebStackProperty} gives every try of a
 * property a fresh stack (jqwik is its own engine, so the Jupiter extension never runs around a property); {@link
 * dev.webstack.junit.jqwik.StackActions} are stateful actions for jqwik's {@code ActionChain} over a {@link
 * dev.webstack.junit.jqwik.StackState}; {@link dev.webstack.junit.jqwik.StackInvariants} are reusable checks for
 * {@code withInvariant}. Needs {@code net.jqwik:jqwik} 1.10 on the test class path; nothing here loads without it,
 * and nothing outside this package needs it.
 */
package dev.webstack.junit.jqwik;
