package io.vqcodec.entropy;

import java.util.Arrays;

/**
 * Order-0 adaptive frequency model over {@code n} symbols (Spec §7.9). Counts start at 1; coding a
 * symbol adds {@code increment} to its count; when the total exceeds {@code limit} every count is
 * halved, rounding up, so no count reaches 0. The counts are mapped to the coder's precision on
 * every symbol ({@code start = floor(C_s * 2^24 / T)}), so adaptive and static symbols share one
 * rANS stream.
 *
 * <p>Encoder and decoder each hold their own instance, constructed with the same parameters; the
 * coder updates it on every {@code encode}/{@code decode}. Not thread-safe. Updates and lookups are
 * O(log n) (a Fenwick tree); a rescale is O(n) and follows the previous one after at least {@code
 * (limit - increment - n) / (2 * increment)} symbols (about 1000 with the defaults).
 *
 * <pre>{@code
 * AdaptiveModel m = new AdaptiveModel(1024);          // increment 32, limit max(2^16, 4n)
 * enc.encode(m, token);                               // decoder: new AdaptiveModel(1024), dec.decode(m)
 * }</pre>
 */
public final class AdaptiveModel {
  /** Default count increment per coded symbol. */
  public static final int DEFAULT_INCREMENT = 32;

  /** Default rescale limit for alphabets up to 16384 symbols; larger ones use {@code 4 * n}. */
  public static final int DEFAULT_LIMIT = 1 << 16;

  /** Largest allowed limit: the total must never exceed 2^24 so that every frequency stays >= 1. */
  public static final int MAX_LIMIT = Rans.TOTAL;

  private final int n;
  private final int increment;
  private final int limit;
  private final int[] counts;

  /** Fenwick tree over counts, 1-based: tree[i] sums counts[i - (i & -i) .. i - 1]. */
  private final int[] tree;

  private final int topBit;
  private int total;

  /** A model with the default increment 32 and limit {@code max(2^16, 4 * n)}. */
  public AdaptiveModel(int alphabetSize) {
    this(alphabetSize, DEFAULT_INCREMENT, Math.max(DEFAULT_LIMIT, 4 * alphabetSize));
  }

  /**
   * @param alphabetSize n, 1..65536
   * @param increment added to a symbol's count after it is coded, >= 1
   * @param limit the counts are halved when their total exceeds it; {@code n + increment <= limit
   *     <= 2^24} (this guarantees that one halving brings the total back to at most {@code limit})
   */
  public AdaptiveModel(int alphabetSize, int increment, int limit) {
    this.n = checkArguments(alphabetSize, increment, limit);
    this.increment = increment;
    this.limit = limit;
    this.counts = new int[n];
    this.tree = new int[n + 1];
    this.topBit = Integer.highestOneBit(n);
    reset();
  }

  // An argument check, returning the alphabet size (conformance/README.md, "Mutation testing":
  // checkArguments is not mutated; decoders build models of fixed, valid parameters only).
  private static int checkArguments(int alphabetSize, int increment, int limit) {
    Cdf.checkAlphabetSize(alphabetSize);
    if (increment < 1) {
      throw new IllegalArgumentException("increment " + increment + " must be >= 1");
    }
    if (limit > MAX_LIMIT || (long) alphabetSize + increment > limit) {
      throw new IllegalArgumentException(
          "limit "
              + limit
              + " must satisfy n + increment = "
              + ((long) alphabetSize + increment)
              + " <= limit <= 2^24");
    }
    return alphabetSize;
  }

  /** Returns the model to its initial state (all counts 1). */
  public void reset() {
    Arrays.fill(counts, 1);
    rebuild();
  }

  public int alphabetSize() {
    return n;
  }

  public int increment() {
    return increment;
  }

  public int limit() {
    return limit;
  }

  /** Current count of {@code symbol}. */
  public int count(int symbol) {
    checkSymbol(symbol);
    return counts[symbol];
  }

  /** Current total T of the counts. */
  public int total() {
    return total;
  }

  /** The frequency-exact CDF this model would code the next symbol with (for tests and tools). */
  public Cdf toCdf() {
    int[] f = new int[n];
    long c = 0;
    for (int s = 0; s < n; s++) {
      long lo = scaledStart(c);
      c += counts[s];
      f[s] = (int) (scaledStart(c) - lo);
    }
    return Cdf.ofFrequencies(f);
  }

  /** Spec §7.9.2: floor(C * 2^24 / T). */
  long scaledStart(long cumulative) {
    return (cumulative << Rans.PRECISION) / total;
  }

  /** C_s: the sum of the counts below {@code symbol}. */
  int cumulative(int symbol) {
    int sum = 0;
    for (int i = symbol; i > 0; i -= i & -i) {
      sum += tree[i];
    }
    return sum;
  }

  /** For 0 <= u < T, the symbol s with C_s <= u < C_{s+1}, packed as {@code C_s << 32 | s}. */
  long find(int u) {
    int pos = 0;
    int rem = u;
    int[] t = tree;
    for (int step = topBit; step > 0; step >>>= 1) {
      int next = pos + step;
      if (next <= n && t[next] <= rem) {
        pos = next;
        rem -= t[next];
      }
    }
    return (long) (u - rem) << 32 | pos;
  }

  int countOf(int symbol) {
    return counts[symbol];
  }

  /** Spec §7.9.3. */
  void update(int symbol) {
    counts[symbol] += increment;
    for (int i = symbol + 1; i <= n; i += i & -i) {
      tree[i] += increment;
    }
    total += increment;
    if (total > limit) {
      for (int s = 0; s < n; s++) {
        counts[s] = (counts[s] + 1) >>> 1;
      }
      rebuild();
    }
  }

  private void rebuild() {
    int sum = 0;
    for (int i = 1; i <= n; i++) {
      tree[i] = counts[i - 1];
      sum += counts[i - 1];
    }
    for (int i = 1; i <= n; i++) {
      int parent = i + (i & -i);
      if (parent <= n) {
        tree[parent] += tree[i];
      }
    }
    total = sum;
  }

  void checkSymbol(int symbol) {
    if (symbol < 0 || symbol >= n) {
      throw new IllegalArgumentException("symbol " + symbol + " outside alphabet [0, " + n + ")");
    }
  }

  @Override
  public String toString() {
    return "AdaptiveModel[n="
        + n
        + ", increment="
        + increment
        + ", limit="
        + limit
        + ", total="
        + total
        + "]";
  }
}
