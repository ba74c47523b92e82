/**
 * What a test can read back from a running stack: the event log, request journals, balancer statistics in
 * HAProxy's vocabulary, and the text dump of the whole stack. Every object handed out is an immutable snapshot.
 */
package dev.webstack.inspection;
