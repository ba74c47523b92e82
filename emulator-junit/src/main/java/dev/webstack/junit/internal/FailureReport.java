package dev.webstack.junit.internal;

import dev.webstack.EmulatedStack;
import dev.webstack.inspection.StackEvent;
import dev.webstack.junit.TrafficRecorder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a failed test or try tells about its stack: the seed and how to replay it, the stack's dump (nodes, faults,
 * request journals, each proxy's servers, latest events), and the requests the test sent through its
 * {@link TrafficRecorder}s. Not API.
 *
 * @param stackName the stack's unique name
 * @param seed the stack's seed
 * @param replay how to replay the run, one line
 * @param dump the description and the event log
 */
public record FailureReport(String stackName, long seed, String replay, String dump) {

  /** Report entries and log messages keep the latest events only; the stack keeps up to 10,000. */
  public static final int MAX_EVENTS = 200;

  /** Report entry keys. */
  public static final String KEY_SEED = "webstack.seed";
  public static final String KEY_REPLAY = "webstack.replay";
  public static final String KEY_DUMP = "webstack.dump";

  /** Report entries and log messages keep the latest requests only. */
  public static final int MAX_REQUESTS = 50;

  /** The report of {@code stack}, read now. */
  public static FailureReport of(EmulatedStack stack, String replay) {
    return of(stack, replay, List.of());
  }

  /** The report of {@code stack} with the requests the test sent through its recorders, oldest first. */
  public static FailureReport of(EmulatedStack stack, String replay, List<TrafficRecorder.Exchange> requests) {
    // A running stack gives its whole dump (nodes, faults, journals, backends, latest events); a stack that
    // failed to start or is closed gives its description and its event log, which outlive it.
    boolean running = stack.isRunning();
    StringBuilder b = new StringBuilder(running ? stack.dump() : stack.describe());
    if (!requests.isEmpty()) {
      b.append("\nrequests (").append(requests.size())
          .append(requests.size() > MAX_REQUESTS ? ", latest " + MAX_REQUESTS : "").append("):");
      int from = Math.max(0, requests.size() - MAX_REQUESTS);
      for (TrafficRecorder.Exchange e : requests.subList(from, requests.size())) {
        b.append("\n  ").append(e);
      }
    }
    if (!running) {
      List<StackEvent> events = stack.events();
      b.append("\nevents (").append(events.size()).append(events.size() > MAX_EVENTS ? ", latest " + MAX_EVENTS : "")
          .append("):");
      if (events.isEmpty()) {
        b.append(" none");
      }
      for (StackEvent e : events.subList(Math.max(0, events.size() - MAX_EVENTS), events.size())) {
        b.append("\n  ").append(e);
      }
    }
    return new FailureReport(stack.name(), stack.seed(), replay, b.toString());
  }

  /** The report as JUnit report entries, in a stable order. */
  public Map<String, String> entries() {
    Map<String, String> entries = new LinkedHashMap<>();
    entries.put(KEY_SEED, Long.toString(seed));
    entries.put(KEY_REPLAY, replay);
    entries.put(KEY_DUMP, dump);
    return entries;
  }

  /** The report as text: a headline naming {@code what} failed, the replay line, the dump. */
  public String text(String what) {
    return what + " failed on stack " + stackName + " (seed " + seed + ")\nreplay: " + replay + "\n" + dump;
  }
}
