package io.vqcodec.tools.train;

import io.vqcodec.neural.TensorFile;
import io.vqcodec.neural.TensorFile.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training checkpoint without its Adam moments (a third of the size), its network weights stored
 * as binary16 like released weights (half again), small enough to commit: {@code StripCheckpoint
 * IN.vqt OUT.vqt}. {@link TrainTokenizer} and {@link TrainMaskPredictor} resume from it with the
 * moments at zero and the weights rounded to 11 significant bits, a smaller disturbance than the
 * moments' restart; codebooks and every other tensor keep float32.
 */
public final class StripCheckpoint {
  private StripCheckpoint() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2)
      throw new IllegalArgumentException("usage: StripCheckpoint IN.vqt OUT.vqt");
    Path out = Paths.get(args[1]);
    Map<String, Tensor> t = new LinkedHashMap<>(TensorFile.read(Paths.get(args[0])));
    t.keySet().removeIf(n -> n.startsWith("adam."));
    Files.createDirectories(out.toAbsolutePath().getParent());
    TensorFile.write(out, t, n -> n.startsWith("net."));
    System.out.println(
        "wrote " + out + " (" + Files.size(out) + " bytes, " + t.size() + " tensors)");
  }
}
