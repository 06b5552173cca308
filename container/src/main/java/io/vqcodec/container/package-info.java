/**
 * Reader and writer of the {@code .vqc} container, bitstream spec v0 draft ({@code
 * bitstream-spec/}): file header, picture header, model identification, token-grid parameters,
 * extension blocks, slice directory, slice payloads and end code (Spec §2.3).
 *
 * <p>Public API: {@link io.vqcodec.container.ContainerWriter}, {@link
 * io.vqcodec.container.ContainerReader} and the value types they exchange ({@link
 * io.vqcodec.container.ContainerHeader}, {@link io.vqcodec.container.PictureHeader}, {@link
 * io.vqcodec.container.ModelId}, {@link io.vqcodec.container.TokenGridParams}, {@link
 * io.vqcodec.container.Extension}, {@link io.vqcodec.container.Slice}); the Annex A limits are in
 * {@link io.vqcodec.container.Limits}. The header syntax is listed once, in {@code HeaderSyntax},
 * and walked by a reader, a writer and a size counter. The slice payloads are opaque here: their
 * syntax (Spec §6.3) belongs to the token decoder.
 */
package io.vqcodec.container;
