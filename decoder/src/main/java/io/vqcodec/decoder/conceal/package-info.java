/**
 * Concealment of lost tokens: one class per strategy behind {@link
 * io.vqcodec.decoder.conceal.Concealer}, which gives a code vector to every lost token before pixel
 * synthesis and may paint the pixels after it. {@link io.vqcodec.decoder.ImageDecoder} picks one by
 * {@link io.vqcodec.decoder.Concealment}:
 *
 * <table>
 *   <caption>Strategies</caption>
 *   <tr><th>{@code Concealment}</th><th>class</th><th>lost tokens become</th></tr>
 *   <tr><td>{@code PREDICT}</td><td>{@code MaskedTokenPrediction}</td><td>the expected code under
 *       the masked-token transformer's prediction; the neighbour mean for what it leaves (no
 *       predictor packaged, or a level it does not know)</td></tr>
 *   <tr><td>{@code NEIGHBOURS}</td><td>{@code NeighbourMean}</td><td>the mean code of the known
 *       tokens of the cell, else of the 8 neighbouring cells, else the level's mean code</td></tr>
 *   <tr><td>{@code NONE}</td><td>{@code GrayCells}</td><td>the neighbour mean, then their pixels
 *       are painted mid-gray</td></tr>
 * </table>
 *
 * <p>Concealment is outside the bitstream specification (Spec §5.5): it changes pixels, never
 * tokens, and decoders may differ here. Only {@code Concealer} is public.
 */
package io.vqcodec.decoder.conceal;
