package io.vqcodec.tools.bench;

import io.vqcodec.entropy.AdaptiveModel;
import io.vqcodec.entropy.Cdf;
import io.vqcodec.entropy.EntropyDecodingException;
import io.vqcodec.entropy.RansDecoder;
import io.vqcodec.entropy.RansEncoder;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * rANS throughput over K = 1024 symbols; the score is symbols per microsecond = M symbols/s.
 *
 * <ul>
 *   <li>{@code static}: one Zipf CDF for every symbol;
 *   <li>{@code perSymbol}: a pool of 256 distinct discretised-Gaussian CDFs (about 3 MB with their
 *       lookup tables), a different one for each symbol in turn, as a learned prior would;
 *   <li>{@code adaptive}: the order-0 {@link AdaptiveModel} with its defaults.
 * </ul>
 *
 * <pre>
 * mvn -q -o -pl tools -am install -DskipTests
 * nice java -cp "tools/target/classes:tools/target/lib/*" org.openjdk.jmh.Main EntropyBenchmark \
 *     -f 1 -wi 3 -i 3 -w 1s -r 1s -t 1
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
public class EntropyBenchmark {
  static final int SYMBOLS = 1 << 16;
  static final int K = 1024;
  static final int POOL = 256;

  @Param({"static", "perSymbol", "adaptive"})
  public String model;

  private Cdf[] cdfs;
  private int[] symbols;
  private byte[] stream;
  private RansEncoder encoder;

  @Setup
  public void setUp() throws EntropyDecodingException {
    SplittableRandom rnd = new SplittableRandom(42);
    cdfs =
        model.equals("perSymbol")
            ? EntropySources.gaussianPool(POOL, K, 7)
            : new Cdf[] {EntropySources.zipf(K, 1.1, 3)};
    symbols = new int[SYMBOLS];
    for (int i = 0; i < SYMBOLS; i++) {
      symbols[i] = EntropySources.sample(rnd, cdfs[i % cdfs.length]);
    }
    encoder = new RansEncoder(SYMBOLS);
    stream = encode();
    if (decode() == Integer.MIN_VALUE) {
      throw new AssertionError();
    }
  }

  @Benchmark
  @OperationsPerInvocation(SYMBOLS)
  public byte[] encode() {
    RansEncoder enc = encoder;
    int[] sym = symbols;
    if (model.equals("adaptive")) {
      AdaptiveModel m = new AdaptiveModel(K);
      for (int i = 0; i < sym.length; i++) {
        enc.encode(m, sym[i]);
      }
    } else {
      Cdf[] c = cdfs;
      int mask = c.length - 1;
      for (int i = 0; i < sym.length; i++) {
        enc.encode(c[i & mask], sym[i]);
      }
    }
    return enc.finish();
  }

  @Benchmark
  @OperationsPerInvocation(SYMBOLS)
  public int decode() throws EntropyDecodingException {
    RansDecoder dec = new RansDecoder(stream, 0, stream.length);
    int sum = 0;
    if (model.equals("adaptive")) {
      AdaptiveModel m = new AdaptiveModel(K);
      for (int i = 0; i < SYMBOLS; i++) {
        sum += dec.decode(m);
      }
    } else {
      Cdf[] c = cdfs;
      int mask = c.length - 1;
      for (int i = 0; i < SYMBOLS; i++) {
        sum += dec.decode(c[i & mask]);
      }
    }
    dec.verifyEnd();
    return sum;
  }
}
