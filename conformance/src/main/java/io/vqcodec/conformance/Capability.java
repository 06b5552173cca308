package io.vqcodec.conformance;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a decoder may state that it implements, and which of it each vector needs (Spec §C.7). The
 * grouping is a rule over the manifest's {@code prob_model} and {@code sections} columns, so it
 * holds for every implementation without a column of its own.
 */
public enum Capability {
  /** Profile 0 with prob_model_id 0, extension blocks, Annex A: every decoder. */
  CORE(null),
  /** prob_model_id 2, the context prior (Spec §8.3.2). */
  PM2(ErrorCategory.UNKNOWN_MODEL),
  /** prob_model_id 3, the two-stage model (Spec §8.3.3). */
  PM3(ErrorCategory.UNKNOWN_MODEL),
  /** The coded-resolution block, extension type 1 (Spec §9.6.1). */
  CODED_RESOLUTION(ErrorCategory.UNKNOWN_CRITICAL_EXTENSION),
  /**
   * The residual-stages block, extension type 2 (Spec §9.6.2, §6.8), with the models that provide
   * stage codebooks (tok-v2, models 5 and 6, Spec §4.4).
   */
  RESIDUAL_STAGES(ErrorCategory.UNKNOWN_CRITICAL_EXTENSION),
  /** Model-2 streams with model 3's weights (Spec §4.4, a permission). */
  MODEL_2(ErrorCategory.UNKNOWN_MODEL),
  /** Profile 1, video (Spec §10). */
  VIDEO(ErrorCategory.INVALID_HEADER),
  /** The compact-frame-headers block, extension type 3 (Spec §9.6.3), and its frame headers. */
  COMPACT_FRAME_HEADERS(ErrorCategory.UNKNOWN_CRITICAL_EXTENSION),
  /** The pixel-residual block, extension type 4 (Spec §9.6.4), and the residual of §6.9. */
  PIXEL_RESIDUAL(ErrorCategory.UNKNOWN_CRITICAL_EXTENSION);

  /** How a decoder without this capability refuses a stream that needs it (Spec §C.7). */
  public final ErrorCategory refusal;

  Capability(ErrorCategory refusal) {
    this.refusal = refusal;
  }

  /** The name Spec §C.7 and the runner's {@code --capabilities} use: {@code coded-resolution}. */
  public String specName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The capability of that name; IllegalArgumentException if there is none. */
  public static Capability of(String specName) {
    for (Capability c : values()) {
      if (c.specName().equals(specName.strip())) return c;
    }
    throw new IllegalArgumentException("no capability '" + specName + "' (Spec §C.7)");
  }

  /** The capabilities vector {@code e} needs, by the rules of Spec §C.7. */
  public static Set<Capability> needed(Manifest.Entry e) {
    Set<Capability> c = EnumSet.of(CORE);
    if (e.probModel() == 2 || names(e, "§8.3.2")) c.add(PM2);
    if (e.probModel() == 3 || names(e, "§8.3.3")) c.add(PM3);
    if (names(e, "§9.6.1")) c.add(CODED_RESOLUTION);
    if (names(e, "§9.6.2") || names(e, "§6.8")) c.add(RESIDUAL_STAGES);
    if (names(e, "§4.4")) c.add(MODEL_2);
    if (names(e, "§10")) c.add(VIDEO);
    if (names(e, "§9.6.3")) c.add(COMPACT_FRAME_HEADERS);
    if (names(e, "§9.6.4") || names(e, "§6.9")) c.add(PIXEL_RESIDUAL);
    return c;
  }

  /**
   * Spec §C.7: whether a decoder lacking {@code lacking} owes nothing for vector {@code e}: a
   * refuse vector that names §9.4 with the section of a registered extension type tests that type's
   * critical flag, and without the type's capability the block is an ignorable block of an unknown
   * type (§9.4), which such a decoder skips.
   */
  public static boolean notApplicable(Manifest.Entry e, Set<Capability> lacking) {
    if (e.decodes() || !names(e, "§9.4")) return false;
    return lacking.contains(CODED_RESOLUTION) && names(e, "§9.6.1")
        || lacking.contains(RESIDUAL_STAGES) && names(e, "§9.6.2")
        || lacking.contains(COMPACT_FRAME_HEADERS) && names(e, "§9.6.3")
        || lacking.contains(PIXEL_RESIDUAL) && names(e, "§9.6.4");
  }

  /** Whether the sections column names {@code section} or a section below it. */
  static boolean names(Manifest.Entry e, String section) {
    for (String s : e.sections().split("\\s+")) {
      if (s.equals(section) || s.startsWith(section + ".")) return true;
    }
    return false;
  }
}
