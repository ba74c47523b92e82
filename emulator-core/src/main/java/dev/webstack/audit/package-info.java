/**
 * The audit of a stack's topology: the seed's "issues with this infrastructure" (single points of failure,
 * downtime during maintenance, not scalable, no firewall, no HTTPS, no monitoring) computed from the model, as
 * immutable {@link dev.webstack.audit.Finding}s in an {@link dev.webstack.audit.Audit} with a readable text form.
 * Start from {@link dev.webstack.StackSpec#audit()} or {@link dev.webstack.EmulatedStack#audit()}.
 */
package dev.webstack.audit;
