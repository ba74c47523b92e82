package dev.webstack.benchmarks.simulation;

import java.util.Arrays;

/**
 * A binary min-heap of (completion time, server id) pairs on primitive arrays: the event list of the queueing
 * simulation. Only completions need a heap, since arrivals come from one stream in time order. Primitive arrays
 * rather than {@code PriorityQueue<Event>} keep millions of events free of allocation and boxing; ties in time are
 * broken by insertion order, so a run does not depend on heap layout.
 */
final class CompletionQueue {

  private double[] time = new double[64];
  private int[] id = new int[64];
  private long[] order = new long[64];
  private int size;
  private long inserted;

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  /** The earliest completion time; +∞ when empty, so "process completions up to t" needs no special case. */
  double peekTime() {
    return size == 0 ? Double.POSITIVE_INFINITY : time[0];
  }

  void add(double t, int server) {
    if (size == time.length) {
      time = Arrays.copyOf(time, size * 2);
      id = Arrays.copyOf(id, size * 2);
      order = Arrays.copyOf(order, size * 2);
    }
    int i = size++;
    long o = inserted++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!before(t, o, time[parent], order[parent])) {
        break;
      }
      move(parent, i);
      i = parent;
    }
    time[i] = t;
    id[i] = server;
    order[i] = o;
  }

  /** Removes the earliest completion and returns its server id. */
  int poll() {
    int result = id[0];
    size--;
    if (size > 0) {
      double t = time[size];
      int server = id[size];
      long o = order[size];
      int i = 0;
      while (true) {
        int child = 2 * i + 1;
        if (child >= size) {
          break;
        }
        if (child + 1 < size && before(time[child + 1], order[child + 1], time[child], order[child])) {
          child++;
        }
        if (!before(time[child], order[child], t, o)) {
          break;
        }
        move(child, i);
        i = child;
      }
      time[i] = t;
      id[i] = server;
      order[i] = o;
    }
    return result;
  }

  private static boolean before(double t1, long o1, double t2, long o2) {
    return t1 < t2 || (t1 == t2 && o1 < o2);
  }

  private void move(int from, int to) {
    time[to] = time[from];
    id[to] = id[from];
    order[to] = order[from];
  }
}
