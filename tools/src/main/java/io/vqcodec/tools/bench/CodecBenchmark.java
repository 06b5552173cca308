package io.vqcodec.tools.bench;

import io.vqcodec.container.ContainerHeader;
import io.vqcodec.container.GranularityMode;
import io.vqcodec.container.ProbabilityModel;
import io.vqcodec.decoder.ImageDecoder;
import io.vqcodec.encoder.EncoderOptions;
import io.vqcodec.encoder.ImageEncoder;
import io.vqcodec.tokens.DecodedTokens;
import io.vqcodec.tokens.LossSimulation;
import io.vqcodec.tokens.SliceCoder;
import io.vqcodec.tokens.TokenDecoder;
import io.vqcodec.tokens.TokenGrid;
import io.vqcodec.tokens.TokenModel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
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
 * End-to-end encode and decode in process, warm (issue 15's "warm in process" targets: decode at
 * most 100 ms, encode at most 250 ms at 768x512), milliseconds per picture:
 *
 * <ul>
 *   <li>{@code encode}: picture to stream at the default quality (the network, the cell ranking,
 *       entropy coding);
 *   <li>{@code encodeBpp}: the same under {@code --bpp 0.05} (rate control);
 *   <li>{@code decode}: stream to pixels (entropy decoding and the network);
 *   <li>{@code encodeTokens}, {@code decodeTokens}: the token layer alone, without the network: the
 *       default stream's token grid coded into slices, and a stream decoded to its token grid.
 * </ul>
 *
 * The picture is {@code -p picture=PATH} (default Kodak's kodim23; a speed measurement, not a
 * rate-distortion one). PyTorch runs on its default threads (every core); pass {@code -jvmArgs
 * -Dai.djl.pytorch.num_threads=1} for one.
 *
 * <pre>
 * mvn -q -o -B install -DskipTests
 * nice java -cp "tools/target/classes:tools/target/lib/*" org.openjdk.jmh.Main CodecBenchmark -f 1
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
public class CodecBenchmark {
  @Param({"../shared/data/kodak/kodim23.png"})
  public String picture;

  private ImageEncoder encoder;
  private ImageDecoder decoder;
  private BufferedImage image;
  private byte[] stream;
  private TokenGrid grid;
  private TokenModel tokenModel;
  private GranularityMode mode;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    image = ImageIO.read(Path.of(picture).toFile());
    if (image == null) throw new IOException(picture + ": not a picture ImageIO reads");
    encoder = ImageEncoder.open();
    decoder = ImageDecoder.open();
    stream = encoder.encode(image, EncoderOptions.defaults()).bytes();
    DecodedTokens tokens = decodeTokens();
    grid = tokens.grid();
    ContainerHeader h = tokens.header();
    ProbabilityModel prob = h.grid().probabilityModel();
    tokenModel = tokens.model().tokenModel(prob, h.model().id(), grid.codebookSize());
    mode = h.grid().granularityMode();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    encoder.close();
    decoder.close();
  }

  @Benchmark
  public byte[] encode() {
    return encoder.encode(image, EncoderOptions.defaults()).bytes();
  }

  @Benchmark
  public byte[] encodeBpp() {
    return encoder.encode(image, EncoderOptions.defaults().withTargetBpp(0.05)).bytes();
  }

  @Benchmark
  public BufferedImage decode() throws IOException {
    return decoder.decode(new ByteArrayInputStream(stream)).image();
  }

  @Benchmark
  public List<byte[]> encodeTokens() {
    return SliceCoder.encodeSlices(tokenModel, grid, EncoderOptions.DEFAULT_SLICE_ROWS, mode);
  }

  @Benchmark
  public DecodedTokens decodeTokens() throws IOException {
    return TokenDecoder.decode(new ByteArrayInputStream(stream), LossSimulation.NONE, null);
  }
}
