package io.vqcodec.tools.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vqcodec.neural.TokNet;
import io.vqcodec.neural.TokNetConfig;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The decoder network alone, by architecture and picture size, milliseconds per picture: what a
 * tokenizer design costs every decode before it is trained (issue 17: "decode speed no worse than
 * tok-v1's"; tok-v1 and tok-v2 share {@code 16,64,192,192,1,2,1,1,4,2}). Weights are the training
 * initialisation and the inputs random codes, every cell fine: the network's cost does not depend
 * on either. The network keeps its activations until the pass ends (the training form); the codec's
 * inference form frees them as it goes, which saves memory, not time.
 *
 * <pre>
 * mvn -q -o -B install -DskipTests
 * . bin/malloc-tunables.sh   # the allocator the CLI runs with
 * nice java -cp "tools/target/classes:tools/target/lib/*" org.openjdk.jmh.Main NetworkBenchmark
 * </pre>
 *
 * runs the three architectures below at both sizes; {@code -p size=640x272} picks one size. JMH
 * splits {@code -p} values at commas, so on the command line an architecture's numbers are
 * separated by colons: {@code -p arch=16:64:192:192:1:2:1:1:2:2,16:64:192:192:1:2:1:1:4:2}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
public class NetworkBenchmark {
  /** tok-v1/tok-v2; the deeper-decoder candidate; the product-stage candidate (3 latent groups). */
  @Param({"16,64,192,192,1,2,1,1,4,2", "16,64,192,192,1,2,1,1,4,4", "16,64,192,192,1,2,1,1,4,2,3"})
  public String arch;

  /** Width x height in pixels, multiples of 16: a video frame of the clips, a Kodak picture. */
  @Param({"640x272", "768x512"})
  public String size;

  private NDManager manager;
  private TokNet net;
  private int width;
  private int height;

  @Setup(Level.Trial)
  public void setUp() {
    String[] wh = size.split("x");
    width = Integer.parseInt(wh[0]);
    height = Integer.parseInt(wh[1]);
    if (width % 16 != 0 || height % 16 != 0) {
      throw new IllegalArgumentException(
          "size " + size + ": width and height must be multiples of 16");
    }
    TokNetConfig cfg = TokNetConfig.parse(arch.replace(':', ','));
    manager = NDManager.newBaseManager();
    net = new TokNet(cfg, TokNet.toArrays(manager, cfg, TokNet.init(cfg, 1)));
  }

  @Benchmark
  public float[] decode() {
    TokNetConfig cfg = net.config();
    try (NDManager sub = manager.newSubManager()) {
      for (NDArray p : net.params().values()) p.tempAttach(sub);
      NDArray fine = sub.randomNormal(new Shape(1, cfg.fineInput(), height / 8, width / 8));
      NDArray coarse = sub.randomNormal(new Shape(1, cfg.dim, height / 16, width / 16));
      NDArray mask8 = sub.ones(new Shape(1, 1, height / 8, width / 8));
      NDArray mask16 = sub.ones(new Shape(1, 1, height / 16, width / 16));
      return net.decode(fine, coarse, mask8, mask16).toFloatArray();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    manager.close();
  }
}
