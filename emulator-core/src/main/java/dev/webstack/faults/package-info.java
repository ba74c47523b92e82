/**
 * Breaking a running stack on purpose: node faults ({@link dev.webstack.faults.NodeFaults}), link faults
 * between components ({@link dev.webstack.faults.LinkFaults}), each a {@link dev.webstack.faults.Fault} that can
 * be undone. Kills and restarts of nodes and hosts are on {@link dev.webstack.Node} and {@link dev.webstack.Host}.
 */
package dev.webstack.faults;
