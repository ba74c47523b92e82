/** Not API: the annotations' shared configuration and the failure report. May change without notice. */
package dev.webstack.junit.internal;
