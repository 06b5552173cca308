package io.vqcodec.tools.train;

import io.vqcodec.neural.MaskNet;
import io.vqcodec.neural.TensorFile;
import io.vqcodec.neural.TensorFile.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Releases a {@link TrainMaskPredictor} checkpoint: {@code weights.vqt} (network only, binary16) and
 * {@code model.properties} (name, arch, SHA-256 of the weights, checked at load).
 *
 * <p>{@code ReleaseMaskPredictor --ckpt runs/mask-v1/ckpt-N.vqt --arch 16,128,4,4 --out
 * models/src/main/resources/io/vqcodec/models/mask-v1 [--name mask-v1]}
 */
public final class ReleaseMaskPredictor {
  private ReleaseMaskPredictor() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    Path ck = Paths.get(a.get("ckpt"));
    MaskNet.Config cfg = MaskNet.Config.parse(a.getOrDefault("arch", "16,128,4,4"));
    Path out = Paths.get(a.get("out"));
    Files.createDirectories(out);
    Map<String, Tensor> t = TensorFile.read(ck);
    Map<String, Tensor> w = new LinkedHashMap<>();
    for (String k : MaskNet.shapes(cfg).keySet()) w.put("net." + k, t.get("net." + k));
    Path wf = out.resolve("weights.vqt");
    TensorFile.write(wf, w, n -> true);
    String sha = TensorFile.hex(TensorFile.sha256(Files.readAllBytes(wf)));
    int step = (int) t.get("meta.step").data()[0];
    String props = "# vqcodec masked-token predictor (loss concealment); weights.vqt is checked against weights.sha256 at load\n"
        + "model.name=" + a.getOrDefault("name", "mask-v1") + "\n"
        + "arch=" + cfg + "\n"
        + "levels=4096,1024,256,64,16\n"
        + "weights.file=weights.vqt\n"
        + "weights.sha256=" + sha + "\n"
        + "train.step=" + step + "\n"
        + "train.checkpoint=" + ck.getFileName() + "\n";
    Files.writeString(out.resolve("model.properties"), props);
    System.out.println("released step " + step + " -> " + wf + " (" + Files.size(wf) + " bytes, sha256 " + sha + ")");
  }
}
