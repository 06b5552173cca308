package io.vqcodec.container;

import java.util.List;

/**
 * Everything of header() (Spec §2.3) except the slice directory, which travels with the {@link
 * Slice}s.
 *
 * @param extensions ignorable extension blocks, in stream order (Spec §9)
 */
public record ContainerHeader(PictureHeader picture, ModelId model, TokenGridParams grid,
    List<Extension> extensions) {

  public ContainerHeader {
    if (picture == null || model == null || grid == null) {
      throw new IllegalArgumentException("null picture header, model id or grid parameters");
    }
    extensions = List.copyOf(extensions);
    if (extensions.size() > Limits.MAX_EXTENSIONS) {
      throw new IllegalArgumentException(extensions.size() + " extension blocks: at most "
          + Limits.MAX_EXTENSIONS);
    }
  }

  public ContainerHeader(PictureHeader picture, ModelId model, TokenGridParams grid) {
    this(picture, model, grid, List.of());
  }
}
