package io.vqcodec.decoder;

import io.vqcodec.tokens.DecodedTokens;
import java.awt.image.BufferedImage;

/**
 * A decoded picture and how its stream decoded.
 *
 * @param image {@code TYPE_INT_RGB}, or {@code TYPE_BYTE_GRAY} for a gray stream
 * @param tokens the tokens, the header and the slice reports
 */
public record DecodedPicture(BufferedImage image, DecodedTokens tokens) {}
