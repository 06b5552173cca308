package io.vqcodec.tokens;

import io.vqcodec.container.ContainerHeader;
import java.util.List;

/**
 * The result of entropy decoding a .vqc stream: the header, the token grid (tokens of lost slices
 * are {@link TokenGrid#LOST}) and what happened to each slice.
 *
 * @param header the parsed header (Spec §2 to §6.2)
 * @param model the model package the stream names (Spec §4.3)
 * @param grid the tokens; owned by the caller
 * @param slices one report per slice, in order
 * @param headerBytes bytes of header(), slice directory included
 * @param endCodeValid whether the end code followed the last slice (Spec §2.6)
 * @param lostTokens tokens marked lost (by lost slices or a loss simulation)
 * @param residualParts with a pixel residual (Spec §6.9, §9.6.4), each slice's residual part in
 *     slice order (empty: a residual of zeros; null: none, its slice is lost); empty without one
 */
public record DecodedTokens(
    ContainerHeader header,
    ModelPackage model,
    TokenGrid grid,
    List<SliceReport> slices,
    int headerBytes,
    boolean endCodeValid,
    int lostTokens,
    List<byte[]> residualParts) {

  public DecodedTokens {
    slices = List.copyOf(slices);
    residualParts =
        java.util.Collections.unmodifiableList(new java.util.ArrayList<>(residualParts));
  }

  /** Number of slices that were lost. */
  public int lostSlices() {
    int n = 0;
    for (SliceReport s : slices) {
      if (s.lost()) n++;
    }
    return n;
  }

  /** Sum of the payload lengths of all slices. */
  public long payloadBytes() {
    long n = 0;
    for (SliceReport s : slices) n += s.payloadBytes();
    return n;
  }
}
