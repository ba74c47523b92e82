package dev.webstack.balancer;

import java.util.Arrays;

/**
 * A set of server ids ordered by a key, the lowest first, and among equal keys by insertion order: what
 * HAProxy's eb32 trees give its FWRR scheduler (duplicates are kept in insertion order). A binary heap with an
 * index per id, so insert, remove and first are O(log n) and allocate nothing once grown. Not thread-safe.
 */
final class IdHeap {

  private int[] heap = new int[0];
  private int size;
  private int[] position = new int[0];
  private long[] key = new long[0];
  private long[] order = new long[0];
  private long insertions;

  /** Makes room for ids below {@code ids}. */
  void grow(int ids) {
    if (ids <= position.length) {
      return;
    }
    int old = position.length;
    heap = Arrays.copyOf(heap, ids);
    position = Arrays.copyOf(position, ids);
    Arrays.fill(position, old, ids, -1);
    key = Arrays.copyOf(key, ids);
    order = Arrays.copyOf(order, ids);
  }

  boolean contains(int id) {
    return position[id] >= 0;
  }

  /** The id with the lowest key, the earliest inserted among equals; -1 when empty. */
  int first() {
    return size == 0 ? -1 : heap[0];
  }

  void insert(int id, long k) {
    key[id] = k;
    order[id] = insertions++;
    heap[size] = id;
    position[id] = size;
    up(size++);
  }

  void remove(int id) {
    int at = position[id];
    if (at < 0) {
      return;
    }
    position[id] = -1;
    int last = heap[--size];
    if (at == size) {
      return;
    }
    heap[at] = last;
    position[last] = at;
    up(at);
    down(position[last]);
  }

  private boolean less(int a, int b) {
    return key[a] < key[b] || (key[a] == key[b] && order[a] < order[b]);
  }

  private void up(int at) {
    int id = heap[at];
    while (at > 0) {
      int parent = (at - 1) >>> 1;
      if (!less(id, heap[parent])) {
        break;
      }
      move(heap[parent], at);
      at = parent;
    }
    move(id, at);
  }

  private void down(int at) {
    int id = heap[at];
    while (true) {
      int child = 2 * at + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && less(heap[child + 1], heap[child])) {
        child++;
      }
      if (!less(heap[child], id)) {
        break;
      }
      move(heap[child], at);
      at = child;
    }
    move(id, at);
  }

  private void move(int id, int at) {
    heap[at] = id;
    position[id] = at;
  }
}
