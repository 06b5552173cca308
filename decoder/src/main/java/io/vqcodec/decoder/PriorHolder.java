package io.vqcodec.decoder;

import io.vqcodec.prior.ContextPrior;
import java.io.IOException;

/** The released context prior, loaded (and its SHA-256 checked) on first use, shared: it is immutable. */
final class PriorHolder {
  private static ContextPrior prior;

  private PriorHolder() {}

  static synchronized ContextPrior get() throws IOException {
    if (prior == null) prior = ContextPrior.loadDefault();
    return prior;
  }
}
