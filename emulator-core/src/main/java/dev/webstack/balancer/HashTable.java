package dev.webstack.balancer;

/**
 * The lookup table of a table-driven algorithm (HAProxy's server map and consistent-hash tree, Envoy's Maglev
 * table): server ids in the order a lookup walks them, and where a key's walk starts. Immutable.
 */
interface HashTable extends LazyTable.Table {

  /** Server ids in walk order, each as often as its weight asks; not to be modified. */
  int[] order();

  /** The index in {@link #order()} where the walk for {@code key} (never 0) starts. */
  int start(long key);
}
