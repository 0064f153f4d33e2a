package io.paybridge.faults;

import java.util.List;

/** One scenario's outcome: PASS or FAIL, the figures behind it, and what was seen on the way. */
record Verdict(String scenario, boolean pass, String figures, List<String> details) {

  String line() {
    return (pass ? "PASS" : "FAIL") + "  " + scenario + ": " + figures;
  }
}
