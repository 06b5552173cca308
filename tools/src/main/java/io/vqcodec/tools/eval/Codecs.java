package io.vqcodec.tools.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The codecs the harness knows, in report order. */
public final class Codecs {
  private Codecs() {}

  /** Every known codec, available or not, vqcodec first. Adding one is one line here. */
  public static List<EvalCodec> all(int threads) {
    List<EvalCodec> list = new ArrayList<>();
    list.addAll(VqcodecEvalCodec.all());
    list.add(new JpegTurboCodec());
    list.add(new WebpCodec(threads));
    list.add(new AvifCodec(threads));
    list.add(new JxlCodec(threads));
    list.add(new ImageIoJpegCodec());
    return list;
  }

  /** The codec named {@code name}, or an exception listing the known names. */
  public static EvalCodec byName(String name, int threads) {
    for (EvalCodec c : all(threads))
      if (c.name().equals(name.toLowerCase(Locale.ROOT).strip())) return c;
    List<String> names = new ArrayList<>();
    for (EvalCodec c : all(threads)) names.add(c.name());
    throw new IllegalArgumentException(
        "unknown codec '" + name + "'; known: " + String.join(", ", names));
  }

  /** Why a codec is unavailable, in a few words. */
  static String whyUnavailable(EvalCodec c) {
    return c instanceof CommandLineCodec ? ((CommandLineCodec) c).missing() : "not available";
  }
}
