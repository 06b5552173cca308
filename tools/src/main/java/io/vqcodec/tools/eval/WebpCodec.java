package io.vqcodec.tools.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Lossy WebP through {@code cwebp}/{@code dwebp}: {@code -q Q} (0..100), effort {@code -m 6} (the
 * slowest, best method), no metadata; {@code -mt} only when more than one thread is asked for.
 */
final class WebpCodec extends CommandLineCodec {
  WebpCodec(int threads) {
    super("cwebp", "dwebp", threads);
  }

  @Override
  public String name() {
    return "webp";
  }

  @Override
  public Knob knob() {
    return new Knob(0, 100, true, true, false);
  }

  @Override
  List<String> encodeCommand(SourceImage source, double knob, Path coded) {
    List<String> c =
        new ArrayList<>(
            List.of(
                "cwebp",
                "-quiet",
                "-q",
                EvalCodec.formatKnob(knob),
                "-m",
                "6",
                "-metadata",
                "none"));
    if (threads > 1) c.add("-mt");
    c.addAll(List.of(source.png().toString(), "-o", coded.toString()));
    return c;
  }

  @Override
  List<String> decodeCommand(Path coded, Path decoded) {
    List<String> c = new ArrayList<>(List.of("dwebp", "-quiet"));
    if (threads > 1) c.add("-mt");
    c.addAll(List.of(coded.toString(), "-ppm", "-o", decoded.toString()));
    return c;
  }

  @Override
  String codedExt() {
    return "webp";
  }

  @Override
  List<String> versionCommand() {
    return List.of("-version");
  }

  @Override
  String settings() {
    return "-q Q -m 6 -metadata none"
        + (threads > 1 ? " -mt" : "")
        + "; dwebp -ppm; "
        + threads
        + " thread(s)";
  }
}
