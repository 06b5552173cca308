package io.vqcodec.tools.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
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
 * One 3x3 convolution of the decoder network ({@code TokNet}), with its input and weights in
 * PyTorch's default layout (NCHW) or channels-last (NHWC strides behind an NCHW shape, which oneDNN
 * runs without reordering): does the layout speed up the network? DJL has no call for a memory
 * format; a channels-last tensor is made here by permuting to NHWC, copying (a flat reshape) and
 * permuting the view back, and convolutions keep the format. Shapes: the decoder's 192-channel
 * blocks at 1/8 and 64-channel block at 1/4 of a 640x272 frame, and a 16-channel full-resolution
 * convolution, which the decoder does not have, for contrast.
 *
 * <pre>
 * mvn -q -o -B install -DskipTests
 * . bin/malloc-tunables.sh
 * nice java -cp "tools/target/classes:tools/target/lib/*" org.openjdk.jmh.Main ConvLayoutBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class ConvLayoutBenchmark {
  /** Channels x height x width of the convolution's input (and output). */
  @Param({"192x34x80", "64x68x160", "16x272x640"})
  public String shape;

  @Param({"nchw", "channels-last"})
  public String layout;

  private NDManager manager;
  private NDArray input;
  private NDArray weight;
  private NDArray bias;

  @Setup(Level.Trial)
  public void setUp() {
    String[] s = shape.split("x");
    int c = Integer.parseInt(s[0]), h = Integer.parseInt(s[1]), w = Integer.parseInt(s[2]);
    Engine.getEngine("PyTorch").setRandomSeed(1);
    manager = NDManager.newBaseManager();
    input = manager.randomNormal(new Shape(1, c, h, w));
    weight = manager.randomNormal(new Shape(c, c, 3, 3)).mul(0.05);
    bias = manager.zeros(new Shape(c));
    if (layout.equals("channels-last")) {
      input = channelsLast(input);
      weight = channelsLast(weight);
    } else if (!layout.equals("nchw")) {
      throw new IllegalArgumentException("layout " + layout + ": nchw or channels-last");
    }
  }

  /** The same values with NHWC strides, still shaped (N, C, H, W). */
  static NDArray channelsLast(NDArray x) {
    Shape s = x.getShape();
    return x.transpose(0, 2, 3, 1)
        .reshape(-1)
        .reshape(s.get(0), s.get(2), s.get(3), s.get(1))
        .transpose(0, 3, 1, 2);
  }

  @Benchmark
  public long conv() {
    try (NDArray y =
        Conv2d.conv2d(input, weight, bias, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1)
            .singletonOrThrow()) {
      return y.size();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    manager.close();
  }
}
