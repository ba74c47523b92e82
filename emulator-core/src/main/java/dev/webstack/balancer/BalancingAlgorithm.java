package dev.webstack.balancer;

/**
 * How a balancer (or a web server forwarding to the application tier) chooses among its servers. The algorithm
 * is a factory: each balancer asks it for a {@link Picker} over its own {@link ServerSet}, so pickers keep their
 * state (counters, positions, tables) per balancer, as HAProxy keeps it per backend.
 *
 * <p>Implementations must be immutable and thread-safe; the pickers they return must be thread-safe and must not
 * allocate per pick. Pickers may also be used on their own, outside a running stack.
 */
public interface BalancingAlgorithm {

  /** A short name for descriptions and stats, in HAProxy's vocabulary where one exists ({@code roundrobin}). */
  String name();

  /** A fresh picker over {@code servers}; it follows later changes of the set. */
  Picker newPicker(ServerSet servers);

  /**
   * A fresh picker inside a running stack, which passes a seed derived from its own seed and the proxy's name.
   * Algorithms that draw random numbers without a seed of their own ({@link #random()}, {@link
   * #powerOfTwoChoices()}) use it, so that a stack's seed replays its balancing too; the others ignore it.
   */
  default Picker newPicker(ServerSet servers, long stackSeed) {
    return newPicker(servers);
  }

  /** The request attribute the picker hashes; {@link HashKey#none()} for algorithms that do not hash. */
  default HashKey hashKey() {
    return HashKey.none();
  }

  /**
   * Round robin: each request goes to the next available server in configuration order, wrapping after the last,
   * as HAProxy's {@code balance roundrobin} and nginx's default do with equal weights (the seed's "Request 1 →
   * Server A, Request 2 → Server B, Request 3 → Server A"). An unavailable server is skipped and the request goes
   * to the next one after it. Weights are ignored.
   */
  static BalancingAlgorithm roundRobin() {
    return RoundRobin.ALGORITHM;
  }

  /**
   * The seed of {@link #random()} and {@link #powerOfTwoChoices()} outside a stack: every picker they make there
   * replays one sequence. Inside a stack they draw from the stack's seed instead.
   */
  long DEFAULT_SEED = 0x5eed_1e55_ba1a_ceL;

  /** Envoy's default Maglev table size, a prime. */
  int DEFAULT_MAGLEV_TABLE_SIZE = 65_537;

  /** HAProxy's consistent-hash points per unit of weight. */
  int DEFAULT_POINTS_PER_WEIGHT = Hashing.HAPROXY_POINTS_PER_WEIGHT;

  /**
   * nginx's default balancing, smooth weighted round robin (commit 52327e062, nginx 1.3.1 on): each pick adds
   * every eligible server's weight to its current weight, takes the highest (the first in configuration order on
   * a tie) and subtracts the sum of the weights from the winner. From a fresh picker, weights a=5, b=1, c=1 give
   * {@code a a b a c a a} per cycle, equal weights {@code a b c}; each cycle of Σw picks gives each server exactly
   * its weight.
   *
   * <p>Differences from nginx: one state per picker under a lock (nginx keeps one per worker, or one per upstream
   * with a {@code zone}); no {@code max_fails} accounting, so a server's effective weight is its configured weight
   * (ramped during slow start, which open-source nginx does not have) and never lowered by failures; current
   * weights survive weight changes (nginx resets them on reload). Name {@code swrr}.
   */
  static BalancingAlgorithm nginxRoundRobin() {
    return SmoothWeightedRoundRobin.ALGORITHM;
  }

  /**
   * HAProxy's {@code balance roundrobin}: the fast weighted round robin of {@code src/lb_fwrr.c} ported step for
   * step (effective weight = weight × 16; the head of a position-ordered tree is picked, then advances by total ÷
   * weight with the remainder carried; heavier first on a tie; weight and state changes applied as HAProxy applies
   * them, mostly from the next cycle). Weights a=5, b=1, c=1 give {@code a a a b a a c} per cycle, the order HAProxy 2.6.12 answers
   * with (not nginx's {@code a a b a c a a}); equal weights give {@code a b c}. Checked pick for pick against the
   * real HAProxy 2.6.12 on ten weight sets (about 80,000 picks) and through run-time {@code set weight}, {@code disable
   * server} and {@code enable server} (see {@code HaproxyConformanceTest}).
   *
   * <p>Like HAProxy, and unlike nginx, shares are not exact per cycle: a server whose position leaves the cycle's
   * window loses its carried remainder, so some servers lose about one pick per cycle of Σ(16 × w) picks for good
   * (weights 4, 7, 9 get 631, 1124, 1445 of 3200 picks on HAProxy 2.6.12 and here, instead of 640, 1120, 1440).
   * No server strays from its exact share by more than one pick per such cycle plus 3.
   *
   * <p>Differences from HAProxy: one thread group and no backup servers; no {@code maxconn}, so nothing is ever
   * "full"; a skipped server is handled as HAProxy handles a saturated one (its turn is used, it is requeued), so
   * it is never returned, where HAProxy would return the server to avoid when it is the only one; slow start
   * steps the effective weight by whole user-weight units ({@link ServerSet#effectiveWeight}) where HAProxy steps
   * by sixteenths, so a weight-1 server does not ramp here; HAProxy's limit of 4095 active servers is not
   * enforced. Name {@code fwrr}.
   */
  static BalancingAlgorithm haproxyRoundRobin() {
    return FastWeightedRoundRobin.ALGORITHM;
  }

  /**
   * HAProxy's {@code balance static-rr}: a map with one slot per unit of weight ÷ gcd, filled by HAProxy's
   * weighted rule ({@code src/lb_map.c}), walked in turn from the slot after the last server taken (back to slot
   * 0 when a rebuilt map is shorter). Weights a=5, b=1, c=1 give {@code a a a b a a c}, equal weights {@code a b
   * c}; every cycle of Σw picks gives each server exactly its weight; checked pick for pick against HAProxy 2.6.12,
   * across a server's disable and enable too. An unavailable or skipped server's slots are passed over. The map is
   * rebuilt when a server changes state and uses configured weights, so slow start does not apply, as in HAProxy.
   *
   * <p>Differences from HAProxy: run-time weight changes to any value rebuild the map (HAProxy accepts only 0 or
   * 100 % on static algorithms); the gcd is taken over the servers in the map at each rebuild (HAProxy: once, over
   * all servers), which changes the map's length (and so where the turn resumes after a rebuild) but not its order.
   * Name {@code static-rr}.
   */
  static BalancingAlgorithm staticRoundRobin() {
    return Hashing.STATIC_RR;
  }

  /**
   * HAProxy's {@code balance leastconn} ({@code src/lb_fwlc.c}): the lowest key {@code (inFlight + 1) × 4096 ÷
   * (weight × 16)} wins, where a server with nothing in flight has key 0; among equal keys the least recently
   * repositioned server wins, so with every server idle the picks rotate {@code a b c} whatever the weights
   * (nginx's {@code least_conn} would fall back to its weighted round robin there), and a server coming back up
   * queues behind its idle equals; both checked against HAProxy 2.6.12. In-flight counts are {@link
   * ServerSet#started} minus {@link ServerSet#finished}; the effective weight ramps during slow start.
   *
   * <p>Differences from HAProxy: no queue, so queued requests do not count; HAProxy repositions a server in its
   * tree at the moment its load changes, while this picker notices load changes at its next pick (several seen at
   * once are ordered by id). Name {@code leastconn}.
   */
  static BalancingAlgorithm leastConnections() {
    return LeastConnections.ALGORITHM;
  }

  /**
   * {@link #random(long)} seeded from the stack it runs in (so {@code StackSpec...seed(..)} replays it), or with
   * {@link #DEFAULT_SEED} when used outside a stack.
   */
  static BalancingAlgorithm random() {
    return WeightedRandom.stackSeeded(1);
  }

  /**
   * Weighted random: each request goes to a server drawn with probability weight ÷ Σ weights (effective weights,
   * so slow start applies and weight changes are immediate), as nginx's {@code random} and HAProxy's {@code
   * random(1)} do. Each picker draws from its own SplitMix64 sequence started at {@code seed}, so a
   * single-threaded run replays exactly.
   *
   * <p>Differences: nginx draws over cumulative weight ranges, as here; HAProxy looks its random number up on its
   * consistent-hash ring, whose shares are only close to the weights. A draw that hits a skipped server is redrawn
   * up to 20 times (as nginx), then drawn among eligible servers only (nginx falls back to round robin). Name
   * {@code random(1)}.
   */
  static BalancingAlgorithm random(long seed) {
    return WeightedRandom.algorithm(1, seed);
  }

  /**
   * {@link #powerOfTwoChoices(long)} seeded from the stack it runs in, or with {@link #DEFAULT_SEED} outside a
   * stack.
   */
  static BalancingAlgorithm powerOfTwoChoices() {
    return WeightedRandom.stackSeeded(2);
  }

  /**
   * Power of two choices: two distinct weighted random draws, keeping the one with the lower {@code inFlight ÷
   * weight}, the second on a tie; nginx's {@code random two least_conn} (distinct peers, same tie rule) and
   * HAProxy's {@code random(2)} (the default {@code random} from 3.3). Seeded like {@link #random(long)}.
   *
   * <p>Differences: HAProxy's two draws may hit the same server and 3.x breaks load ties by request rate; with a
   * single eligible server it is returned without a second draw. Name {@code random(2)}.
   */
  static BalancingAlgorithm powerOfTwoChoices(long seed) {
    return WeightedRandom.algorithm(2, seed);
  }

  /**
   * HAProxy's {@code balance first}: the available server with the lowest id (configuration order) that is not
   * skipped; weights are ignored. HAProxy moves on to the next server once one reaches its {@code maxconn}; there
   * is no {@code maxconn} here, so this always picks the first available server, and the others only take
   * retries or the load of servers that went down. Name {@code first}.
   */
  static BalancingAlgorithm first() {
    return FirstAvailable.ALGORITHM;
  }

  /**
   * HAProxy's default hashing, {@code hash-type map-based} ({@code balance source}, {@code uri}, {@code hdr()}):
   * the request's key selects slot {@code hash % total} of the static-rr map, so shares follow the weights and a
   * key keeps its server while no server changes state (most keys move when one does). A key of 0 means the
   * request had no key (the balancer passes 0 when the attribute is missing): such requests, and every request of
   * {@code hash(HashKey.none())}, go round robin over the map as HAProxy does for a missing key. A server that is unavailable or skipped is
   * passed over and the walk goes on to the next slot.
   *
   * <p>Differences from HAProxy: keys are {@link HashKey#hash} (FNV-1a, mixed), not HAProxy's {@code sdbm} of the
   * attribute, so a given key lands on a different server than on a real HAProxy; HAProxy does not walk past the
   * server a retry should avoid (nginx's {@code hash} rehashes instead). Name: the attribute, e.g. {@code source}.
   */
  static BalancingAlgorithm hash(HashKey key) {
    return Hashing.mapBased(key);
  }

  /** {@link #hash(HashKey)} of the client address: HAProxy's {@code balance source}. */
  static BalancingAlgorithm sourceHash() {
    return hash(HashKey.sourceIp());
  }

  /**
   * {@link #hash(HashKey)} of the request target left of {@code '?'} ({@link HashKey#uri()}): HAProxy's {@code
   * balance uri}, which ignores the query unless given {@code whole} ({@code hash(HashKey.wholeUri())}).
   */
  static BalancingAlgorithm uriHash() {
    return hash(HashKey.uri());
  }

  /** {@link #consistentHash(HashKey, int)} with HAProxy's 16 points per unit of weight. */
  static BalancingAlgorithm consistentHash(HashKey key) {
    return consistentHash(key, DEFAULT_POINTS_PER_WEIGHT);
  }

  /**
   * HAProxy's {@code hash-type consistent} ({@code src/lb_chash.c}): each server puts {@code weight ×
   * pointsPerWeight} points on a 32-bit ring and a key goes to the <em>nearest</em> point (HAProxy's rule, not
   * ketama's clockwise successor). When a server goes down or is removed only its keys move, to their next
   * nearest points; a weight change adds or drops points of that server only. Effective weights are used, so a
   * server in slow start gains points as it ramps. A key of 0 (no key) goes round robin along the ring, as
   * HAProxy's {@code chash_get_next_server}; an unavailable or skipped server is passed over clockwise.
   *
   * <p>Differences from HAProxy: point and key hashes come from {@link HashKey}, so keys land on other servers
   * than on a real HAProxy, with the same stability; {@code pointsPerWeight} 160 gives nginx's ketama density
   * but still the nearest-point rule. Name: e.g. {@code source consistent}.
   *
   * @param pointsPerWeight ring points per unit of weight, 1 to 160 (HAProxy 16, nginx 160)
   */
  static BalancingAlgorithm consistentHash(HashKey key, int pointsPerWeight) {
    return Hashing.consistent(key, pointsPerWeight);
  }

  /** {@link #maglev(HashKey, int)} with Envoy's default table of 65537 entries. */
  static BalancingAlgorithm maglev(HashKey key) {
    return maglev(key, DEFAULT_MAGLEV_TABLE_SIZE);
  }

  /**
   * Envoy's {@code MAGLEV}: a lookup table of a prime number of entries filled from per-server permutations in
   * weighted rounds (Envoy's {@code maglev_lb.cc}); a key takes entry {@code hash % tableSize}. Entries are
   * proportional to weight and every server gets at least one (weights 1 and 2 in 65537 entries: 21846 and 43691,
   * as Envoy). Lookups are O(1); on a membership change slightly more keys move than with a ring. Configured
   * weights of available servers are used (Envoy's slow start covers round robin and least request only). A key
   * of 0 (no key) walks the table in turn (Envoy draws a random hash); an unavailable or skipped server is passed
   * over to the next entry (Envoy rehashes a retry).
   *
   * <p>Differences from Envoy: permutations come from {@link HashKey#hash} of the server's name, not xxHash64 of
   * its address, so the layout differs while shares do not; with more servers than entries the last servers get
   * none. Name: e.g. {@code maglev(source)}.
   *
   * @param tableSize a prime, at most 5,000,011 (Envoy's limit); keep it above 100 × servers for shares within
   *     about 1 % of the weights
   */
  static BalancingAlgorithm maglev(HashKey key, int tableSize) {
    return Hashing.maglev(key, tableSize);
  }

  /**
   * Bounded-load hashing, HAProxy's {@code hash-balance-factor} (and Envoy's {@code hash_balance_factor}): no
   * server takes a request that would bring it above {@code balanceFactorPercent} % of the average in-flight load
   * (weighted); a key whose server is at its bound walks the ring or table on to the next server under it. With
   * requests that never finish, no server ever holds more than {@code ceil(w ÷ Σw × ceil((in flight) × factor ÷
   * 100))} (at least 1). The slot arithmetic is HAProxy's {@code chash_server_is_eligible}.
   *
   * <p>Differences: HAProxy applies the factor to consistent hashing and {@code random}; here it applies to
   * {@link #hash}, {@link #consistentHash} and {@link #maglev}. Envoy admits a host one request later and probes
   * with random jumps. When the caller skips servers and every remaining one is at its bound, the bound is dropped
   * for that request (HAProxy returns the server it ends on after a full turn). Name: the hashing algorithm's,
   * followed by {@code hash-balance-factor N}.
   *
   * @param hashing {@link #hash}, {@link #consistentHash} or {@link #maglev}
   * @param balanceFactorPercent above 100; 150 allows 1.5 × the average load
   * @throws IllegalArgumentException for a factor of 100 or less, or an algorithm that is not one of those
   */
  static BalancingAlgorithm boundedLoad(BalancingAlgorithm hashing, int balanceFactorPercent) {
    return LoadBound.algorithm(hashing, balanceFactorPercent);
  }
}
