package io.vqcodec.tools.train;

import io.vqcodec.neural.MaskNet;
import io.vqcodec.neural.TensorFile;
import io.vqcodec.neural.TensorFile.Tensor;
import io.vqcodec.tokens.ModelPackage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The weights file of a {@link TrainMaskPredictor} checkpoint (network only, binary16); run through
 * {@link ReleaseModel}, which writes the whole package.
 */
final class ReleaseMaskPredictor {
  private ReleaseMaskPredictor() {}

  /** Writes {@code out/weights.vqt} (the network) from a checkpoint; returns {step, sha256 hex}. */
  static String[] writeWeights(Path ck, MaskNet.Config cfg, Path out) throws IOException {
    Files.createDirectories(out);
    Map<String, Tensor> t = TensorFile.read(ck);
    Map<String, Tensor> w = new LinkedHashMap<>();
    for (String k : MaskNet.shapes(cfg).keySet()) w.put("net." + k, t.get("net." + k));
    Path wf = out.resolve("weights.vqt");
    TensorFile.write(wf, w, n -> true);
    String sha = TensorFile.hex(ModelPackage.sha256(Files.readAllBytes(wf)));
    int step = (int) t.get("meta.step").data()[0];
    return new String[] {Integer.toString(step), sha};
  }
}
