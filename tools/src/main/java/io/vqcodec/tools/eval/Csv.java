package io.vqcodec.tools.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Minimal RFC 4180 CSV helpers shared by the harness's files. */
final class Csv {
  private Csv() {}

  static String quote(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) return s;
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  static List<String> split(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean q = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (q) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (c == '"') {
          q = false;
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        q = true;
      } else if (c == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }

  /** Fixed decimals, "inf" for +Infinity, empty for NaN. */
  static String format(double v, int decimals) {
    if (Double.isNaN(v)) return "";
    if (v == Double.POSITIVE_INFINITY) return "inf";
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  static double parseDouble(String s) {
    if (s.isEmpty()) return Double.NaN;
    if (s.equals("inf")) return Double.POSITIVE_INFINITY;
    return Double.parseDouble(s);
  }
}
