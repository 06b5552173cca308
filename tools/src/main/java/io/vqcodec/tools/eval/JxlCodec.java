package io.vqcodec.tools.eval;

import java.nio.file.Path;
import java.util.List;

/**
 * JPEG XL through libjxl's {@code cjxl}/{@code djxl}: butteraugli distance {@code -d D} (0.1..25,
 * 25 being libjxl 0.7's limit; bisected on log D, 3 decimals), effort {@code -e 7} (the default),
 * {@code --num_threads} for both.
 */
final class JxlCodec extends CommandLineCodec {
  JxlCodec(int threads) {
    super("cjxl", "djxl", threads);
  }

  @Override
  public String name() {
    return "jxl";
  }

  @Override
  public Knob knob() {
    return new Knob(0.1, 25, false, false, true);
  }

  @Override
  List<String> encodeCommand(SourceImage source, double knob, Path coded) {
    return List.of(
        "cjxl",
        "--quiet",
        "-d",
        EvalCodec.formatKnob(knob),
        "-e",
        "7",
        "--num_threads=" + threads,
        source.png().toString(),
        coded.toString());
  }

  @Override
  List<String> decodeCommand(Path coded, Path decoded) {
    return List.of(
        "djxl", "--quiet", "--num_threads=" + threads, coded.toString(), decoded.toString());
  }

  @Override
  String codedExt() {
    return "jxl";
  }

  @Override
  List<String> versionCommand() {
    return List.of("--version");
  }

  @Override
  String settings() {
    return "-d D -e 7 --num_threads=" + threads + "; djxl to PPM; " + threads + " thread(s)";
  }
}
