package dev.webstack.inspection;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One node at the moment of a {@link StackSnapshot}. Immutable.
 *
 * @param name the node's name
 * @param role the real system it stands for, for example {@code HAProxy}
 * @param host the host it runs on
 * @param running whether it accepts work
 * @param port its loopback port (0 for the database, which has no socket)
 * @param faults the descriptions of the faults active on it
 * @param journal its request journal, for HTTP nodes
 */
public record NodeState(String name, String role, String host, boolean running, int port, List<String> faults,
    Optional<NodeJournal> journal) {

  public NodeState {
    Objects.requireNonNull(name, "name");
    faults = List.copyOf(faults);
    Objects.requireNonNull(journal, "journal");
  }
}
