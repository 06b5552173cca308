package io.vqcodec.tokens;

import io.vqcodec.container.ModelId;
import java.util.List;
import java.util.Optional;

/**
 * The models a decoder has: what {@link TokenDecoder} asks before it decodes any slice (Spec §4.3)
 * and where it gets a stream's context prior (Spec §8.3.2.1). {@link ModelRegistry#builtIn()} is
 * the one over the released packages on the class path.
 */
public interface ModelCatalogue {
  /** The package whose weights the stream's model_identification names (Spec §4.3), if any. */
  Optional<ModelPackage> find(ModelId model);

  /** Every package of the catalogue (for messages that say what the decoder has). */
  List<ModelPackage> packages();
}
