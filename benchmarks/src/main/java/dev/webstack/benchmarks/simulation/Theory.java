package dev.webstack.benchmarks.simulation;

/**
 * What theory predicts, computed numerically so the simulation can be checked against something other than the
 * §5.3 reference table, which is itself a simulation. First, for m requests placed on n equal servers with no
 * departures (balancing.md §5.1):
 *
 * <ul>
 *   <li>One random choice: counts are multinomial, so the CV is exactly √((n − 1) ÷ m); the expected maximum is
 *       computed with bins made independent Poisson(m ÷ n) variables ("Poissonization"), which is accurate to a
 *       few percent already at n = 10.
 *   <li>d choices: the fluid limit of Azar, Broder, Karlin, Upfal and Mitzenmacher, the differential equations
 *       ds<sub>i</sub>/dt = g(s<sub>i−1</sub>) − g(s<sub>i</sub>) for the share s<sub>i</sub> of servers holding
 *       at least i requests, with t = requests ÷ n and g(s) the chance that all d draws land on such servers.
 *       It is exact as n → ∞; at n = 10 it is only indicative.
 * </ul>
 *
 * <p>Then, for the queueing part, the one dispatch rule with a closed form: speed-weighted random, which turns
 * every server into an independent M/G/1 queue ({@link #randomDispatchMeanSojourn}, {@link
 * #randomDispatchSojournQuantile}). Least connections and two choices have no closed form on heterogeneous
 * servers; the simulation is how they are measured.
 */
public final class Theory {

  /**
   * RK4 step in units of requests ÷ n. The solution is smooth and RK4's error goes as the step to the fourth, so
   * 0.01 is far below anything a table shows (halving it changes the fourth decimal of no value tabulated).
   */
  private static final double STEP = 0.01;

  private Theory() {}

  /** CV of one uniform random choice: multinomial counts have variance m(1/n)(1 − 1/n) around m/n. */
  public static double randomCv(int n, long m) {
    return Math.sqrt((n - 1.0) / m);
  }

  /**
   * Expected max ÷ mean of one uniform random choice, with the n counts taken as independent Poisson(m/n):
   * E[max] = Σ<sub>k≥0</sub> (1 − P(X ≤ k)<sup>n</sup>). The tail is summed from the top so that probabilities
   * near 1 keep their precision.
   */
  public static double randomMaxOverMean(int n, long m) {
    double lambda = (double) m / n;
    int top = (int) Math.ceil(lambda + 15 * Math.sqrt(lambda) + 60);
    double[] pmf = new double[top + 1];
    double logP = -lambda;
    double logLambda = Math.log(lambda);
    for (int k = 0; k <= top; k++) {
      if (k > 0) {
        logP += logLambda - Math.log(k);
      }
      pmf[k] = Math.exp(logP);
    }
    double expectedMax = 0;
    double tail = 0; // P(X > k)
    double[] tails = new double[top + 1];
    for (int k = top; k >= 0; k--) {
      tails[k] = tail;
      tail += pmf[k];
    }
    for (int k = 0; k <= top; k++) {
      // P(max > k) = 1 − (1 − P(X > k))^n, as −expm1(n log1p(−tail)) to keep small tails exact.
      expectedMax += -Math.expm1(n * Math.log1p(-Math.min(tails[k], 1)));
    }
    return expectedMax / lambda;
  }

  /**
   * The fluid-limit load profile of d choices over n servers after m requests: element i is the share of servers
   * holding at least i requests (element 0 is 1). Draws are distinct servers, as our {@code random(2)} picker
   * makes them, so g(s) = Π<sub>j&lt;d</sub> (sn − j) ÷ (n − j) clamped at 0 factor by factor; for n → ∞ this is
   * the classical s<sup>d</sup>.
   *
   * @param d choices per request; 1 is one random choice (then the profile is Poisson's tail)
   */
  public static double[] fluidProfile(int d, int n, long m) {
    double c = (double) m / n;
    // One choice spreads like Poisson (√c wide); d ≥ 2 stays within ln ln n of the mean, so 40 levels suffice.
    int levels = (int) Math.ceil(c + (d == 1 ? 15 * Math.sqrt(c) : 0) + 40);
    double[] s = new double[levels + 1];
    s[0] = 1;
    int steps = (int) Math.ceil(c / STEP);
    double h = c / steps;
    double[] k1 = new double[levels + 1];
    double[] k2 = new double[levels + 1];
    double[] k3 = new double[levels + 1];
    double[] k4 = new double[levels + 1];
    double[] tmp = new double[levels + 1];
    for (int step = 0; step < steps; step++) {
      derivative(d, n, s, k1);
      axpy(s, k1, h / 2, tmp);
      derivative(d, n, tmp, k2);
      axpy(s, k2, h / 2, tmp);
      derivative(d, n, tmp, k3);
      axpy(s, k3, h, tmp);
      derivative(d, n, tmp, k4);
      for (int i = 1; i <= levels; i++) {
        s[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
        s[i] = Math.min(1, Math.max(0, s[i]));
      }
    }
    return s;
  }

  /** CV of the load from a fluid profile: E[X] = Σ s<sub>i</sub>, E[X²] = Σ (2i − 1) s<sub>i</sub>. */
  public static double cvOfProfile(double[] s) {
    double mean = 0;
    double second = 0;
    for (int i = 1; i < s.length; i++) {
      mean += s[i];
      second += (2.0 * i - 1) * s[i];
    }
    return Math.sqrt(Math.max(0, second - mean * mean)) / mean;
  }

  /**
   * Expected max ÷ mean from a fluid profile, treating the n servers as independent with P(X ≥ i) =
   * s<sub>i</sub>: E[max] = Σ<sub>i≥1</sub> (1 − (1 − s<sub>i</sub>)<sup>n</sup>). An estimate: the profile is an
   * average, and servers are not independent.
   */
  public static double maxOverMeanOfProfile(double[] s, int n) {
    double mean = 0;
    double expectedMax = 0;
    for (int i = 1; i < s.length; i++) {
      mean += s[i];
      expectedMax += -Math.expm1(n * Math.log1p(-Math.min(s[i], 1)));
    }
    return expectedMax / mean;
  }

  /** The fluid-limit CV of d choices; see {@link #fluidProfile}. */
  public static double choicesCv(int d, int n, long m) {
    return cvOfProfile(fluidProfile(d, n, m));
  }

  /** The fluid-limit expected max ÷ mean of d choices; see {@link #fluidProfile}. */
  public static double choicesMaxOverMean(int d, int n, long m) {
    return maxOverMeanOfProfile(fluidProfile(d, n, m), n);
  }

  /**
   * Mean sojourn time when requests are dispatched at random with shares proportional to speed (weighted {@code
   * random(1)} with weights = speeds): Poisson thinning makes every server an M/G/1 queue at utilization ρ, whose
   * mean sojourn is Pollaczek–Khinchine's E[S](1 + ρ(1 + c²) ÷ (2(1 − ρ))) with E[S] = 1 ÷ speed; weighting each
   * server by its share speed ÷ Σ speed gives n ÷ Σ speed × (1 + ρ(1 + c²) ÷ (2(1 − ρ))).
   *
   * @param scv squared coefficient of variation of the request cost ({@link CostModel#scv()})
   */
  public static double randomDispatchMeanSojourn(double[] speeds, double rho, double scv) {
    double total = 0;
    for (double s : speeds) {
      total += s;
    }
    return speeds.length / total * (1 + rho * (1 + scv) / (2 * (1 - rho)));
  }

  /**
   * The q-quantile of the sojourn time under speed-weighted random dispatch with exponential costs: server i is
   * M/M/1 with sojourn Exp(speed<sub>i</sub>(1 − ρ)), so the overall distribution is a mixture with weights
   * speed<sub>i</sub> ÷ Σ speed, inverted by bisection.
   */
  public static double randomDispatchSojournQuantile(double[] speeds, double rho, double q) {
    double total = 0;
    double slowest = Double.POSITIVE_INFINITY;
    for (double s : speeds) {
      total += s;
      slowest = Math.min(slowest, s);
    }
    double lo = 0;
    double hi = -Math.log(1 - q) / (slowest * (1 - rho)); // the slowest server's own quantile bounds the mixture
    for (int i = 0; i < 200; i++) {
      double mid = (lo + hi) / 2;
      double cdf = 0;
      for (double s : speeds) {
        cdf += s / total * -Math.expm1(-s * (1 - rho) * mid);
      }
      if (cdf < q) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return (lo + hi) / 2;
  }

  private static void derivative(int d, int n, double[] s, double[] out) {
    for (int i = 1; i < s.length; i++) {
      out[i] = allDrawsIn(d, n, s[i - 1]) - allDrawsIn(d, n, s[i]);
    }
  }

  /** g(s): the chance that d distinct uniform draws among n servers all hit a set holding share s of them. */
  private static double allDrawsIn(int d, int n, double s) {
    double p = 1;
    for (int j = 0; j < d; j++) {
      p *= Math.max(0, s * n - j) / (n - j);
    }
    return p;
  }

  private static void axpy(double[] s, double[] k, double h, double[] out) {
    out[0] = s[0];
    for (int i = 1; i < s.length; i++) {
      out[i] = s[i] + h * k[i];
    }
  }
}
