package io.vqcodec.tools.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * JPEG through libjpeg-turbo's {@code cjpeg}/{@code djpeg}: {@code -quality Q} (1..100) with {@code
 * -optimize} (optimal Huffman tables) and otherwise the defaults (4:2:0, baseline, islow DCT).
 * Single-threaded by construction.
 */
final class JpegTurboCodec extends CommandLineCodec {
  JpegTurboCodec() {
    super("cjpeg", "djpeg", 1);
  }

  @Override
  public String name() {
    return "jpeg";
  }

  @Override
  public Knob knob() {
    return new Knob(1, 100, true, true, false);
  }

  @Override
  List<String> encodeCommand(SourceImage source, double knob, Path coded) throws IOException {
    return List.of(
        "cjpeg",
        "-quality",
        EvalCodec.formatKnob(knob),
        "-optimize",
        "-outfile",
        coded.toString(),
        source.ppm().toString());
  }

  @Override
  List<String> decodeCommand(Path coded, Path decoded) {
    return List.of("djpeg", "-ppm", "-outfile", decoded.toString(), coded.toString());
  }

  @Override
  String codedExt() {
    return "jpg";
  }

  @Override
  List<String> versionCommand() {
    return List.of("-version");
  }

  @Override
  String settings() {
    return "(libjpeg-turbo) -quality Q -optimize; djpeg -ppm; 1 thread";
  }
}
