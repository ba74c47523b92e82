package dev.webstack.balancer;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.IntPredicate;

/**
 * HAProxy's fast weighted round robin ({@code src/lb_fwrr.c}, {@code balance roundrobin}), ported step for step
 * for one thread group and active servers only; see {@link BalancingAlgorithm#haproxyRoundRobin()}.
 *
 * <p>Effective weights are user weights × 16. Servers sit in one of three trees: the current one, ordered by next
 * position (then heavier first, then smaller carried remainder), and two ordered by weight that swap roles: "init"
 * holds servers starting the cycle, "next" those that already used their share of it. A pick takes the head of
 * the current tree if its position has come, else the heaviest server of "init"; the chosen server's position
 * advances by total ÷ weight, remainder carried; a server whose position leaves the window goes to "next"; when
 * both current and init are empty the trees switch and a new cycle starts with the weights as they are then.
 * Weight and state changes are applied the way HAProxy's {@code fwrr_set_server_status_up/down} and {@code
 * fwrr_update_server_weight} apply them, lazily at the next pick after {@link ServerSet#version()} moved.
 * Skipped servers are treated like HAProxy's saturated ones: extracted (their turn is used) and requeued.
 * O(log n) per pick under one lock (HAProxy locks per thread group).
 *
 * <p>The port answers the same sequences as HAProxy 2.6.12, including its inexact cycles (a server leaving the
 * window drops its carried remainder {@code rweight}); {@code HaproxyConformanceTest} holds the recordings.
 */
final class FastWeightedRoundRobin implements Picker {

  static final BalancingAlgorithm ALGORITHM = new Algorithm("fwrr", FastWeightedRoundRobin::new);

  /** {@code BE_WEIGHT_SCALE}: effective weight per unit of user weight. */
  private static final int WEIGHT_SCALE = 16;
  /** {@code SRV_EWGHT_MAX}. */
  private static final int EWEIGHT_MAX = ServerSet.MAX_WEIGHT * WEIGHT_SCALE;
  /** {@code SRV_UWGHT_RANGE}. */
  private static final int UWEIGHT_RANGE = ServerSet.MAX_WEIGHT;

  private static final int NO_TREE = 0;
  private static final int CURRENT = 1;

  private final ServerSet servers;
  /** Index 1 is the current tree; 2 and 3 are the weight-ordered trees that {@link #init} and {@link #next} name. */
  private final IdHeap[] trees = {null, new IdHeap(), new IdHeap(), new IdHeap()};
  private int init = 2;
  private int next = 3;
  /** {@code grp->curr_pos}, {@code grp->curr_weight}, {@code lbprm.fwrr.next_weight_act}, {@code srv_act}. */
  private int currentPosition;
  private int currentWeight;
  private int nextWeight;
  private int active;

  /** Per server: {@code cur_eweight}, {@code npos}, {@code lpos}, {@code rweight}, {@code lb_tree}. */
  private int[] eweight = new int[0];
  private int[] npos = new int[0];
  private int[] lpos = new int[0];
  private int[] rweight = new int[0];
  private int[] tree = new int[0];
  /** Servers extracted but not taken during one pick, chained as HAProxy's {@code next_full}. */
  private int[] nextFull = new int[0];

  private long seenVersion = Long.MIN_VALUE;
  private boolean ramping;

  private FastWeightedRoundRobin(ServerSet servers) {
    this.servers = Objects.requireNonNull(servers, "servers");
  }

  /** {@code fwrr_get_next_server}. */
  @Override
  public synchronized int pick(long key, IntPredicate skip) {
    sync();
    if (active == 0) {
      return -1;
    }
    boolean switched = false;
    int full = -1;
    int srv;
    while (true) {
      if (currentWeight == 0) {
        currentPosition = currentWeight = nextWeight;
      }
      srv = fromGroup();
      while (srv < 0) {
        if (switched) {
          requeue(full, -1, true);
          return -1;
        }
        switched = true;
        switchTrees();
        srv = fromGroup();
      }
      updatePosition(srv);
      dequeue(srv);
      currentPosition++;
      if (servers.isAvailable(srv) && !skip.test(srv)) {
        break;
      }
      nextFull[srv] = full;
      full = srv;
    }
    queue(srv);
    requeue(full, srv, switched);
    return srv;
  }

  /** Applies weight and state changes since the last pick, as HAProxy's per-server callbacks would have. */
  private void sync() {
    long version = servers.version();
    if (version == seenVersion && !ramping) {
      return;
    }
    int n = servers.size();
    if (eweight.length < n) {
      grow(n);
    }
    boolean anyRamping = false;
    for (int id = 0; id < n; id++) {
      anyRamping |= servers.isRamping(id);
      int now = servers.effectiveWeight(id) * WEIGHT_SCALE;
      int was = eweight[id];
      if (now == was) {
        continue;
      }
      if (was == 0) {
        statusUp(id, now);
      } else if (now == 0) {
        statusDown(id);
      } else {
        updateWeight(id, now);
      }
    }
    seenVersion = version;
    ramping = anyRamping;
  }

  private void grow(int n) {
    eweight = Arrays.copyOf(eweight, n);
    npos = Arrays.copyOf(npos, n);
    lpos = Arrays.copyOf(lpos, n);
    rweight = Arrays.copyOf(rweight, n);
    tree = Arrays.copyOf(tree, n);
    nextFull = Arrays.copyOf(nextFull, n);
    for (int t = 1; t < trees.length; t++) {
      trees[t].grow(n);
    }
  }

  /** {@code fwrr_set_server_status_up}; at start every server comes up this way, into the next tree. */
  private void statusUp(int id, int newWeight) {
    eweight[id] = newWeight;
    nextWeight += newWeight;
    active++;
    getSrv(id);
    npos[id] = currentPosition + (nextWeight + currentWeight - currentPosition) / newWeight;
    queue(id);
  }

  /** {@code fwrr_set_server_status_down}. */
  private void statusDown(int id) {
    dequeue(id);
    tree[id] = NO_TREE;
    nextWeight -= eweight[id];
    active--;
    eweight[id] = 0;
  }

  /** {@code fwrr_update_server_weight} for a server that stays up. */
  private void updateWeight(int id, int newWeight) {
    nextWeight += newWeight - eweight[id];
    eweight[id] = newWeight;
    if (tree[id] == init) {
      dequeue(id);
      queueByWeight(init, id);
      return;
    }
    getSrv(id);
    int previousNext = npos[id];
    int step = nextWeight / newWeight;
    npos[id] = lpos[id] + step;
    rweight[id] = 0;
    if (npos[id] > previousNext) {
      npos[id] = previousNext;
    }
    if (npos[id] < currentPosition + 2) {
      npos[id] = currentPosition + step;
    }
    dequeue(id);
    queue(id);
  }

  /** {@code fwrr_get_srv}: prepares a server taken out of its tree. */
  private void getSrv(int id) {
    if (tree[id] == init) {
      npos[id] = 0;
      rweight[id] = 0;
    } else if (tree[id] == next) {
      npos[id] += currentWeight;
    } else if (tree[id] == NO_TREE) {
      npos[id] = currentPosition;
    }
  }

  /** {@code fwrr_queue_srv}: into the current tree if its position fits the window, else into next. */
  private void queue(int id) {
    if (eweight[id] == 0) {
      tree[id] = NO_TREE;
    } else if (npos[id] >= 2 * currentWeight || npos[id] >= currentWeight + nextWeight) {
      npos[id] -= currentWeight;
      queueByWeight(next, id);
    } else {
      long key = (long) UWEIGHT_RANGE * npos[id] + (EWEIGHT_MAX + rweight[id] - eweight[id]) / WEIGHT_SCALE;
      trees[CURRENT].insert(id, key);
      tree[id] = CURRENT;
    }
  }

  /** {@code fwrr_queue_by_weight}: heaviest first. */
  private void queueByWeight(int t, int id) {
    trees[t].insert(id, EWEIGHT_MAX - eweight[id]);
    tree[id] = t;
  }

  private void dequeue(int id) {
    for (int t = 1; t < trees.length; t++) {
      trees[t].remove(id);
    }
  }

  /** {@code fwrr_switch_trees}. */
  private void switchTrees() {
    int swap = init;
    init = next;
    next = swap;
    currentWeight = nextWeight;
    currentPosition = currentWeight;
  }

  /** {@code fwrr_get_server_from_group}: the current head if its turn has come, else the heaviest in init. */
  private int fromGroup() {
    int s1 = trees[CURRENT].first();
    if (s1 >= 0 && eweight[s1] != 0 && npos[s1] <= currentPosition) {
      return s1;
    }
    int s2 = trees[init].first();
    if (s2 >= 0 && eweight[s2] != 0) {
      npos[s2] = 0;
      rweight[s2] = 0;
      return s2;
    }
    return s1;
  }

  /** {@code fwrr_update_position}: advance by total ÷ weight, carrying the remainder. */
  private void updatePosition(int id) {
    int weight = eweight[id];
    if (weight == 0) {
      return;
    }
    if (npos[id] == 0) {
      npos[id] = currentPosition;
    }
    lpos[id] = npos[id];
    npos[id] += nextWeight / weight;
    rweight[id] += nextWeight % weight;
    if (rweight[id] >= weight) {
      rweight[id] -= weight;
      npos[id]++;
    }
  }

  /** Puts back the servers extracted but not taken: by weight into init after a switch, else by position. */
  private void requeue(int full, int taken, boolean switched) {
    for (int id = full; id >= 0; id = nextFull[id]) {
      if (id == taken) {
        continue;
      }
      if (switched) {
        queueByWeight(init, id);
      } else {
        queue(id);
      }
    }
  }
}
