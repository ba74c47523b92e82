package dev.webstack.benchmarks.simulation;

import dev.webstack.balancer.BalancingAlgorithm;
import dev.webstack.balancer.Picker;
import dev.webstack.balancer.ServerSet;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * How many keys change server when one server leaves or joins, for the hashing algorithms (balancing.md §5.2:
 * "keys moved on membership change vs ideal 1/n"). The ideal is the share of keys the leaving server held (or the
 * joining one gets), about 1/n; anything beyond that is a key moved between two servers that both stayed, i.e. a
 * cache or session lost for nothing.
 *
 * <p>Leaving uses {@link ServerSet#remove}. Joining is modelled as a server that was down coming up ({@link
 * ServerSet#markDown} before the first mapping, {@link ServerSet#markUp} before the second): the tables are built
 * from available servers only, so this is the same table change as adding it, and it lets every server position
 * be measured, not just the next id. Each measurement uses a fresh set of equal-weight servers named
 * {@code s0..s(n−1)} and the same random keys.
 */
public final class KeyMovement {

  private KeyMovement() {}

  /** The kind of membership change. */
  public enum Change { REMOVE, JOIN }

  /**
   * The outcome over the sampled servers.
   *
   * @param meanMoved mean share of keys whose server changed
   * @param minMoved smallest share over the sampled servers
   * @param maxMoved largest share over the sampled servers
   * @param meanNeedless mean share of keys that moved although neither their old nor their new server was the
   *     one leaving or joining
   * @param ideal 1/n for a removal from n servers, 1/(n + 1) for a join to n
   * @param keysMaxOverMean max ÷ mean of keys per server before the change (averaged over samples): how evenly the
   *     table spreads keys in the first place
   */
  public record Result(String algorithm, int n, int keys, Change change, int samples, double meanMoved,
      double minMoved, double maxMoved, double meanNeedless, double ideal, double keysMaxOverMean) {

    /** Moved share ÷ ideal share: 1 is optimal. */
    public double movedOverIdeal() {
      return meanMoved / ideal;
    }
  }

  /** {@code count} uniform random non-zero 64-bit keys (0 means "no key" to the pickers). */
  public static long[] randomKeys(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    long[] keys = new long[count];
    for (int i = 0; i < count; i++) {
      long k = random.nextLong();
      keys[i] = k == 0 ? 1 : k;
    }
    return keys;
  }

  /**
   * Measures one kind of change.
   *
   * @param n servers before the change: a removal goes from n to n − 1 (ideal 1/n), a join from n to n + 1
   *     (ideal 1/(n + 1))
   * @param samples how many server positions to try, spread evenly over 0..n−1 (0..n for a join); at most all
   */
  public static Result measure(String label, BalancingAlgorithm algorithm, Change change, int n, long[] keys,
      int samples) {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(change, "change");
    int size = change == Change.REMOVE ? n : n + 1;
    int count = Math.max(1, Math.min(samples, size));
    double[] moved = new double[count];
    double[] needless = new double[count];
    double[] spread = new double[count];
    int[] before = new int[keys.length];
    int[] after = new int[keys.length];
    for (int s = 0; s < count; s++) {
      int target = (int) ((long) s * size / count);
      ServerSet set = new ServerSet(() -> 0L);
      for (int i = 0; i < size; i++) {
        set.add("s" + i, 1);
      }
      if (change == Change.JOIN) {
        set.markDown(target);
      }
      Picker picker = algorithm.newPicker(set);
      map(picker, keys, before);
      spread[s] = keysMaxOverMean(before, set);
      if (change == Change.REMOVE) {
        set.remove(target);
      } else {
        set.markUp(target);
      }
      map(picker, keys, after);
      long movedKeys = 0;
      long needlessKeys = 0;
      for (int k = 0; k < keys.length; k++) {
        if (before[k] != after[k]) {
          movedKeys++;
          if (before[k] != target && after[k] != target) {
            needlessKeys++;
          }
        }
      }
      moved[s] = (double) movedKeys / keys.length;
      needless[s] = (double) needlessKeys / keys.length;
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double m : moved) {
      min = Math.min(min, m);
      max = Math.max(max, m);
    }
    double ideal = change == Change.REMOVE ? 1.0 / n : 1.0 / (n + 1);
    return new Result(label, n, keys.length, change, count, Stats.mean(moved), min, max, Stats.mean(needless),
        ideal, Stats.mean(spread));
  }

  private static void map(Picker picker, long[] keys, int[] out) {
    for (int k = 0; k < keys.length; k++) {
      out[k] = picker.pick(keys[k], Picker.SKIP_NONE);
    }
  }

  /** max ÷ mean keys over the servers available in {@code set}. */
  private static double keysMaxOverMean(int[] owners, ServerSet set) {
    int[] perServer = new int[set.size()];
    for (int owner : owners) {
      perServer[owner]++;
    }
    int available = 0;
    int max = 0;
    for (int id = 0; id < perServer.length; id++) {
      if (set.isAvailable(id)) {
        available++;
        max = Math.max(max, perServer[id]);
      }
    }
    return max / ((double) owners.length / available);
  }
}
