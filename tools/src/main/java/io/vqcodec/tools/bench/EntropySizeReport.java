package io.vqcodec.tools.bench;

import io.vqcodec.entropy.AdaptiveModel;
import io.vqcodec.entropy.Cdf;
import io.vqcodec.entropy.RansDecoder;
import io.vqcodec.entropy.RansEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;
import org.tukaani.xz.LZMA2Options;

/**
 * Compressed size versus information content ({@code sum -log2 p} under the model the coder uses)
 * for K = 1024 symbol streams, with zstd -19 and xz -9 over the same symbols as 16-bit
 * little-endian integers for contrast.
 *
 * <ul>
 *   <li>{@code iid}: i.i.d. from one Zipf(1.1) distribution (about 6.8 bits per symbol);
 *   <li>{@code markov}: a random walk, {@code s_t ~ Gaussian(s_{t-1}, sigma = 4)} discretised and
 *       clipped to [0, 1024) (about 4.0 bits per symbol), coded with the true conditional CDF (one
 *       per previous symbol).
 * </ul>
 *
 * <pre>
 * java -cp "tools/target/classes:tools/target/lib/*" io.vqcodec.tools.bench.EntropySizeReport [symbols]
 * </pre>
 */
public final class EntropySizeReport {
  private static final int K = 1024;

  private EntropySizeReport() {}

  public static void main(String[] args) throws IOException {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1 << 20;
    SplittableRandom rnd = new SplittableRandom(2024);

    Cdf zipf = EntropySources.zipf(K, 1.1, 3);
    int[] iid = new int[n];
    Cdf[] iidModels = new Cdf[n];
    for (int i = 0; i < n; i++) {
      iid[i] = EntropySources.sample(rnd, zipf);
      iidModels[i] = zipf;
    }

    Cdf[] conditional = new Cdf[K];
    for (int prev = 0; prev < K; prev++) {
      conditional[prev] = EntropySources.gaussian(K, prev, 4.0);
    }
    int[] walk = new int[n];
    Cdf[] walkModels = new Cdf[n];
    int prev = K / 2;
    for (int i = 0; i < n; i++) {
      walkModels[i] = conditional[prev];
      walk[i] = EntropySources.sample(rnd, walkModels[i]);
      prev = walk[i];
    }

    System.out.printf(Locale.ROOT, "%d symbols, K = %d%n", n, K);
    System.out.printf(
        Locale.ROOT,
        "%-7s %-28s %12s %10s %12s%n",
        "stream",
        "coder",
        "bytes",
        "bits/sym",
        "vs info");
    report("iid", iid, iidModels);
    report("markov", walk, walkModels);
  }

  private static void report(String name, int[] symbols, Cdf[] models) throws IOException {
    double info = 0;
    for (int i = 0; i < symbols.length; i++) {
      info += EntropySources.bits(models[i], symbols[i]);
    }
    row(name, "information content", info / 8, symbols.length, info);

    RansEncoder enc = new RansEncoder(symbols.length);
    for (int i = 0; i < symbols.length; i++) {
      enc.encode(models[i], symbols[i]);
    }
    byte[] rans = enc.finish();
    RansDecoder dec = new RansDecoder(rans, 0, rans.length);
    for (int i = 0; i < symbols.length; i++) {
      if (dec.decode(models[i]) != symbols[i]) {
        throw new AssertionError("rANS round trip failed at symbol " + i);
      }
    }
    dec.verifyEnd();
    row(name, "rANS, model as generated", rans.length, symbols.length, info);

    AdaptiveModel adaptive = new AdaptiveModel(K);
    for (int s : symbols) {
      enc.encode(adaptive, s);
    }
    row(name, "rANS, adaptive order-0", enc.finish().length, symbols.length, info);

    byte[] raw = new byte[2 * symbols.length];
    for (int i = 0; i < symbols.length; i++) {
      raw[2 * i] = (byte) symbols[i];
      raw[2 * i + 1] = (byte) (symbols[i] >>> 8);
    }
    row(name, "raw 16-bit LE", raw.length, symbols.length, info);
    row(
        name,
        "zstd -19 (16-bit LE)",
        compress(
            raw,
            out -> ZstdCompressorOutputStream.builder().setOutputStream(out).setLevel(19).get()),
        symbols.length,
        info);
    row(
        name,
        "xz -9 (16-bit LE)",
        compress(
            raw,
            out ->
                XZCompressorOutputStream.builder()
                    .setOutputStream(out)
                    .setLzma2Options(new LZMA2Options(9))
                    .get()),
        symbols.length,
        info);
  }

  private interface Wrapper {
    OutputStream wrap(OutputStream out) throws IOException;
  }

  private static int compress(byte[] raw, Wrapper wrapper) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = wrapper.wrap(bytes)) {
      out.write(raw);
    }
    return bytes.size();
  }

  private static void row(String stream, String coder, double bytes, int n, double infoBits) {
    double pct = 100 * (bytes * 8 - infoBits) / infoBits;
    System.out.printf(
        Locale.ROOT,
        "%-7s %-28s %12.0f %10.4f %+11.4f%%%n",
        stream,
        coder,
        bytes,
        bytes * 8 / n,
        pct);
  }
}
