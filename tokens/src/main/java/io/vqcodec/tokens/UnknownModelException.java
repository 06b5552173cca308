package io.vqcodec.tokens;

import java.io.IOException;

/** The stream names a model this decoder does not have (Spec §4.3). */
public final class UnknownModelException extends IOException {
  private final long modelId;

  UnknownModelException(String message, long modelId) {
    super(message);
    this.modelId = modelId;
  }

  /** The model_id the stream asks for. */
  public long modelId() {
    return modelId;
  }
}
